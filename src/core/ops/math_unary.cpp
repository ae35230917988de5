// abs, square, sqrt, rsqrt, exp, expm1, log, log1p, sign, floor, ceil, round, sin, cos,
// reciprocal, pow(x, scalar), cast: keras.ops unary math and TensorFlow's gradients for them.
#include <cmath>
#include <limits>
#include <type_traits>

#if defined(__AVX__)
#include <immintrin.h>
#endif

#include "core/ops/math_common.hpp"
#include "keras/ops/elementwise.hpp"
#include "keras/ops/math.hpp"

namespace keras {
namespace detail {

Tensor to_float_operand(const Tensor& x, const char* op) {
  if (x.dtype() == DType::string)
    throw TypeError(std::string(op) + ": expected a numeric tensor, received a string tensor.");
  if (x.dtype() == DType::float32 || x.dtype() == DType::float64) return x;
  return x.astype(DType::float32);
}

DType binary_compute_type(const Tensor& a, const Tensor& b, const char* op) {
  if (!a.defined() || !b.defined())
    throw ValueError(std::string(op) + ": an operand is an undefined tensor.");
  if (a.dtype() == DType::string || b.dtype() == DType::string)
    throw TypeError(std::string(op) + ": expected numeric tensors, received " +
                    std::string(dtype_name(a.dtype())) + " and " +
                    std::string(dtype_name(b.dtype())) + ".");
  const DType d = ops::result_type(a.dtype(), b.dtype());
  if (is_half(d)) return DType::float32;
  if (d == DType::bool_) return DType::int32;
  return d;
}

}  // namespace detail

namespace ops {
namespace {

using detail::Saves;
using detail::unary_float_op;

bool is_int_like(DType d) { return is_integer(d) || d == DType::bool_; }

// An op exact on integers: integer tensors keep their dtype (bool computes as int32).
template <typename F>
Tensor map_integer(const Tensor& x_in, const char* op, F f) {
  const Tensor x = x_in.dtype() == DType::bool_ ? x_in.astype(DType::int32) : x_in;
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  detail::dispatch_numeric(x.dtype(), op, [&]<typename T>() {
    if constexpr (std::is_integral_v<T>) {
      const T* px = x.data<T>();
      T* py = y.data<T>();
      const int64_t n = y.size();
      for (int64_t i = 0; i < n; ++i) py[i] = static_cast<T>(f(px[i]));
    }
  });
  return y;
}

// A float op without gradient (TF registers none): halves through float32.
template <typename F>
Tensor map_float_nograd(const Tensor& x_in, const char* op, F f) {
  if (!x_in.defined()) throw ValueError(std::string(op) + ": the input is an undefined tensor.");
  if (detail::is_half(x_in.dtype()))
    return map_float_nograd(x_in.astype(DType::float32), op, f).astype(x_in.dtype());
  const Tensor x = detail::to_float_operand(x_in, op);
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  detail::dispatch_float(x.dtype(), op, [&]<typename T>() {
    const T* px = x.data<T>();
    T* py = y.data<T>();
    const int64_t n = y.size();
    for (int64_t i = 0; i < n; ++i) py[i] = f(px[i]);
  });
  return y;
}

// y = sqrt(x) (or 1/sqrt(x)). libm's sqrt sets errno for x < 0, which stops GCC vectorizing it
// unless the whole build uses -fno-math-errno; the AVX instruction gives NaN for x < 0 as IEEE
// (and numpy) want.
template <typename T, bool kReciprocal>
void sqrt_array(const T* x, T* y, int64_t n) {
  int64_t i = 0;
#if defined(__AVX__)
  if constexpr (std::is_same_v<T, float>) {
    const __m256 one = _mm256_set1_ps(1.0f);
    for (; i + 8 <= n; i += 8) {
      __m256 s = _mm256_sqrt_ps(_mm256_loadu_ps(x + i));
      if constexpr (kReciprocal) s = _mm256_div_ps(one, s);
      _mm256_storeu_ps(y + i, s);
    }
  } else {
    const __m256d one = _mm256_set1_pd(1.0);
    for (; i + 4 <= n; i += 4) {
      __m256d s = _mm256_sqrt_pd(_mm256_loadu_pd(x + i));
      if constexpr (kReciprocal) s = _mm256_div_pd(one, s);
      _mm256_storeu_pd(y + i, s);
    }
  }
#endif
  for (; i < n; ++i) {
    const T s = std::sqrt(x[i]);
    y[i] = kReciprocal ? T(1) / s : s;
  }
}

template <bool kReciprocal>
Tensor sqrt_op(const Tensor& x_in, const char* op) {
  if (!x_in.defined()) throw ValueError(std::string(op) + ": the input is an undefined tensor.");
  if (detail::is_half(x_in.dtype()))
    return sqrt_op<kReciprocal>(x_in.astype(DType::float32), op).astype(x_in.dtype());
  const Tensor x = detail::to_float_operand(x_in, op);
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  detail::dispatch_float(x.dtype(), op, [&]<typename T>() {
    sqrt_array<T, kReciprocal>(x.data<T>(), y.data<T>(), y.size());
  });
  if (autograd::needs_grad({&x})) {
    const Tensor sy = detail::saved(y);
    autograd::record(y, op, {x}, [sy, op](const Tensor& g) {
      // TF's SqrtGrad and RsqrtGrad read the output: d sqrt = 0.5 / y, d rsqrt = -0.5 * y^3.
      return std::vector<Tensor>{detail::fused_grad(g, sy, sy, op, [](auto gv, auto y, auto) {
        using T = decltype(gv);
        if constexpr (kReciprocal)
          return T(-0.5) * gv * y * y * y;
        else
          return T(0.5) * gv / y;
      })};
    });
  }
  return y;
}

}  // namespace

Tensor abs(const Tensor& x) {
  if (x.defined() && is_int_like(x.dtype()))
    return map_integer(x, "Abs", [](auto v) {
      if constexpr (std::is_signed_v<decltype(v)>)
        return v < 0 ? -v : v;
      else
        return v;
    });
  return unary_float_op<Saves::kInput>(
      x, "Abs", [](auto v) { return std::fabs(v); },
      [](auto g, auto v, auto) {
        using T = decltype(g);
        return v > T(0) ? g : (v < T(0) ? -g : T(0));
      });
}

Tensor square(const Tensor& x) {
  if (x.defined() && is_int_like(x.dtype()))
    return map_integer(x, "Square", [](auto v) { return v * v; });
  return unary_float_op<Saves::kInput>(
      x, "Square", [](auto v) { return v * v; },
      [](auto g, auto v, auto) { return decltype(g)(2) * v * g; });
}

Tensor sqrt(const Tensor& x) { return sqrt_op<false>(x, "Sqrt"); }
Tensor rsqrt(const Tensor& x) { return sqrt_op<true>(x, "Rsqrt"); }

Tensor exp(const Tensor& x) {
  return unary_float_op<Saves::kOutput>(
      x, "Exp", [](auto v) { return detail::vexp(v); }, [](auto g, auto, auto y) { return g * y; });
}

Tensor expm1(const Tensor& x) {
  return unary_float_op<Saves::kOutput>(
      x, "Expm1", [](auto v) { return std::expm1(v); },
      [](auto g, auto, auto y) { return g * (y + decltype(g)(1)); });
}

Tensor log(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "Log", [](auto v) { return detail::vlog(v); }, [](auto g, auto v, auto) { return g / v; });
}

Tensor log1p(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "Log1p", [](auto v) { return detail::vlog1p(v); },
      [](auto g, auto v, auto) { return g / (decltype(g)(1) + v); });
}

