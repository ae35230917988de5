#!/usr/bin/env python3
"""Writes snappy test vectors compressed by the system's libsnappy (Google's reference
implementation, through its C API), independent of keras-cpp's decoder.
Usage: snappy_vectors.py OUTDIR -> OUTDIR/<name>.raw and OUTDIR/<name>.snappy pairs."""
import ctypes
import ctypes.util
import os
import random
import sys

lib = ctypes.CDLL(ctypes.util.find_library("snappy") or "libsnappy.so.1")


def compress(data):
    n = ctypes.c_size_t(lib.snappy_max_compressed_length(ctypes.c_size_t(len(data))))
    out = ctypes.create_string_buffer(n.value)
    lib.snappy_max_compressed_length.restype = ctypes.c_size_t
    rc = lib.snappy_compress(data, ctypes.c_size_t(len(data)), out, ctypes.byref(n))
    assert rc == 0
    return out.raw[:n.value]


rng = random.Random(7)
vectors = {
    "empty": b"",
    "short": b"hello",
    "repeat": b"ab" * 5000,                       # long overlapping copies
    "text": b" ".join(b"word%d" % (i % 97) for i in range(20000)),  # copies of every length
    "random": bytes(rng.getrandbits(8) for _ in range(70000)),      # long literals
    "far": bytes(rng.getrandbits(8) for _ in range(16000)) * 4,     # 2-byte offsets
}
os.makedirs(sys.argv[1], exist_ok=True)
for name, raw in vectors.items():
    open(os.path.join(sys.argv[1], name + ".raw"), "wb").write(raw)
    open(os.path.join(sys.argv[1], name + ".snappy"), "wb").write(compress(raw))
