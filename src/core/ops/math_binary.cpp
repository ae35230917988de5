// maximum, minimum, clip, pow(x, y), floor_divide, mod: broadcasting binary math with
// TensorFlow's gradients.
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/ops/broadcast.hpp"
#include "core/ops/math_common.hpp"
#include "keras/ops/elementwise.hpp"
#include "keras/ops/math.hpp"

namespace keras::ops {
namespace {

// The operands of a binary op converted to its compute dtype (differentiably between floats),
// and the broadcast output shape.
struct BinaryOperands {
  Tensor a, b;
  DType dtype;
  Shape shape;
};

BinaryOperands prepare(const Tensor& a, const Tensor& b, const char* op) {
  BinaryOperands r;
  r.dtype = detail::binary_compute_type(a, b, op);
  r.shape = broadcast_shapes(a.shape(), b.shape(), op);
  r.a = a.dtype() == r.dtype ? a : a.astype(r.dtype);
  r.b = b.dtype() == r.dtype ? b : b.astype(r.dtype);
  return r;
}

// out = f(a, b) over the broadcast shape, for every numeric compute dtype. f gets (T, T).
template <typename F>
Tensor binary_map(const BinaryOperands& o, const char* op, F f) {
  Tensor out = Tensor::empty(o.shape, o.dtype);
  detail::dispatch_numeric(o.dtype, op, [&]<typename T>() {
    detail::broadcast_binary(o.a.data<T>(), o.a.shape(), o.b.data<T>(), o.b.shape(), out.data<T>(),
                             o.shape, [f](T x, T y) -> T { return f(x, y); });
  });
  return out;
}

// Float-only variant: f(x, y) for T = float or double, written into a tensor of the output shape.
template <typename F>
Tensor binary_map_float(const Tensor& a, const Tensor& b, const Shape& shape, const char* op, F f) {
  Tensor out = Tensor::empty(shape, a.dtype());
  detail::dispatch_float(a.dtype(), op, [&]<typename T>() {
    detail::broadcast_binary(a.data<T>(), a.shape(), b.data<T>(), b.shape(), out.data<T>(), shape,
                             [f](T x, T y) -> T { return f(x, y); });
  });
  return out;
}

// Maximum/Minimum backward: mask = x-gets-it (1 or 0) over the broadcast shape, then one fused
// pass splitting g between x and y.
template <bool kMax>
std::vector<Tensor> extremum_grad(const Tensor& g_in, const Tensor& a, const Tensor& b,
                                  const Shape& shape, bool need_a, bool need_b) {
  const char* op = kMax ? "Maximum" : "Minimum";
  Tensor ga = binary_map_float(a, b, shape, op, [](auto x, auto y) {
    using T = decltype(x);
    if constexpr (kMax)
      return x >= y ? T(1) : T(0);  // TF: greater_equal -> ties go to x
    else
      return x <= y ? T(1) : T(0);
  });
  Tensor gb = need_b ? Tensor::empty(shape, a.dtype()) : Tensor();
  const Tensor g = detail::grad_as(g_in, a.dtype());
  detail::dispatch_float(a.dtype(), op, [&]<typename T>() {
    const T* pg = g.data<T>();
    T* pa = ga.data<T>();
    const int64_t n = ga.size();
    if (need_b) {
      T* pb = gb.data<T>();
      for (int64_t i = 0; i < n; ++i) {
        const T ax = pg[i] * pa[i];
        pa[i] = ax;
        pb[i] = pg[i] - ax;
      }
    } else {
      for (int64_t i = 0; i < n; ++i) pa[i] *= pg[i];
    }
  });
  return {need_a ? autograd::reduce_to_shape(ga, a.shape()) : Tensor(),
          need_b ? autograd::reduce_to_shape(gb, b.shape()) : Tensor()};
}

template <bool kMax>
Tensor extremum(const Tensor& x, const Tensor& y) {
  const char* op = kMax ? "Maximum" : "Minimum";
  BinaryOperands o = prepare(x, y, op);
  // NaN propagates as numpy.maximum: a NaN x is kept, and a NaN y fails the comparison.
  Tensor out = binary_map(o, op, [](auto a, auto b) {
    if constexpr (kMax)
      return (a > b || a != a) ? a : b;
    else
      return (a < b || a != a) ? a : b;
  });
  if (is_floating(o.dtype) && autograd::needs_grad({&o.a, &o.b})) {
    const Tensor sa = detail::saved(o.a), sb = detail::saved(o.b);
    const bool need_a = o.a.grad_node() != nullptr, need_b = o.b.grad_node() != nullptr;
    const Shape shape = o.shape;
    autograd::record(out, op, {o.a, o.b}, [=](const Tensor& g) {
      return extremum_grad<kMax>(g, sa, sb, shape, need_a, need_b);
    });
  }
  return out;
}

// Integer x ** y by squaring, modulo 2^64 then truncated (numpy's wrap-around without UB).
template <typename T>
T int_pow(T base, T exponent, bool* negative) {
  if constexpr (std::is_signed_v<T>) {
    if (exponent < 0) {
      *negative = true;
      return 0;
    }
  }
  uint64_t r = 1, b = static_cast<uint64_t>(base);
  for (uint64_t k = static_cast<uint64_t>(exponent); k > 0; k >>= 1, b *= b)
    if (k & 1) r *= b;
  return static_cast<T>(r);
}

// Python/numpy floor division and modulo (the result of mod takes the divisor's sign).
template <typename T>
T floor_div_value(T a, T b, bool* div_by_zero) {
  if constexpr (std::is_floating_point_v<T>) {
    (void)div_by_zero;
    if (b == T(0)) return a / b;  // inf or nan, as numpy
    // numpy's npy_divmod: exact on representable quotients where floor(a / b) is not.
    T mod = std::fmod(a, b);
    T div = (a - mod) / b;
    if (mod != T(0) && ((b < T(0)) != (mod < T(0)))) div -= T(1);
    if (div == T(0)) return std::copysign(T(0), a / b);
    T floordiv = std::floor(div);
    if (div - floordiv > T(0.5)) floordiv += T(1);
    return floordiv;
  } else {
    if (b == 0) {
      *div_by_zero = true;
      return 0;
    }
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(a));  // no trap
      T q = static_cast<T>(a / b);
      if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
      return q;
    } else {
      return static_cast<T>(a / b);
    }
  }
}

