// Elementwise math, activations and comparisons (keras.ops / keras.activations / tf.math).
//
// Dtypes: float32 and float64 compute natively; float16/bfloat16 compute through float32 and
// return their own dtype. Float-valued ops (sqrt, exp, sigmoid...) given an integer or bool
// tensor return float32, as Keras 3 does (int -> floatx). Ops that are exact on integers (abs,
// square, sign, floor, ceil, round, clip, maximum, minimum, pow with integer operands, the
// comparisons) keep the integer dtype. Binary ops broadcast as numpy does and promote mixed
// dtypes with ops::result_type (two half operands compute and return float32, as ops::add does);
// a shape mismatch is a ValueError naming the op and both shapes.
//
// Performance: every op is one contiguous loop (a flat fast path when shapes are equal), and
// float32 exp/log/log1p/tanh/erf use branch-free kernels the compiler vectorizes (about 1-2 ulp;
// see src/core/ops/math_common.hpp), so sigmoid, tanh, gelu, softplus... run at memory speed.
// Backward passes are one fused loop g * f'(x or y) each.
//
// Every op on float tensors is differentiable under a GradientTape, with TensorFlow's gradient
// conventions at kinks (documented per op). Ops with no gradient in TensorFlow (floor, ceil,
// round, comparisons, logical ops, isnan...) record none: tape.gradient gives an undefined
// Tensor, as TF gives None.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::ops {

// ---- unary math (keras.ops.abs, sqrt, exp...) ----

Tensor abs(const Tensor& x);     // grad: sign(x) (0 at 0, as tf.abs)
Tensor square(const Tensor& x);  // x * x
Tensor sqrt(const Tensor& x);    // grad 0.5 / y (tf.math.sqrt)
Tensor rsqrt(const Tensor& x);   // 1 / sqrt(x)
Tensor exp(const Tensor& x);
Tensor expm1(const Tensor& x);  // exp(x) - 1, accurate near 0
Tensor log(const Tensor& x);
Tensor log1p(const Tensor& x);  // log(1 + x), accurate near 0
Tensor sign(const Tensor& x);   // -1, 0 or 1 (NaN stays NaN); gradient zeros as tf.sign
Tensor floor(const Tensor& x);  // no gradient (TF: None)
Tensor ceil(const Tensor& x);   // no gradient
Tensor round(const Tensor& x);  // half to even as numpy.round / tf.round; no gradient
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor reciprocal(const Tensor& x);  // 1 / x

// numpy.power with broadcasting. Two integer tensors give an integer result (a negative integer
// exponent is a ValueError, as numpy). Gradients as TF's Pow: dx = g*y*x^(y-1),
// dy = g*z*log(x) where x > 0 and 0 elsewhere.
Tensor pow(const Tensor& x, const Tensor& y);
// x ** exponent; exponents 2, 1, 0.5 and -1 take exact fast paths. An integer tensor keeps its
// dtype for a non-negative integral exponent, otherwise computes in float32.
Tensor pow(const Tensor& x, double exponent);

// ---- activations (keras.activations, Keras 3 semantics and defaults) ----

// keras.activations.relu: x > threshold ? x : 0 (plain max(x, 0) when threshold == 0), then
// clipped to [0, max_value] when max_value is given, then minus negative_slope *
// max(threshold - x, 0). Reproduces Keras's composition exactly, including its quirk that a
// negative threshold without max_value passes negative x in (threshold, 0]. Gradient is 0 at the
// kink (tf.nn.relu) and the backward pass of the plain form reads only the saved output.
Tensor relu(const Tensor& x, double negative_slope = 0.0,
            std::optional<double> max_value = std::nullopt, double threshold = 0.0);
