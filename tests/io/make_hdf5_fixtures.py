#!/usr/bin/python3
"""Writes HDF5 files with h5py that exercise keras::io::h5's type mapping and attribute flavours.

Usage: make_hdf5_fixtures.py OUTDIR   (writes OUTDIR/types.h5 and OUTDIR/elsewhere.h5)

The values here are the expected values asserted in tests/io/test_hdf5.cpp; keep both in sync.
"""
import os
import sys

import h5py
import numpy as np


def fixed_string_type(size, pad, cset=h5py.h5t.CSET_ASCII):
    t = h5py.h5t.C_S1.copy()
    t.set_size(size)
    t.set_strpad(pad)
    t.set_cset(cset)
    return t


def raw_attr(obj, name, htype, data, shape):
    space = h5py.h5s.create_simple(shape) if shape else h5py.h5s.create(h5py.h5s.SCALAR)
    aid = h5py.h5a.create(obj.id, name.encode(), htype, space)
    aid.write(np.asarray(data), mtype=htype)


def main():
    out = sys.argv[1]
    with h5py.File(os.path.join(out, "elsewhere.h5"), "w") as f:
        f.create_group("secret")
        f["secret/data"] = np.arange(4, dtype="<f4")
    with open(os.path.join(out, "raw.bin"), "wb") as raw:
        raw.write(np.arange(4, dtype="<f4").tobytes())

    with h5py.File(os.path.join(out, "types.h5"), "w") as f:
        d = f.create_group("d")
        d["f16"] = np.array([1.5, -0.25, 65504], dtype="<f2")
        d["f32_be"] = np.array([[1, -2], [3.5, 1e-3]], dtype=">f4")
        d["f64_be"] = np.array([np.pi, -np.e], dtype=">f8")
        d["i8"] = np.array([-128, 127], dtype="i1")
        d["i16_be"] = np.array([-300, 300], dtype=">i2")
        d["i32"] = np.array([-70000, 70000], dtype="<i4")
        d["i64_be"] = np.array([-(2 ** 40), 2 ** 62], dtype=">i8")
        d["u8"] = np.array([0, 255], dtype="u1")
        d["u16"] = np.array([0, 65535], dtype="<u2")
        d["u32"] = np.array([4294967295], dtype=">u4")
        d["u64"] = np.array([1], dtype="<u8")
        d["bool"] = np.array([True, False, True])
        d["iteration"] = np.int64(123)
        d["empty"] = np.zeros((0, 3), dtype="f4")
        d.create_dataset("gzip", data=np.arange(1000, dtype="f4"), compression="gzip")
        d["compound"] = np.zeros(2, dtype=[("a", "f4"), ("b", "i4")])
        d.create_dataset("vlen_str", data=["a", "bc"], dtype=h5py.string_dtype())
        d.create_dataset("vlen_int", (2,), dtype=h5py.vlen_dtype(np.int32))
        d["fixed_str"] = np.array([b"ab", b"c"])
        d.create_dataset("color", data=np.array([0, 1], dtype="i1"),
                         dtype=h5py.enum_dtype({"RED": 0, "GREEN": 1}, basetype="i1"))
        d.create_dataset("huge", shape=(2 ** 40,), dtype="f4")  # never written: no storage
        d.create_dataset("external", shape=(4,), dtype="<f4",
                         external=[(os.path.join(out, "raw.bin"), 0, 16)])
        f["ext_link"] = h5py.ExternalLink(os.path.join(out, "elsewhere.h5"), "/secret")
        f["soft"] = h5py.SoftLink("/d/i32")
        f["dangling"] = h5py.SoftLink("/nowhere")

        a = f.create_group("attrs")
        a.attrs["version"] = "2.15.0"                    # vlen utf-8 scalar
        a.attrs["backend"] = b"tensorflow"               # vlen ascii scalar
        a.attrs["unicode"] = "h\u00e9llo \u65e5\u672c"   # vlen utf-8, non-ASCII
        a.attrs["names_vlen"] = [b"dense", b"dense_1"]   # vlen ascii (2,)
        a.attrs["names_fixed"] = np.array([b"dense", b"dropout_12"])  # fixed S10 (2,)
        a.attrs["empty"] = []                            # float64 (0,)
        a.attrs["nothing"] = h5py.Empty("f8")             # null dataspace
        a.attrs["layer_names0"] = np.array([b"a", b"bb"])
        a.attrs["layer_names1"] = np.array([b"ccc"])
        a.attrs["count"] = np.int64(-5)
        a.attrs["floats_be"] = np.array([0.5, -8], dtype=">f8")
        a.attrs["flag"] = True
        a.attrs["compound"] = np.zeros(1, dtype=[("a", "f4")])
        raw_attr(a, "spacepad", fixed_string_type(6, h5py.h5t.STR_SPACEPAD), b"abc   ", None)
        raw_attr(a, "nullterm", fixed_string_type(5, h5py.h5t.STR_NULLTERM), b"ab\0cd", None)
        raw_attr(a, "fixed_utf8", fixed_string_type(5, h5py.h5t.STR_NULLPAD, h5py.h5t.CSET_UTF8),
                 np.array(["\u00e9t\u00e9".encode()], dtype="S5"), (1,))

        t = f.create_group("tracked", track_order=True)
        for name in ["b", "a", "10", "2"]:
            t.create_group(name)


if __name__ == "__main__":
    main()
