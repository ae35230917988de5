// The IDX format of the MNIST family of data sets (Yann LeCun's MNIST page; also Fashion-MNIST,
// KMNIST, EMNIST), plain or gzip-compressed.
//
// On-disk layout (all integers big-endian):
//   magic   4 bytes: 0x00 0x00 <type code> <rank>
//           type code 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
//   dims    rank x uint32, outermost first
//   data    prod(dims) elements of the type, C order, big-endian
//
// The whole file may be gzip-compressed (".gz"); zlib reads either form transparently.
// Loading never trusts the dims: the data is read incrementally in bounded chunks and compared
// with the size the dims imply before the tensor is allocated, so a short file or a hostile
// header fails with FileFormatError instead of allocating what the header claims.
#pragma once

#include <string>

#include "keras/core/tensor.hpp"

namespace keras::io {

// Largest rank accepted (MNIST files have 1 or 3).
inline constexpr int kMaxIdxRank = 16;
// Largest uncompressed data size accepted: 16 GiB, far above any IDX data set, but a bound
// against decompression bombs whose header claims astronomic dims.
inline constexpr uint64_t kMaxIdxBytes = uint64_t{1} << 34;

// Reads an IDX file (gzipped or not) into a tensor of the file's type (uint8, int8, int16,
// int32, float32 or float64) and shape. Throws IOError (cannot open) or FileFormatError (bad
// magic, unknown type code, rank, truncated or overlong data, corrupt gzip); both name the file.
Tensor load_idx(const std::string& path);

}  // namespace keras::io
