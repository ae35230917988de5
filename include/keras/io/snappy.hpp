// Snappy raw-format decompressor (google/snappy format_description.txt), as used for type-1
// blocks of LevelDB/TensorFlow SSTables. Decompression only: keras-cpp writes uncompressed blocks.
//
//   preamble: varint32 uncompressed length
//   element*: tag byte, low 2 bits =
//     00 literal   len-1 = tag>>2 (0..59), or in the next 1..4 LE bytes for tag>>2 = 60..63
//     01 copy      len = 4 + ((tag>>2) & 7), offset = (tag>>5)<<8 | next byte   (11 bits)
//     10 copy      len = 1 + (tag>>2), offset = next 2 bytes LE
//     11 copy      len = 1 + (tag>>2), offset = next 4 bytes LE
//   a copy repeats `len` bytes starting `offset` bytes back in the output (may overlap).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace keras::io::snappy {

// One snappy element emits at most 64 bytes from 3 input bytes, so a declared length above
// this ratio times the compressed size cannot be honest.
inline constexpr uint64_t kMaxExpansion = 22;

// The uncompressed length in the preamble; throws FileFormatError naming `what` when the
// preamble is malformed.
uint64_t uncompressed_length(std::string_view compressed, std::string_view what);

// Decompresses `compressed`. Throws FileFormatError naming `what` when the declared length
// exceeds max_output or kMaxExpansion * compressed.size(), when any copy reaches before the
// start of the output or past the declared length, or when the stream is truncated or produces
// fewer bytes than declared.
std::string uncompress(std::string_view compressed, size_t max_output, std::string_view what);

}  // namespace keras::io::snappy
