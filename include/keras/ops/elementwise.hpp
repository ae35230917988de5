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
// True division (tf.math.truediv): two integer (or bool) operands give a float result,
// int64 -> float64 and narrower integers -> float32 (Keras 3 floatx; TF would give float64 for
// int32).
Tensor divide(const Tensor& a, const Tensor& b);
Tensor negative(const Tensor& x);
// Python's // and % (numpy floor_divide / mod, tf.math.floordiv / floormod): the quotient is
// floored and the remainder takes the divisor's sign. Integer division by zero is a ValueError.
// floor_divide has no gradient (TF: None); mod's is dx = g, dy = -g * floor_divide(x, y).
// Defined in math_binary.cpp.
Tensor floor_divide(const Tensor& a, const Tensor& b);
Tensor mod(const Tensor& a, const Tensor& b);

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
