// CRC-32C (Castagnoli), as TensorFlow's and LevelDB's crc32c::Value/Extend/Mask/Unmask.
//
// Reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF; check value
// crc32c("123456789") = 0xE3069283. extend(crc, ...) continues a CRC returned by value() or
// extend() over further bytes, so value(a + b) == extend(value(a), b).
//
// Stored CRCs (SSTable block trailers, tensor bundle entries) are *masked*: a CRC of a string
// that itself embeds CRCs is weak, so the stored value is rotated right by 15 bits and offset by
// kMaskDelta.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace keras::io::crc32c {

// The CRC of data[0, n) continued from init_crc (0 starts a new CRC). Uses the SSE4.2 crc32
// instruction when the library was built for a CPU that has it, else extend_portable().
uint32_t extend(uint32_t init_crc, const void* data, size_t n);
// Table-driven (slicing-by-8) implementation; always available, used to cross-check extend().
uint32_t extend_portable(uint32_t init_crc, const void* data, size_t n);

inline uint32_t value(const void* data, size_t n) { return extend(0, data, n); }
inline uint32_t value(std::string_view s) { return extend(0, s.data(), s.size()); }
inline uint32_t extend(uint32_t init_crc, std::string_view s) {
  return extend(init_crc, s.data(), s.size());
}

inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

// rotr15(crc) + kMaskDelta (wrapping).
constexpr uint32_t mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
// Inverse of mask().
constexpr uint32_t unmask(uint32_t masked) {
  const uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace keras::io::crc32c