Tensor sign(const Tensor& x) {
  if (x.defined() && is_int_like(x.dtype()))
    return map_integer(x, "Sign", [](auto v) {
      using T = decltype(v);
      if constexpr (std::is_signed_v<T>)
        return static_cast<T>((v > 0) - (v < 0));
      else
        return static_cast<T>(v > 0);
    });
  // TF's SignGrad is zeros (not None).
  return unary_float_op<Saves::kInput>(
      x, "Sign",
      [](auto v) {
        using T = decltype(v);
        const T s = static_cast<T>((v > T(0)) - (v < T(0)));
        return v != v ? v : s;
      },
      [](auto g, auto, auto) { return decltype(g)(0); });
}

// floor/ceil through rint (round to nearest even, which vectorizes where std::floor does not
// without -fno-trapping-math), corrected by one; the result takes x's sign so that
// ceil(-0.5) is -0.0 as in IEEE/numpy.
Tensor floor(const Tensor& x) {
  if (x.defined() && is_integer(x.dtype())) return x;
  return map_float_nograd(x, "Floor", [](auto v) {
    const auto r = std::rint(v);
    return std::copysign(r > v ? r - decltype(v)(1) : r, v);
  });
}

Tensor ceil(const Tensor& x) {
  if (x.defined() && is_integer(x.dtype())) return x;
  return map_float_nograd(x, "Ceil", [](auto v) {
    const auto r = std::rint(v);
    return std::copysign(r < v ? r + decltype(v)(1) : r, v);
  });
}

