#include "keras/core/dtype.hpp"

#include <string>

#include "core/dispatch.hpp"

namespace keras {

float16_t::float16_t(float f) {
  // Round-to-nearest-even conversion of IEEE binary32 to binary16.
  const uint32_t x = std::bit_cast<uint32_t>(f);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) {  // inf or NaN
    bits = static_cast<uint16_t>(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u));
    return;
  }
  if (absx >= 0x477ff000u) {  // rounds to >= 65520: overflow to inf
    bits = static_cast<uint16_t>(sign | 0x7c00u);
    return;
  }
  if (absx < 0x38800000u) {  // subnormal half (or zero)
    // value = absx as float; half subnormal unit is 2^-24.
    const float a = std::bit_cast<float>(absx);
    const float scaled = a * 16777216.0f;  // a / 2^-24, exact
    uint32_t m = static_cast<uint32_t>(scaled);
    const float rem = scaled - static_cast<float>(m);
    if (rem > 0.5f || (rem == 0.5f && (m & 1u))) ++m;
    bits = static_cast<uint16_t>(sign | m);
    return;
  }
  uint32_t mant = absx & 0x7fffffu;
  uint32_t exp = (absx >> 23) - 127 + 15;
  uint32_t h = (exp << 10) | (mant >> 13);
  const uint32_t rest = mant & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;  // may carry into the exponent: fine
  bits = static_cast<uint16_t>(sign | h);
}

float16_t::operator float() const {
  const uint32_t sign = (static_cast<uint32_t>(bits) & 0x8000u) << 16;
  const uint32_t exp = (bits >> 10) & 0x1fu;
  const uint32_t mant = bits & 0x3ffu;
  if (exp == 0) {
    const float v = static_cast<float>(mant) / 16777216.0f;  // mant * 2^-24
    return sign ? -v : v;
  }
  if (exp == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));
  return std::bit_cast<float>(sign | ((exp - 15 + 127) << 23) | (mant << 13));
}

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::float32: return 4;
    case DType::float64: return 8;
    case DType::float16: return 2;
    case DType::bfloat16: return 2;
    case DType::int8: return 1;
    case DType::int16: return 2;
    case DType::int32: return 4;
    case DType::int64: return 8;
    case DType::uint8: return 1;
    case DType::bool_: return 1;
    case DType::string: return sizeof(std::string);
  }
  return 0;
}

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::float32: return "float32";
    case DType::float64: return "float64";
    case DType::float16: return "float16";
    case DType::bfloat16: return "bfloat16";
    case DType::int8: return "int8";
    case DType::int16: return "int16";
    case DType::int32: return "int32";
    case DType::int64: return "int64";
    case DType::uint8: return "uint8";
    case DType::bool_: return "bool";
    case DType::string: return "string";
  }
  return "unknown";
}

DType dtype_from_name(std::string_view name) {
  struct Alias {
    std::string_view name;
    DType dtype;
  };
  static constexpr Alias kAliases[] = {
      {"float32", DType::float32},   {"float", DType::float32},     {"single", DType::float32},
      {"float64", DType::float64},   {"double", DType::float64},    {"float16", DType::float16},
      {"half", DType::float16},      {"bfloat16", DType::bfloat16}, {"int8", DType::int8},
      {"int16", DType::int16},       {"int32", DType::int32},       {"int", DType::int32},
      {"int64", DType::int64},       {"uint8", DType::uint8},       {"bool", DType::bool_},
      {"string", DType::string},     {"str", DType::string},
  };
  for (const auto& a : kAliases)
    if (a.name == name) return a.dtype;
  throw ValueError("Unknown dtype: '" + std::string(name) +
                   "'. Expected one of float32, float64, float16, bfloat16, int8, int16, int32, "
                   "int64, uint8, bool, string.");
}

bool is_floating(DType d) {
  return d == DType::float32 || d == DType::float64 || d == DType::float16 || d == DType::bfloat16;
}

bool is_integer(DType d) {
  return d == DType::int8 || d == DType::int16 || d == DType::int32 || d == DType::int64 ||
         d == DType::uint8;
}

namespace detail {
void throw_unsupported_dtype(const char* op, DType dtype, const char* expected) {
  throw TypeError(std::string(op) + ": unsupported dtype " + std::string(dtype_name(dtype)) +
                  "; expected " + expected + ".");
}
}  // namespace detail

}  // namespace keras
