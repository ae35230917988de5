// Elementwise ops with numpy broadcasting (keras.ops / tf.math).
//
// Binary ops broadcast as numpy does and promote mixed dtypes (integer with float gives the float,
// two floats or two integers give the wider). A shape mismatch raises ValueError naming the op and
// both shapes. Every op on float tensors is differentiable under a GradientTape.
#pragma once

#include "keras/core/tensor.hpp"

namespace keras {
namespace ops {

// The broadcast shape of two shapes; ValueError naming `op` and both shapes when incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op = "broadcast");
// numpy's result_type for two dtypes (see above).
DType result_type(DType a, DType b);
// A 0-d tensor holding `value` in the dtype a binary op with `like` should use.
Tensor scalar_like(double value, const Tensor& like);

// numpy.broadcast_to (a copy). Differentiable.
Tensor broadcast_to(const Tensor& x, const Shape& shape);

Tensor add(const Tensor& a, const Tensor& b);
Tensor subtract(const Tensor& a, const Tensor& b);
Tensor multiply(const Tensor& a, const Tensor& b);
Tensor divide(const Tensor& a, const Tensor& b);
Tensor negative(const Tensor& x);

}  // namespace ops

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);

}  // namespace keras
