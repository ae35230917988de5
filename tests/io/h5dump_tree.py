#!/usr/bin/python3
"""Canonical text dump of an HDF5 file as h5py sees it, for comparison with keras::io::h5.

Usage: h5dump_tree.py FILE.h5 [MORE.h5 ...]  (writes the dump to stdout; with several files
each dump is preceded by a line "## <path>")

One line per entry, depth-first, children and attributes in byte-wise name order:
  F superblock=<version>
  G <path>
  D <path> <dtype> <shape> <layout> filters=<n> = [values]
  A <path> @<name> string <vlen|fixed> <ascii|utf-8> [<size>] <shape> = ["..", ..]
  A <path> @<name> numeric <dtype> <shape> = [values]
dtypes use keras spelling (uint16 reads as int32, uint32 as int64); floats print as '%.17g',
NaN as 'nan'; string bytes outside printable ASCII, '"' and '\\' print as \\xNN. Attribute
flavours come from the low-level type (h5py.h5a.open(...).get_type()), not from decoded values.
"""
import math
import sys

import h5py
import numpy as np

LAYOUTS = {0: "compact", 1: "contiguous", 2: "chunked", 3: "virtual"}


def keras_dtype(dt):
    dt = np.dtype(dt)
    if dt.kind == "f":
        return "float%d" % (8 * dt.itemsize)
    if dt.kind == "i":
        return "int%d" % (8 * dt.itemsize)
    if dt.kind == "u":
        return {1: "uint8", 2: "int32", 4: "int64"}.get(dt.itemsize, "uint%d" % (8 * dt.itemsize))
    if dt.kind == "b":
        return "bool"
    return "unsupported:" + str(dt)


def shape_str(shape):
    shape = tuple(shape)
    if len(shape) == 1:
        return "(%d,)" % shape[0]
    return "(" + ", ".join(str(d) for d in shape) + ")"


def fmt_number(x, kind):
    if kind == "f":
        x = float(x)
        return "nan" if math.isnan(x) else "%.17g" % x
    if kind == "b":
        return "1" if bool(x) else "0"
    return str(int(x))


def fmt_values(arr):
    arr = np.asarray(arr)
    kind = arr.dtype.kind
    if kind not in "fiub":
        return "?"
    return "[" + ", ".join(fmt_number(x, kind) for x in arr.ravel()) + "]"


def escape(value):
    if isinstance(value, str):
        value = value.encode("utf-8")
    value = bytes(value)
    return '"' + "".join(
        chr(c) if 32 <= c < 127 and c not in (34, 92) else "\\x%02x" % c for c in value) + '"'


def dump_attrs(obj, path, out):
    for name in sorted(obj.attrs.keys(), key=lambda n: n.encode("utf-8")):
        aid = h5py.h5a.open(obj.id, name.encode("utf-8"))
        htype = aid.get_type()
        shape = aid.shape if aid.shape is not None else (0,)
        value = obj.attrs[name]
        head = "A %s @%s " % (path, escape(name)[1:-1])
        if htype.get_class() == h5py.h5t.STRING:
            vlen = htype.is_variable_str()
            cset = "utf-8" if htype.get_cset() == h5py.h5t.CSET_UTF8 else "ascii"
            flavour = "vlen " + cset if vlen else "fixed %s %d" % (cset, htype.get_size())
            if isinstance(value, h5py.Empty):
                items = []
            else:
                items = list(np.asarray(value, dtype=object).ravel())
            out.append(head + "string %s %s = [%s]" % (
                flavour, shape_str(shape), ", ".join(escape(v) for v in items)))
        else:
            if isinstance(value, h5py.Empty):
                out.append(head + "numeric %s (0,) = []" % keras_dtype(value.dtype))
                continue
            arr = np.asarray(value)
            out.append(head + "numeric %s %s = %s" % (keras_dtype(arr.dtype), shape_str(shape),
                                                      fmt_values(arr)))


def dump_object(obj, path, out):
    if isinstance(obj, h5py.Group):
        out.append("G " + path)
        dump_attrs(obj, path, out)
        for name in sorted(obj.keys(), key=lambda n: n.encode("utf-8")):
            child = obj.get(name)
            if child is None:  # dangling link
                continue
            child_path = ("/" if path == "/" else path + "/") + name
            dump_object(child, child_path, out)
    else:
        dcpl = obj.id.get_create_plist()
        layout = LAYOUTS.get(dcpl.get_layout(), "other")
        line = "D %s %s %s %s filters=%d" % (path, keras_dtype(obj.dtype), shape_str(obj.shape),
                                             layout, dcpl.get_nfilters())
        values = "?" if obj.size > 10 ** 7 else fmt_values(obj[()])
        out.append(line + " = " + values)
        dump_attrs(obj, path, out)


def main():
    files = sys.argv[1:]
    for path in files:
        if len(files) > 1:
            sys.stdout.write("## %s\n" % path)
        with h5py.File(path, "r") as f:
            out = ["F superblock=%d" % f.id.get_create_plist().get_version()[0]]
            dump_object(f, "/", out)
        sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