template <typename T>
T mod_value(T a, T b, bool* div_by_zero) {
  if constexpr (std::is_floating_point_v<T>) {
    (void)div_by_zero;
    T mod = std::fmod(a, b);  // NaN for b == 0, as numpy
    if (mod != T(0)) {
      if ((b < T(0)) != (mod < T(0))) mod += b;
    } else {
      mod = std::copysign(T(0), b);
    }
    return mod;
  } else {
    if (b == 0) {
      *div_by_zero = true;
      return 0;
    }
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return 0;
      T r = static_cast<T>(a % b);
      if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
      return r;
    } else {
      return static_cast<T>(a % b);
    }
  }
}

// floor_divide / mod forward; integer division by zero is a ValueError (TF raises too; numpy
// would return 0 with a warning).
template <bool kMod>
Tensor divmod_forward(const BinaryOperands& o, const char* op) {
  bool div_by_zero = false;
  bool* flag = &div_by_zero;
  Tensor out = binary_map(o, op, [flag](auto a, auto b) {
    if constexpr (kMod)
      return mod_value(a, b, flag);
    else
      return floor_div_value(a, b, flag);
  });
  if (div_by_zero) throw ValueError(std::string(op) + ": integer division by zero.");
  return out;
}

}  // namespace

Tensor maximum(const Tensor& x, const Tensor& y) { return extremum<true>(x, y); }
Tensor minimum(const Tensor& x, const Tensor& y) { return extremum<false>(x, y); }
Tensor maximum(const Tensor& x, double y) { return extremum<true>(x, scalar_like(y, x)); }
Tensor minimum(const Tensor& x, double y) { return extremum<false>(x, scalar_like(y, x)); }

