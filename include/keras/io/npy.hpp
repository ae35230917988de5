// numpy's .npy format (numpy.save / numpy.load, numpy/lib/format.py), versions 1.0, 2.0, 3.0.
//
// On-disk layout:
//   magic      6 bytes  "\x93NUMPY"
//   version    2 bytes  major, minor: 1.0, 2.0 or 3.0
//   header_len 2 bytes little-endian (1.0) or 4 bytes (2.0, 3.0)
//   header     header_len bytes: a Python dict literal, latin-1 (1.0, 2.0) or UTF-8 (3.0),
//              "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", padded with
//              spaces and ended by '\n' so that the data starts at a multiple of 64 bytes
//   data       prod(shape) * itemsize bytes, C order (or Fortran order if fortran_order)
//
// dtypes (descr): '<f4' float32, '<f8' float64, '<f2' float16, '|i1' int8, '<i2' int16,
// '<i4' int32, '<i8' int64, '|u1' uint8, '|b1' bool, '<U{n}' strings as n UTF-32 code units per
// element, NUL-padded. Reading also takes '>' (big-endian) and '=' byte orders, '|S{n}' byte
// strings (-> string), '<u2' (-> int32) and '<u4' (-> int64), which widen without loss.
// fortran_order True is read and transposed into C order. Object arrays ('|O', pickles),
// structured dtypes, complex and other unsupported descrs are rejected with FileFormatError.
//
// Writing: version 1.0 (2.0 only if the header outgrows 65535 bytes), little-endian. bfloat16
// has no numpy dtype (ml_dtypes' bfloat16 saves as an opaque '<V2' that numpy cannot read back
// as numbers), so save_npy refuses it: convert with astype(float32) first.
// save_npy writes a temporary file beside the target, flushes it, then renames it over the
// target, so a crash never leaves a half-written file under the target's name.
//
// Loading never trusts the file: the header length is bounded (kMaxNpyHeaderBytes), the header
// dict is parsed strictly (exactly the three keys, no duplicates, non-negative dimensions, rank
// <= kMaxNpyRank), shape products and byte counts are overflow-checked, and the data length is
// compared with the file's size before anything is allocated.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::io {

// Largest header accepted (numpy's own reader defaults to 10000 bytes; version 2.0 headers
// can be larger, but only structured dtypes need that).
inline constexpr size_t kMaxNpyHeaderBytes = 1 << 16;
// Largest rank accepted (numpy 2's NPY_MAXDIMS).
inline constexpr size_t kMaxNpyRank = 64;

// numpy.load of a .npy file. Throws IOError (cannot open/read) or FileFormatError (bad bytes);
// both name the file.
Tensor load_npy(const std::string& path);
// The same from bytes in memory; `name` appears in error messages.
Tensor load_npy(std::span<const uint8_t> bytes, const std::string& name = "<npy bytes>");

// numpy.save: writes atomically (temporary file + rename). Throws TypeError for bfloat16,
// IOError when the file cannot be written.
void save_npy(const std::string& path, const Tensor& tensor);
// The bytes numpy.save would write.
std::vector<uint8_t> save_npy_bytes(const Tensor& tensor);

}  // namespace keras::io
