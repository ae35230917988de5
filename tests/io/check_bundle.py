#!/usr/bin/env python3
"""Independent checker for TensorFlow tensor bundles (checkpoints), written from the format
description (spec/FORMATS.md section 4, LevelDB table_format.md), sharing no code with keras-cpp.

Usage: check_bundle.py PREFIX
Parses PREFIX.index (SSTable: footer, index block, data blocks incl. snappy, restart arrays,
masked CRC32C of every block), the BundleHeaderProto and every BundleEntryProto by hand, reads
every tensor from the data files and verifies its masked CRC32C (numeric, DT_STRING and
DT_VARIANT rules). Prints a JSON summary {"header", "entries": {key: {dtype, shape, shard_id,
offset, size, crc32c, values}}, "data_block_types"} on stdout; exits 1 with a message on stderr
at the first violation.
"""
import json
import struct
import sys

import numpy as np

# ---------------------------------------------------------------- CRC-32C (bitwise, slow is fine)
_TABLE = []
for _b in range(256):
    _c = _b
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def mask(crc):
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


class Bad(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Bad(msg)


def varint(buf, pos):
    result = shift = 0
    while True:
        check(pos < len(buf), "truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        check(shift < 70, "overlong varint")


def snappy_uncompress(buf):
    n, pos = varint(buf, 0)
    out = bytearray()
    while pos < len(buf):
        tag = buf[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:
            ln = (tag >> 2) + 1
            if ln > 60:
                extra = ln - 60
                ln = int.from_bytes(buf[pos:pos + extra], "little") + 1
                pos += extra
            out += buf[pos:pos + ln]
            pos += ln
            continue
        if kind == 1:
            ln = 4 + ((tag >> 2) & 7)
            off = ((tag >> 5) << 8) | buf[pos]
            pos += 1
        elif kind == 2:
            ln = 1 + (tag >> 2)
            off = int.from_bytes(buf[pos:pos + 2], "little")
            pos += 2
        else:
            ln = 1 + (tag >> 2)
            off = int.from_bytes(buf[pos:pos + 4], "little")
            pos += 4
        check(0 < off <= len(out), "bad snappy offset")
        for _ in range(ln):
            out.append(out[-off])
    check(len(out) == n, "snappy length mismatch")
    return bytes(out)


# ---------------------------------------------------------------- SSTable
def read_block(f, off, size):
    check(off + size + 5 <= len(f) - 48, "block handle out of range")
    contents = f[off:off + size]
    btype = f[off + size]
    stored = struct.unpack_from("<I", f, off + size + 1)[0]
    check(mask(crc32c(bytes([btype]), crc32c(contents))) == stored, "block CRC mismatch at %d" % off)
    if btype == 0:
        return contents, btype
    check(btype == 1, "unknown block type %d" % btype)
    return snappy_uncompress(contents), btype


def block_entries(block, restart_interval=None):
    num_restarts = struct.unpack_from("<I", block, len(block) - 4)[0]
    data_end = len(block) - 4 - 4 * num_restarts
    check(data_end >= 0, "bad restart count")
    restarts = [struct.unpack_from("<I", block, data_end + 4 * i)[0] for i in range(num_restarts)]
    pos, key, out, starts = 0, b"", [], []
    while pos < data_end:
        starts.append(pos)
        shared, pos = varint(block, pos)
        unshared, pos = varint(block, pos)
        vlen, pos = varint(block, pos)
        check(shared <= len(key), "shared prefix too long")
        key = key[:shared] + block[pos:pos + unshared]
        pos += unshared
        out.append((key, block[pos:pos + vlen], shared))
        pos += vlen
    check(pos == data_end, "entries overrun the restart array")
    if out:
        check(restarts == [starts[i] for i in range(0, len(starts), restart_interval or 1)]
              if restart_interval else set(restarts) <= set(starts), "restart array mismatch")
        for s in restarts:
            check(out[starts.index(s)][2] == 0, "restart point with shared prefix")
    else:
        check(restarts == [0], "empty block must have restart [0]")
    return [(k, v) for k, v, _ in out]


def read_table(path, strict_writer):
    f = open(path, "rb").read()
    check(len(f) >= 48, "file shorter than footer")
    check(f[-8:] == struct.pack("<Q", 0xDB4775248B80FB57), "bad magic")
    footer = f[-48:]
    moff, p = varint(footer, 0)
    msize, p = varint(footer, p)
    ioff, p = varint(footer, p)
    isize, p = varint(footer, p)
    check(footer[p:40] == b"\0" * (40 - p), "footer padding not zero")
    meta, _ = read_block(f, moff, msize)
    check(block_entries(meta) == [], "metaindex not empty")
    index, itype = read_block(f, ioff, isize)
    entries, types = [], []
    idx = block_entries(index, 1 if strict_writer else None)
    for n, (sep, handle) in enumerate(idx):
        boff, q = varint(handle, 0)
        bsize, q = varint(handle, q)
        check(q == len(handle), "trailing bytes in block handle")
        block, btype = read_block(f, boff, bsize)
        types.append(btype)
        blk = block_entries(block, 16 if strict_writer else None)
        check(blk and blk[-1][0] <= sep, "index key below block's last key")
        if n + 1 < len(idx):
            pass
        entries += blk
    keys = [k for k, _ in entries]
    check(keys == sorted(set(keys)), "keys not strictly increasing")
    if strict_writer:
        check(itype == 0 and all(t == 0 for t in types), "keras-cpp writes uncompressed blocks")
    return entries, types


# ---------------------------------------------------------------- protobuf
def fields(buf):
    pos = 0
    while pos < len(buf):
        tag, pos = varint(buf, pos)
        field, wt = tag >> 3, tag & 7
        if wt == 0:
            v, pos = varint(buf, pos)
        elif wt == 1:
            v = struct.unpack_from("<Q", buf, pos)[0]
            pos += 8
        elif wt == 2:
            ln, pos = varint(buf, pos)
            check(pos + ln <= len(buf), "length-delimited field overruns")
            v = buf[pos:pos + ln]
            pos += ln
        elif wt == 5:
            v = struct.unpack_from("<I", buf, pos)[0]
            pos += 4
        else:
            raise Bad("unexpected wire type %d" % wt)
        yield field, wt, v


def signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


NUMPY = {1: "<f4", 2: "<f8", 3: "<i4", 4: "u1", 5: "<i2", 6: "i1", 9: "<i8", 10: "u1",
         17: "<u2", 19: "<f2", 22: "<u4", 23: "<u8", 14: "<u2"}
NAMES = {1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8", 7: "string",
         9: "int64", 10: "bool", 14: "bfloat16", 19: "float16", 21: "variant", 17: "uint16",
         22: "uint32", 23: "uint64"}


def decode_entry(value):
    e = {"dtype": 0, "shape": [], "shard_id": 0, "offset": 0, "size": 0, "crc32c": 0}
    for field, wt, v in fields(value):
        if field == 1:
            e["dtype"] = v
        elif field == 2:
            e["shape_bytes"] = v.hex()
            for f2, _, d in fields(v):
                if f2 == 2:
                    size = 0
                    for f3, _, s in fields(d):
                        if f3 == 1:
                            size = signed64(s)
                    e["shape"].append(size)
                elif f2 == 3:
                    raise Bad("unknown_rank shape")
        elif field == 3:
            e["shard_id"] = v
        elif field == 4:
            e["offset"] = signed64(v)
        elif field == 5:
            e["size"] = signed64(v)
        elif field == 6:
            check(wt == 5, "crc32c must be fixed32")
            e["crc32c"] = v
        elif field == 7:
            raise Bad("slices unsupported")
    return e


def tensor_values(e, data):
    n = int(np.prod(e["shape"], dtype=np.int64))
    dt = e["dtype"]
    if dt == 7:
        pos, crc, lens = 0, 0, []
        for _ in range(n):
            ln, pos = varint(data, pos)
            lens.append(ln)
            crc = crc32c(struct.pack("<I" if ln <= 0xFFFFFFFF else "<Q", ln), crc)
        if n or len(data):
            check(struct.unpack_from("<I", data, pos)[0] == mask(crc), "string length CRC")
            crc = crc32c(data[pos:pos + 4], crc)
            pos += 4
        out = []
        for ln in lens:
            out.append(data[pos:pos + ln].hex())
            pos += ln
        check(pos == len(data), "string bytes do not fill the entry")
        crc = crc32c(data[pos - sum(lens):pos], crc) if lens else crc
        check(mask(crc) == e["crc32c"], "DT_STRING entry CRC mismatch")
        return out
    if dt == 21:
        pos, crc, out = 0, 0, []
        for _ in range(n):
            ln, pos = varint(data, pos)
            crc = crc32c(struct.pack("<Q", ln), crc)
            crc = crc32c(data[pos:pos + ln], crc)
            out.append(data[pos:pos + ln].hex())
            pos += ln
            check(struct.unpack_from("<I", data, pos)[0] == mask(crc), "variant element CRC")
            crc = crc32c(data[pos:pos + 4], crc)
            pos += 4
        check(pos == len(data), "variant bytes do not fill the entry")
        check(mask(crc) == e["crc32c"], "DT_VARIANT entry CRC mismatch")
        return out
    check(dt in NUMPY, "unsupported dtype %d" % dt)
    arr = np.frombuffer(data, dtype=NUMPY[dt])
    check(arr.size == n, "size does not match shape")
    check(mask(crc32c(data)) == e["crc32c"], "entry CRC mismatch")
    if dt == 14:  # bfloat16: the upper half of a float32
        arr = (arr.astype(np.uint32) << 16).view(np.float32)
    if dt == 10:
        return [bool(x) for x in arr]
    return [x.item() if dt not in (1, 19, 14) else float(x) for x in arr]


def main():
    prefix = sys.argv[1]
    strict = "--keras-cpp" in sys.argv  # also check our writer's choices (blocks, restarts)
    entries, types = read_table(prefix + ".index", strict)
    check(entries and entries[0][0] == b"", "no header entry")
    header = {"num_shards": 0, "endianness": 0, "producer": 0, "min_consumer": 0}
    for field, _, v in fields(entries[0][1]):
        if field == 1:
            header["num_shards"] = v
        elif field == 2:
            header["endianness"] = v
        elif field == 3:
            for f2, _, v2 in fields(v):
                if f2 == 1:
                    header["producer"] = v2
                elif f2 == 2:
                    header["min_consumer"] = v2
    check(header["endianness"] == 0, "big-endian bundles not handled by the checker")
    if strict:
        check(entries[0][1] == bytes.fromhex("0801 1a02 0801"), "header bytes differ from TF's")
    out = {}
    shards = {}
    for key, value in entries[1:]:
        e = decode_entry(value)
        path = "%s.data-%05d-of-%05d" % (prefix, e["shard_id"], header["num_shards"])
        if path not in shards:
            shards[path] = open(path, "rb").read()
        data = shards[path]
        check(0 <= e["offset"] and e["offset"] + e["size"] <= len(data), "entry past shard end")
        e["values"] = tensor_values(e, data[e["offset"]:e["offset"] + e["size"]])
        e["dtype_name"] = NAMES.get(e["dtype"], str(e["dtype"]))
        out[key.decode("utf-8", "backslashreplace")] = e
    if strict:  # tensors packed back to back from offset 0, no gaps (data_alignment 1)
        spans = sorted((e["offset"], e["size"]) for e in out.values())
        pos = 0
        for off, size in spans:
            check(off == pos, "gap or overlap in the data file at %d" % off)
            pos += size
        check(pos == sum(len(d) for d in shards.values()), "data file has trailing bytes")
    json.dump({"header": header, "entries": out, "data_block_types": types}, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except (Bad, OSError, struct.error, IndexError) as exc:
        print("check_bundle: %s: %s" % (sys.argv[1], exc), file=sys.stderr)
        sys.exit(1)
