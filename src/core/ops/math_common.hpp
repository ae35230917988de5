// Internal: shared machinery of the elementwise math ops (math_*.cpp).
//
// - Vectorizable float32 exp/log/log1p/tanh/erf. glibc's expf/tanhf are scalar calls the compiler
// cannot
//   vectorize without -ffast-math, and these ops run over millions of floats per training step;
//   the kernels below are branch-free (selects only) so GCC turns their loops into AVX code.
//   float64 keeps the libm functions: it is the precision/gradient-check dtype.
// - unary_float_op: forward loop + autograd record for a float-valued unary op whose backward is
//   one fused pass g * f'(x, y) over the saved input and/or output.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "keras/core/autograd.hpp"
#include "keras/core/tensor.hpp"

namespace keras::detail {

inline bool is_half(DType d) { return d == DType::float16 || d == DType::bfloat16; }

// ---- vectorizable float32 kernels ----

// exp(x), about 1 ulp (Cephes expf polynomial). 2^n is applied as two factors so that results
// down to the denormals and up to overflow come out right without branches.
inline float exp_f32(float x) {
  const float xc = std::min(std::max(x, -104.0f), 89.0f);
  // Round x*log2(e) to nearest with the 1.5*2^23 trick (exact for |v| < 2^22; vectorizes without
  // -ffast-math, unlike std::nearbyint).
  const float fx = (xc * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  float r = xc - fx * 0.693359375f;  // ln2 split in two: the first part is exact in 9 bits
  r = r - fx * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * (r * r) + r + 1.0f;
  const int32_t n = static_cast<int32_t>(fx);
  const int32_t n1 = n >> 1, n2 = n - n1;  // each in [-75, 65]: a normal power of two
  const float s1 = std::bit_cast<float>((n1 + 127) << 23);
  const float s2 = std::bit_cast<float>((n2 + 127) << 23);
  const float out = y * s1 * s2;
  return x != x ? x : out;
}

// tanh(x), a few ulp (Cephes tanhf): an odd polynomial for |x| < 0.625 (where 1 - 2/(e^2x+1)
// would cancel), the exp form elsewhere.
inline float tanh_f32(float x) {
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = p * z * x + x;
  const float ax = std::fabs(x);
  const float big = std::copysign(1.0f - 2.0f / (exp_f32(ax + ax) + 1.0f), x);
  return ax < 0.625f ? small : big;
}

// erf(x), a few ulp: the rational approximation on [-4, 4] used by Eigen and XLA for float32
// (erf(4) rounds to 1 in float32).
inline float erf_f32(float x) {
  const float xc = std::min(std::max(x, -4.0f), 4.0f);
  const float z = xc * xc;
  float p = -2.72614225801306e-10f;
  p = p * z + 2.77068142495902e-08f;
  p = p * z - 2.10102402082508e-06f;
  p = p * z - 5.69250639462346e-05f;
  p = p * z - 7.34990630326855e-04f;
  p = p * z - 2.95459980854025e-03f;
  p = p * z - 1.60960333262415e-02f;
  float q = -1.45660718464996e-05f;
  q = q * z - 2.13374055278905e-04f;
  q = q * z - 1.68282697438203e-03f;
  q = q * z - 7.37332916720468e-03f;
  q = q * z - 1.42647390514189e-02f;
  const float out = xc * p / q;
  return x != x ? x : out;
}

// log(x), about 1 ulp (Cephes logf's polynomial): x = z * 2^k with z in [sqrt(1/2), sqrt(2))
// found by integer arithmetic on the bits (as musl's logf), then a polynomial in z - 1.
// Denormal inputs are scaled by 2^23 first; x = 0 gives -inf, x < 0 and NaN give NaN.
//
// Special inputs add a constant to the result instead of replacing it: a select that discards
// the polynomial lets GCC sink its arithmetic into a branch, which (FP ops may trap) it then
// refuses to vectorize. Unsigned bit arithmetic keeps -0.0 and negatives free of overflow UB.
inline float log_f32(float x) {
  const uint32_t ix_normal = std::bit_cast<uint32_t>(x);
  const uint32_t ix_denormal = std::bit_cast<uint32_t>(x * 8388608.0f) - (23u << 23);
  const uint32_t ix = std::bit_cast<int32_t>(x) < 0x00800000 ? ix_denormal : ix_normal;
  const uint32_t tmp = ix - 0x3f3504f3u;  // bits of sqrt(1/2)
  const int32_t k = static_cast<int32_t>(tmp) >> 23;
  const float m = std::bit_cast<float>(ix - (tmp & 0xff800000u)) - 1.0f;
  const float z = m * m;
  float p = 7.0376836292e-2f;
  p = p * m - 1.1514610310e-1f;
  p = p * m + 1.1676998740e-1f;
  p = p * m - 1.2420140846e-1f;
  p = p * m + 1.4249322787e-1f;
  p = p * m - 1.6668057665e-1f;
  p = p * m + 2.0000714765e-1f;
  p = p * m - 2.4999993993e-1f;
  p = p * m + 3.3333331174e-1f;
  const float fe = static_cast<float>(k);
  float y = p * m * z + fe * -2.12194440e-4f - 0.5f * z;
  y = m + y + fe * 0.693359375f;
  const float inf = std::numeric_limits<float>::infinity();
  float adj = x == inf ? inf : 0.0f;
  adj = x == 0.0f ? -inf : adj;
  adj = (x < 0.0f) | (x != x) ? std::numeric_limits<float>::quiet_NaN() : adj;
  return y + adj;
}

// log(1 + x) to a few ulp via log(w) * x / (w - 1) with w = 1 + x (the quotient cancels the
// rounding error of w; Goldberg 1991, "What every computer scientist should know...", thm. 4).
// Where w == 1, log(w) is exactly 0 and x itself is added back; selects only pick inputs or
// constants (see log_f32).
inline float log1p_f32(float x) {
  const float w = 1.0f + x;
  const float d = w - 1.0f;
  const bool tiny = d == 0.0f;
  const bool inf = x == std::numeric_limits<float>::infinity();
  const float num = inf ? 1.0f : x;
  const float den = tiny | inf ? 1.0f : d;
  return log_f32(w) * (num / den) + (tiny ? x : 0.0f);
}

template <typename T>
inline T vexp(T x) {
  if constexpr (std::is_same_v<T, float>)
    return exp_f32(x);
  else
    return std::exp(x);
}
template <typename T>
inline T vtanh(T x) {
  if constexpr (std::is_same_v<T, float>)
    return tanh_f32(x);
  else
    return std::tanh(x);
}
template <typename T>
inline T verf(T x) {
  if constexpr (std::is_same_v<T, float>)
    return erf_f32(x);
  else
    return std::erf(x);
}
template <typename T>
inline T vlog(T x) {
  if constexpr (std::is_same_v<T, float>)
    return log_f32(x);
  else
    return std::log(x);
}
template <typename T>
inline T vlog1p(T x) {
  if constexpr (std::is_same_v<T, float>)
    return log1p_f32(x);
  else
    return std::log1p(x);
}
// 1 / (1 + exp(-x)): exp(-x) overflows to inf for very negative x, giving an exact 0, never NaN.
template <typename T>
inline T vsigmoid(T x) {
  return T(1) / (T(1) + vexp<T>(-x));
}

// ---- tensors ----

// The tensor a float-valued op computes on: float32/float64 as is; integers and bool as float32
// (Keras 3 gives floatx); strings are a TypeError naming the op. Halves are handled by callers.
Tensor to_float_operand(const Tensor& x, const char* op);

// The Tensor handle to keep for a backward pass: same data, no grad node. Keeping the output's
// own node inside its backward function would make a reference cycle.
inline Tensor saved(const Tensor& t) {
  Tensor s = t;
  s.set_grad_node(nullptr);
  return s;
}

// g cast to dtype (a gradient arriving in another float dtype, e.g. after a mixed-dtype add).
inline Tensor grad_as(const Tensor& g, DType dtype) {
  return g.dtype() == dtype ? g : g.astype(dtype);
}

enum class Saves { kInput, kOutput, kBoth };

// out[i] = f(g[i], a[i], b[i]) for three same-shape float tensors of one dtype.
template <typename F>
Tensor fused_grad(const Tensor& g_in, const Tensor& a, const Tensor& b, const char* op, F f) {
  const Tensor g = grad_as(g_in, a.dtype());
  Tensor out = Tensor::empty(a.shape(), a.dtype());
  dispatch_float(a.dtype(), op, [&]<typename T>() {
    const T* pg = g.data<T>();
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* po = out.data<T>();
    const int64_t n = out.size();
    for (int64_t i = 0; i < n; ++i) po[i] = f(pg[i], pa[i], pb[i]);
  });
  return out;
}

// A float-valued unary op: y = fwd(x) elementwise, recorded as `op` with the backward pass
// dx = bwd(g, x, y) in one fused loop. S says which of x, y the backward reads; only those are
// kept alive (bwd still receives both arguments; the unsaved one aliases the saved one).
// fwd and bwd are generic lambdas called with float or double.
template <Saves S, typename Fwd, typename Bwd>
Tensor unary_float_op(const Tensor& x_in, const char* op, Fwd fwd, Bwd bwd) {
  if (!x_in.defined()) throw ValueError(std::string(op) + ": the input is an undefined tensor.");
  if (is_half(x_in.dtype()))
    return unary_float_op<S>(x_in.astype(DType::float32), op, fwd, bwd).astype(x_in.dtype());
  const Tensor x = to_float_operand(x_in, op);
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  dispatch_float(x.dtype(), op, [&]<typename T>() {
    const T* px = x.data<T>();
    T* py = y.data<T>();
    const int64_t n = y.size();
    for (int64_t i = 0; i < n; ++i) py[i] = fwd(px[i]);
  });
  if (autograd::needs_grad({&x})) {
    const Tensor sx = S == Saves::kOutput ? Tensor() : saved(x);
    const Tensor sy = S == Saves::kInput ? Tensor() : saved(y);
    autograd::record(y, op, {x}, [sx, sy, op, bwd](const Tensor& g) {
      const Tensor& a = sx.defined() ? sx : sy;
      const Tensor& b = sy.defined() ? sy : sx;
      return std::vector<Tensor>{fused_grad(g, a, b, op, bwd)};
    });
  }
  return y;
}

// The dtype a binary op computes in: result_type, with halves through float32 and bool as int32.
DType binary_compute_type(const Tensor& a, const Tensor& b, const char* op);

}  // namespace keras::detail