Tensor clip(const Tensor& x_in, double lo, double hi) {
  if (!x_in.defined()) throw ValueError("ClipByValue: the input is an undefined tensor.");
  if (x_in.dtype() == DType::string)
    throw TypeError("ClipByValue: expected a numeric tensor, received a string tensor.");
  if (detail::is_half(x_in.dtype()))
    return clip(x_in.astype(DType::float32), lo, hi).astype(x_in.dtype());
  const Tensor x = x_in.dtype() == DType::bool_ ? x_in.astype(DType::int32) : x_in;
  if (is_floating(x.dtype())) {
    // tf.clip_by_value = maximum(minimum(x, hi), lo); NaN stays NaN.
    return detail::unary_float_op<detail::Saves::kInput>(
        x, "ClipByValue",
        [lo, hi](auto v) {
          using T = decltype(v);
          const T c = std::max(std::min(v, T(hi)), T(lo));
          return v != v ? v : c;
        },
        [lo, hi](auto g, auto v, auto) {
          using T = decltype(g);
          return v >= T(lo) && v <= T(hi) ? g : T(0);
        });
  }
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  detail::dispatch_numeric(x.dtype(), "ClipByValue", [&]<typename T>() {
    if constexpr (std::is_integral_v<T>) {
      // Bounds cast to the integer dtype as Keras does, saturating instead of overflowing.
      auto to_t = [](double v) {
        const double m = static_cast<double>(std::numeric_limits<T>::min());
        const double M = static_cast<double>(std::numeric_limits<T>::max());
        return static_cast<T>(std::isnan(v) ? 0.0 : std::min(std::max(v, m), M));
      };
      const T l = to_t(lo), h = to_t(hi);
      const T* px = x.data<T>();
      T* po = out.data<T>();
      const int64_t n = out.size();
      for (int64_t i = 0; i < n; ++i) po[i] = std::max(std::min(px[i], h), l);
    }
  });
  return out;
}

Tensor pow(const Tensor& x, const Tensor& y) {
  BinaryOperands o = prepare(x, y, "Pow");
  if (is_integer(o.dtype)) {
    bool negative = false;
    bool* flag = &negative;
    Tensor out = binary_map(o, "Pow", [flag](auto a, auto b) { return int_pow(a, b, flag); });
    if (negative)
      throw ValueError(
          "Pow: integers to negative integer powers are not allowed (received a "
          "negative exponent in an integer tensor).");
    return out;
  }
  // A constant scalar exponent (x ** 2 written with tensors) takes the exact fast paths.
  if (o.b.size() == 1 && o.b.ndim() <= o.a.ndim() && !o.b.grad_node())
    return ops::pow(o.a, o.b.item<double>()).reshape(o.shape);
  Tensor out =
      binary_map_float(o.a, o.b, o.shape, "Pow", [](auto a, auto b) { return std::pow(a, b); });
  if (autograd::needs_grad({&o.a, &o.b})) {
    const Tensor sa = detail::saved(o.a), sb = detail::saved(o.b);
    const bool need_a = o.a.grad_node() != nullptr, need_b = o.b.grad_node() != nullptr;
    const Shape shape = o.shape;
    autograd::record(out, "Pow", {o.a, o.b}, [=](const Tensor& g) {
      Tensor ga, gb;
      if (need_a) {  // g * y * x^(y-1)
        Tensor d = binary_map_float(sa, sb, shape, "Pow", [](auto a, auto b) {
          return b * std::pow(a, b - decltype(a)(1));
        });
        ga = autograd::reduce_to_shape(multiply(g, d), sa.shape());
      }
      if (need_b) {  // g * x^y * log(x) where x > 0, else 0 (TF's PowGrad)
        Tensor d = binary_map_float(sa, sb, shape, "Pow", [](auto a, auto b) {
          using T = decltype(a);
          return a > T(0) ? std::pow(a, b) * std::log(a) : T(0);
        });
        gb = autograd::reduce_to_shape(multiply(g, d), sb.shape());
      }
      return std::vector<Tensor>{ga, gb};
    });
  }
  return out;
}

Tensor floor_divide(const Tensor& x, const Tensor& y) {
  // TF registers no gradient for FloorDiv (None).
  return divmod_forward<false>(prepare(x, y, "FloorDiv"), "FloorDiv");
}

Tensor mod(const Tensor& x, const Tensor& y) {
  BinaryOperands o = prepare(x, y, "FloorMod");
  Tensor out = divmod_forward<true>(o, "FloorMod");
  if (is_floating(o.dtype) && autograd::needs_grad({&o.a, &o.b})) {
    const Tensor sa = detail::saved(o.a), sb = detail::saved(o.b);
    const bool need_a = o.a.grad_node() != nullptr, need_b = o.b.grad_node() != nullptr;
    autograd::record(out, "FloorMod", {o.a, o.b}, [=](const Tensor& g) {
      // TF's FloorModGrad: x - floor(x / y) * y, so dx = g, dy = -g * floor_divide(x, y).
      Tensor ga, gb;
      if (need_a) ga = autograd::reduce_to_shape(g, sa.shape());
      if (need_b)
        gb = autograd::reduce_to_shape(negative(multiply(g, floor_divide(sa, sb))), sb.shape());
      return std::vector<Tensor>{ga, gb};
    });
  }
  return out;
}

}  // namespace keras::ops