// min(max(x, 0), 6); gradient 1 on the open interval (0, 6) as tf.nn.relu6.
Tensor relu6(const Tensor& x);
// x > 0 ? x : negative_slope * x. Keras 3's default slope is 0.2 (Keras 2's LeakyReLU layer
// default alpha=0.3 belongs to that layer's config).
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.2);
// x > 0 ? x : alpha * (exp(x) - 1).
Tensor elu(const Tensor& x, double alpha = 1.0);
// scale * elu(x, alpha) with scale = 1.05070098735548049342, alpha = 1.67326324235437728481
// (Klambauer et al. 2017, the constants Keras and TF use).
Tensor selu(const Tensor& x);
// Gaussian error linear unit. approximate=false: x * 0.5 * (1 + erf(x / sqrt(2))); true: the tanh
// form 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))). The default follows
// keras.activations.gelu (false); note keras.ops.gelu defaults to true.
Tensor gelu(const Tensor& x, bool approximate = false);
// 1 / (1 + exp(-x)); backward uses the output: y * (1 - y).
Tensor sigmoid(const Tensor& x);
// Keras 3: relu6(x + 3) / 6.
Tensor hard_sigmoid(const Tensor& x);
// Keras 2 / tf.keras / TF.js: clip(0.2 * x + 0.5, 0, 1). Use for files written by Keras 2 whose
// config says "hard_sigmoid".
Tensor hard_sigmoid_keras2(const Tensor& x);
// x * hard_sigmoid(x) (Keras 3's hard_silu, alias hard_swish).
Tensor hard_silu(const Tensor& x);
Tensor hard_swish(const Tensor& x);
// Backward uses the output: 1 - y^2.
Tensor tanh(const Tensor& x);
// log(1 + exp(x)) computed as max(x, 0) + log1p(exp(-|x|)): no overflow for large |x|.
Tensor softplus(const Tensor& x);
// x / (1 + |x|).
Tensor softsign(const Tensor& x);
// x * sigmoid(x) (alias swish).
Tensor silu(const Tensor& x);
Tensor swish(const Tensor& x);
// exp(x) under its keras.activations name.
Tensor exponential(const Tensor& x);
// x * tanh(softplus(x)) (keras.activations.mish).
Tensor mish(const Tensor& x);
// log(sigmoid(x)) = -softplus(-x) (keras.activations.log_sigmoid).
Tensor log_sigmoid(const Tensor& x);
// The identity: returns x itself (keras.activations.linear).
Tensor linear(const Tensor& x);

// A function of one tensor that activation() can resolve by name.
using ActivationFn = std::function<Tensor(const Tensor&)>;

// keras.activations.get(name)(x) for the built-in names: linear, relu, relu6, leaky_relu, elu,
// selu, gelu, sigmoid, hard_sigmoid, hard_silu, hard_swish, tanh, softplus, softsign, silu,
// swish, exponential, mish, log_sigmoid, plus any registered with register_activation (softmax,
// log_softmax live with the reductions and register themselves there). An unknown name throws
// UnknownObjectError (a ValueError) listing the known names.
Tensor activation(std::string_view name, const Tensor& x);
// Adds or replaces a named activation (for ops defined elsewhere, such as softmax). Thread-safe.
void register_activation(const std::string& name, ActivationFn fn);
// Every name activation() accepts, sorted.
std::vector<std::string> activation_names();

// ---- clipping and binary extrema ----

// numpy.clip / keras.ops.clip to [lo, hi] (integer tensors stay integers, bounds truncated).
// Gradient passes where lo <= x <= hi, inclusive as tf.clip_by_value.
Tensor clip(const Tensor& x, double lo, double hi);
// Elementwise max/min with broadcasting; NaN propagates (numpy). Gradient as TF's Maximum /
// Minimum: on ties it all goes to x (maximum: to x where x >= y, else to y; minimum: to x where
// x <= y, else to y).
Tensor maximum(const Tensor& x, const Tensor& y);
Tensor minimum(const Tensor& x, const Tensor& y);
Tensor maximum(const Tensor& x, double y);
Tensor minimum(const Tensor& x, double y);

// ---- comparisons and logic: bool results, broadcasting, no gradient ----

Tensor equal(const Tensor& x, const Tensor& y);  // also string tensors, as tf.equal
Tensor not_equal(const Tensor& x, const Tensor& y);
Tensor less(const Tensor& x, const Tensor& y);
Tensor less_equal(const Tensor& x, const Tensor& y);
Tensor greater(const Tensor& x, const Tensor& y);
Tensor greater_equal(const Tensor& x, const Tensor& y);
// Operands are read as truth values (nonzero is true), as keras.ops.logical_and does.
Tensor logical_and(const Tensor& x, const Tensor& y);
Tensor logical_or(const Tensor& x, const Tensor& y);
Tensor logical_xor(const Tensor& x, const Tensor& y);
Tensor logical_not(const Tensor& x);
// numpy.where(condition, x, y) broadcasting all three; condition is read as truth values. The
// result has result_type(x, y). Gradient: g where condition to x, g elsewhere to y (each summed
// back to its operand's shape); condition gets none.
Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y);
// Integer and bool tensors are never NaN/inf.
Tensor isnan(const Tensor& x);
Tensor isinf(const Tensor& x);
Tensor isfinite(const Tensor& x);

// ---- dtype conversion ----

// keras.ops.cast / tf.cast: x.astype(dtype) (differentiable between float dtypes).
Tensor cast(const Tensor& x, DType dtype);
Tensor cast(const Tensor& x, std::string_view dtype);  // by numpy/Keras name ("float32"...)

}  // namespace keras::ops
