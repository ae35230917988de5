// DType: TensorFlow's tf.DType / numpy's dtype for keras-cpp tensors.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "keras/core/errors.hpp"

namespace keras {

enum class DType : uint8_t {
  float32,
  float64,
  float16,
  bfloat16,
  int8,
  int16,
  int32,
  int64,
  uint8,
  bool_,
  string,
};

inline constexpr DType float32 = DType::float32;
inline constexpr DType float64 = DType::float64;
inline constexpr DType float16 = DType::float16;
inline constexpr DType bfloat16 = DType::bfloat16;
inline constexpr DType int8 = DType::int8;
inline constexpr DType int16 = DType::int16;
inline constexpr DType int32 = DType::int32;
inline constexpr DType int64 = DType::int64;
inline constexpr DType uint8 = DType::uint8;
inline constexpr DType bool_ = DType::bool_;
inline constexpr DType string = DType::string;

// IEEE 754 half precision, storage only: arithmetic converts to float.
struct float16_t {
  uint16_t bits = 0;
  float16_t() = default;
  explicit float16_t(float f);
  explicit operator float() const;
};

// bfloat16 (the upper half of a float32), storage only; conversion rounds to nearest even.
struct bfloat16_t {
  uint16_t bits = 0;
  bfloat16_t() = default;
  explicit bfloat16_t(float f) {
    uint32_t u = std::bit_cast<uint32_t>(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) {  // NaN stays a (quiet) NaN
      bits = static_cast<uint16_t>((u >> 16) | 0x40);
    } else {
      bits = static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    }
  }
  explicit operator float() const { return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }
};

// Bytes per element (strings: sizeof(std::string), they live in a separate array).
size_t dtype_size(DType dtype);
// numpy/Keras spelling: "float32", "int64", "bool", "string"...
std::string_view dtype_name(DType dtype);
// Parses a numpy/Keras/TF dtype name ("float32", "float", "half", "bool", "int"...). Throws ValueError.
DType dtype_from_name(std::string_view name);
bool is_floating(DType dtype);  // float16/32/64, bfloat16
bool is_integer(DType dtype);   // int8..int64, uint8

// The C++ type stored for each dtype.
template <DType D>
struct dtype_traits;
template <> struct dtype_traits<DType::float32> { using type = float; };
template <> struct dtype_traits<DType::float64> { using type = double; };
template <> struct dtype_traits<DType::float16> { using type = float16_t; };
template <> struct dtype_traits<DType::bfloat16> { using type = bfloat16_t; };
template <> struct dtype_traits<DType::int8> { using type = int8_t; };
template <> struct dtype_traits<DType::int16> { using type = int16_t; };
template <> struct dtype_traits<DType::int32> { using type = int32_t; };
template <> struct dtype_traits<DType::int64> { using type = int64_t; };
template <> struct dtype_traits<DType::uint8> { using type = uint8_t; };
template <> struct dtype_traits<DType::bool_> { using type = bool; };
template <> struct dtype_traits<DType::string> { using type = std::string; };

template <typename T>
constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::float32; }
template <> constexpr DType dtype_of<double>() { return DType::float64; }
template <> constexpr DType dtype_of<float16_t>() { return DType::float16; }
template <> constexpr DType dtype_of<bfloat16_t>() { return DType::bfloat16; }
template <> constexpr DType dtype_of<int8_t>() { return DType::int8; }
template <> constexpr DType dtype_of<int16_t>() { return DType::int16; }
template <> constexpr DType dtype_of<int32_t>() { return DType::int32; }
template <> constexpr DType dtype_of<int64_t>() { return DType::int64; }
template <> constexpr DType dtype_of<uint8_t>() { return DType::uint8; }
template <> constexpr DType dtype_of<bool>() { return DType::bool_; }
template <> constexpr DType dtype_of<std::string>() { return DType::string; }

}  // namespace keras
