// Internal: calls a templated lambda with the C++ element type of a runtime DType.
//   dispatch_float(t.dtype(), "Exp", [&]<typename T>() { ... });
#pragma once

#include <string>

#include "keras/core/dtype.hpp"
#include "keras/core/errors.hpp"

namespace keras::detail {

[[noreturn]] void throw_unsupported_dtype(const char* op, DType dtype, const char* expected);

// float32 and float64: the dtypes math ops compute in.
template <typename F>
decltype(auto) dispatch_float(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::float32: return f.template operator()<float>();
    case DType::float64: return f.template operator()<double>();
    default: throw_unsupported_dtype(op, dtype, "float32 or float64");
  }
}

// Every dtype with arithmetic: floats, signed and unsigned integers.
template <typename F>
decltype(auto) dispatch_numeric(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::float32: return f.template operator()<float>();
    case DType::float64: return f.template operator()<double>();
    case DType::int8: return f.template operator()<int8_t>();
    case DType::int16: return f.template operator()<int16_t>();
    case DType::int32: return f.template operator()<int32_t>();
    case DType::int64: return f.template operator()<int64_t>();
    case DType::uint8: return f.template operator()<uint8_t>();
    default: throw_unsupported_dtype(op, dtype, "a numeric dtype");
  }
}

// Every fixed-size dtype (not string).
template <typename F>
decltype(auto) dispatch_pod(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::float16: return f.template operator()<float16_t>();
    case DType::bfloat16: return f.template operator()<bfloat16_t>();
    case DType::bool_: return f.template operator()<bool>();
    case DType::string: throw_unsupported_dtype(op, dtype, "a non-string dtype");
    default: return dispatch_numeric(dtype, op, std::forward<F>(f));
  }
}

// Converts any stored element type to double and back (float16/bfloat16 through float).
template <typename T>
inline double to_double(T v) {
  return static_cast<double>(static_cast<float>(v));
}
template <> inline double to_double<double>(double v) { return v; }
template <> inline double to_double<float>(float v) { return v; }
template <> inline double to_double<int64_t>(int64_t v) { return static_cast<double>(v); }
template <> inline double to_double<int32_t>(int32_t v) { return v; }
template <> inline double to_double<int16_t>(int16_t v) { return v; }
template <> inline double to_double<int8_t>(int8_t v) { return v; }
template <> inline double to_double<uint8_t>(uint8_t v) { return v; }
template <> inline double to_double<bool>(bool v) { return v ? 1.0 : 0.0; }

template <typename T>
inline T from_double(double v) {
  if constexpr (std::is_same_v<T, float16_t> || std::is_same_v<T, bfloat16_t>) {
    return T(static_cast<float>(v));
  } else if constexpr (std::is_same_v<T, bool>) {
    return v != 0.0;
  } else {
    return static_cast<T>(v);
  }
}

}  // namespace keras::detail