Tensor round(const Tensor& x) {
  if (x.defined() && is_integer(x.dtype())) return x;
  return map_float_nograd(x, "Round", [](auto v) { return std::rint(v); });
}

Tensor sin(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "Sin", [](auto v) { return std::sin(v); },
      [](auto g, auto v, auto) { return g * std::cos(v); });
}

Tensor cos(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "Cos", [](auto v) { return std::cos(v); },
      [](auto g, auto v, auto) { return -g * std::sin(v); });
}

Tensor reciprocal(const Tensor& x) {
  // TF's ReciprocalGrad reads the output: -g * y^2.
  return unary_float_op<Saves::kOutput>(
      x, "Reciprocal", [](auto v) { return decltype(v)(1) / v; },
      [](auto g, auto, auto y) { return -g * y * y; });
}

Tensor pow(const Tensor& x, double p) {
  if (!x.defined()) throw ValueError("Pow: the input is an undefined tensor.");
  if (is_int_like(x.dtype()) && p >= 0 && p == std::floor(p) && p < 64) {
    const int e = static_cast<int>(p);
    return map_integer(x, "Pow", [e](auto v) {
      // Modulo 2^64 then truncated: numpy's wrap-around, without signed-overflow UB.
      uint64_t r = 1, b = static_cast<uint64_t>(v);
      for (int k = e; k > 0; k >>= 1, b *= b)
        if (k & 1) r *= b;
      return static_cast<decltype(v)>(r);
    });
  }
  if (p == 2.0) return square(x);
  if (p == 0.5) return sqrt(x);
  if (p == -0.5) return rsqrt(x);
  if (p == -1.0) return reciprocal(x);
  if (p == 1.0) {
    return unary_float_op<Saves::kInput>(
        x, "Pow", [](auto v) { return v; }, [](auto g, auto, auto) { return g; });
  }
  if (p == 3.0) {
    return unary_float_op<Saves::kInput>(
        x, "Pow", [](auto v) { return v * v * v; },
        [](auto g, auto v, auto) { return decltype(g)(3) * v * v * g; });
  }
  return unary_float_op<Saves::kInput>(
      x, "Pow", [p](auto v) { return std::pow(v, static_cast<decltype(v)>(p)); },
      [p](auto g, auto v, auto) {
        using T = decltype(g);
        return g * static_cast<T>(p) * std::pow(v, static_cast<T>(p - 1));
      });
}

Tensor cast(const Tensor& x, DType dtype) {
  if (!x.defined()) throw ValueError("Cast: the input is an undefined tensor.");
  return x.astype(dtype);
}

Tensor cast(const Tensor& x, std::string_view dtype) { return cast(x, dtype_from_name(dtype)); }

}  // namespace ops
}  // namespace keras
