// Internal: axis handling and the (outer, n, inner) view shared by reductions, linalg and array
// ops. Not a public header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "keras/core/tensor.hpp"

namespace keras::ops::detail_reduce {

// Sorted, unique, non-negative axes; every axis when `axes` is empty. ValueError naming `op` for
// an axis outside [-ndim, ndim).
std::vector<int> normalize_axes(const std::vector<int>& axes, int ndim, const char* op);

// One axis in [-ndim, ndim) made non-negative; ValueError naming `op` otherwise.
int normalize_axis(int axis, int ndim, const char* op);

// `shape` with `axes` (normalized) removed, or set to 1 when keepdims.
Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keepdims);

// Product of the reduced dimensions (the divisor of mean/var).
int64_t reduced_count(const Shape& shape, const std::vector<int>& axes);

// A tensor seen as (outer, n, inner) around one axis: element (o, k, i) is at (o * n + k) * inner +
// i.
struct AxisView {
  int64_t outer = 1, n = 1, inner = 1;
};
AxisView axis_view(const Shape& shape, int axis);

// The computation dtype of float reductions: float16/bfloat16 compute in float32, integers and
// bool give float32 (keras.ops.mean's result for integer input).
DType float_compute_type(DType d);

// Reductions without autodiff over normalized axes. x must be float32/float64/integer (the caller
// converts); the result keeps x's dtype. max/min REQUIRE a non-empty reduced extent.
Tensor sum_raw(const Tensor& x, const std::vector<int>& axes, bool keepdims);
Tensor max_raw(const Tensor& x, const std::vector<int>& axes, bool keepdims);
Tensor min_raw(const Tensor& x, const std::vector<int>& axes, bool keepdims);

// g (the gradient of a reduction's output) broadcast back to the input's shape.
Tensor broadcast_grad(const Tensor& g, const Shape& kept, const Shape& input_shape);

}  // namespace keras::ops::detail_reduce

namespace keras::detail {

// Calls f.template operator()<U>() with U the unsigned integer type of the dtype's element size,
// for ops that only move elements (transpose, concatenate, gather...). TypeError for strings.
template <typename F>
decltype(auto) dispatch_bytes(DType dtype, const char* op, F&& f) {
  switch (dtype_size(dtype)) {
    case 1:
      if (dtype != DType::string) return f.template operator()<uint8_t>();
      break;
    case 2:
      return f.template operator()<uint16_t>();
    case 4:
      return f.template operator()<uint32_t>();
    case 8:
      return f.template operator()<uint64_t>();
    default:
      break;
  }
  throw_unsupported_dtype(op, dtype, "a non-string dtype");
}

}  // namespace keras::detail
