// keras.activations: relu (with Keras's negative_slope/max_value/threshold), relu6, leaky_relu,
// elu, selu, gelu, sigmoid, hard_sigmoid, hard_silu, tanh, softplus, softsign, silu, mish,
// log_sigmoid, exponential, linear, and activation() resolving them by name.
//
// Each forward is one vectorizable loop; each backward is one fused pass g * f'(...) reading the
// saved output where f' is a function of it (relu, relu6, sigmoid, tanh) and the input otherwise.
#include <algorithm>
#include <map>
#include <mutex>

#include "core/ops/math_common.hpp"
#include "keras/ops/math.hpp"

namespace keras::detail {
// softmax and log_softmax (reductions) for the registry; in math_softmax_activation.cpp.
std::vector<std::pair<std::string, ops::ActivationFn>> softmax_activations();
}  // namespace keras::detail

namespace keras::ops {
namespace {

using detail::Saves;
using detail::unary_float_op;
using detail::vexp;
using detail::vsigmoid;

// Published constants: SELU (Klambauer et al. 2017, as tf.nn.selu), GELU (Hendrycks & Gimpel
// 2016, as tf.nn.gelu).
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSqrt2OverPi = 0.7978845608028654;  // sqrt(2 / pi)
constexpr double kGeluCubic = 0.044715;
constexpr double kSqrtHalf = 0.70710678118654752440;    // 1 / sqrt(2)
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1 / sqrt(2 pi)

// exp(x) - 1: float32 as TF's Eigen kernel computes elu (exp then subtract, vectorized); float64
// through expm1 for full precision.
template <typename T>
inline T vexpm1(T x) {
  if constexpr (std::is_same_v<T, float>)
    return detail::exp_f32(x) - 1.0f;
  else
    return std::expm1(x);
}

// log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)).
template <typename T>
inline T softplus_value(T x) {
  return std::max(x, T(0)) + detail::vlog1p(vexp<T>(-std::fabs(x)));
}

}  // namespace

Tensor relu(const Tensor& x, double negative_slope, std::optional<double> max_value,
            double threshold) {
  if (negative_slope == 0.0 && threshold == 0.0) {
    if (!max_value) {
      return unary_float_op<Saves::kOutput>(
          x, "Relu", [](auto v) { return v < decltype(v)(0) ? decltype(v)(0) : v; },
          [](auto g, auto, auto y) { return y > decltype(g)(0) ? g : decltype(g)(0); });
    }
    if (*max_value == 6.0) return relu6(x);  // Keras takes tf.nn.relu6 for this case too
  }
  if (negative_slope != 0.0 && !max_value && threshold == 0.0) return leaky_relu(x, negative_slope);
  // Keras's general composition (keras/src/activations/activations.py ReLU.static_call):
  //   p = threshold != 0 ? x * (x > threshold) : relu(x);  p = clip(p, 0, max_value) if given;
  //   y = p - negative_slope * relu(threshold - x).
  const bool has_max = max_value.has_value();
  const double mx = max_value.value_or(0.0);
  const double slope = negative_slope, thr = threshold;
  return unary_float_op<Saves::kInput>(
      x, "Relu",
      [=](auto v) {
        using T = decltype(v);
        T p = v > T(thr) ? v : T(0);
        if (has_max) p = std::min(std::max(p, T(0)), T(mx));
        return p - T(slope) * std::max(T(thr) - v, T(0));
      },
      [=](auto g, auto v, auto) {
        using T = decltype(g);
        // relu/threshold passes x > threshold; clip_by_value passes 0 <= p <= max inclusive.
        const bool pass = v > T(thr) && (!has_max || (v >= T(0) && v <= T(mx)));
        return (pass ? g : T(0)) + (v < T(thr) ? T(slope) * g : T(0));
      });
}

Tensor relu6(const Tensor& x) {
  return unary_float_op<Saves::kOutput>(
      x, "Relu6", [](auto v) { return std::min(std::max(v, decltype(v)(0)), decltype(v)(6)); },
      [](auto g, auto, auto y) {
        using T = decltype(g);
        return y > T(0) && y < T(6) ? g : T(0);  // tf.nn.relu6: open interval
      });
}

Tensor leaky_relu(const Tensor& x, double negative_slope) {
  const double a = negative_slope;
  return unary_float_op<Saves::kInput>(
      x, "LeakyRelu", [a](auto v) { return v > decltype(v)(0) ? v : decltype(v)(a) * v; },
      [a](auto g, auto v, auto) {
        using T = decltype(g);
        return v > T(0) ? g : T(a) * g;
      });
}

Tensor elu(const Tensor& x, double alpha) {
  return unary_float_op<Saves::kBoth>(
      x, "Elu",
      [alpha](auto v) {
        using T = decltype(v);
        return v > T(0) ? v : T(alpha) * vexpm1(v);
      },
      [alpha](auto g, auto v, auto y) {
        using T = decltype(g);
        return v > T(0) ? g : g * (y + T(alpha));  // alpha * exp(x) = y + alpha
      });
}

Tensor selu(const Tensor& x) {
  return unary_float_op<Saves::kBoth>(
      x, "Selu",
      [](auto v) {
        using T = decltype(v);
        return T(kSeluScale) * (v > T(0) ? v : T(kSeluAlpha) * vexpm1(v));
      },
      [](auto g, auto v, auto y) {
        using T = decltype(g);
        return v > T(0) ? T(kSeluScale) * g : g * (y + T(kSeluScale * kSeluAlpha));
      });
}

Tensor gelu(const Tensor& x, bool approximate) {
  if (approximate) {
    return unary_float_op<Saves::kInput>(
        x, "Gelu",
        [](auto v) {
          using T = decltype(v);
          const T t = detail::vtanh(T(kSqrt2OverPi) * (v + T(kGeluCubic) * v * v * v));
          return T(0.5) * v * (T(1) + t);
        },
        [](auto g, auto v, auto) {
          using T = decltype(g);
          const T t = detail::vtanh(T(kSqrt2OverPi) * (v + T(kGeluCubic) * v * v * v));
          const T du = T(kSqrt2OverPi) * (T(1) + T(3 * kGeluCubic) * v * v);
          return g * (T(0.5) * (T(1) + t) + T(0.5) * v * (T(1) - t * t) * du);
        });
  }
  // Phi(x) = 0.5 * erfc(-x / sqrt 2) as tf.nn.gelu (keeps relative precision for x << 0 in
  // float64); float32 uses 1 + erf(x / sqrt 2) with the vectorized erf.
  auto cdf = [](auto v) {
    using T = decltype(v);
    if constexpr (std::is_same_v<T, float>)
      return 0.5f * (1.0f + detail::erf_f32(v * float(kSqrtHalf)));
    else
      return 0.5 * std::erfc(-v * kSqrtHalf);
  };
  return unary_float_op<Saves::kInput>(
      x, "Gelu", [cdf](auto v) { return v * cdf(v); },
      [cdf](auto g, auto v, auto) {
        using T = decltype(g);
        return g * (cdf(v) + v * T(kInvSqrt2Pi) * vexp(T(-0.5) * v * v));
      });
}

Tensor sigmoid(const Tensor& x) {
  return unary_float_op<Saves::kOutput>(
      x, "Sigmoid", [](auto v) { return vsigmoid(v); },
      [](auto g, auto, auto y) { return g * y * (decltype(g)(1) - y); });
}

Tensor hard_sigmoid(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "HardSigmoid",
      [](auto v) {
        using T = decltype(v);
        return std::min(std::max(v + T(3), T(0)), T(6)) / T(6);
      },
      [](auto g, auto v, auto) {
        using T = decltype(g);
        return v > T(-3) && v < T(3) ? g / T(6) : T(0);  // relu6's open interval
      });
}

Tensor hard_sigmoid_keras2(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "HardSigmoid",
      [](auto v) {
        using T = decltype(v);
        return std::min(std::max(T(0.2) * v + T(0.5), T(0)), T(1));
      },
      [](auto g, auto v, auto) {
        using T = decltype(g);
        // clip_by_value passes 0 <= 0.2x + 0.5 <= 1 inclusive; tested on x itself so that FMA
        // contraction of 0.2x + 0.5 cannot move the edges.
        return v >= T(-2.5) && v <= T(2.5) ? T(0.2) * g : T(0);
      });
}

Tensor hard_silu(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "HardSilu",
      [](auto v) {
        using T = decltype(v);
        return v * (std::min(std::max(v + T(3), T(0)), T(6)) / T(6));
      },
      [](auto g, auto v, auto) {
        using T = decltype(g);
        // hard_sigmoid(x) + x * hard_sigmoid'(x)
        const T hs = std::min(std::max(v + T(3), T(0)), T(6)) / T(6);
        return g * (v > T(-3) && v < T(3) ? hs + v / T(6) : hs);
      });
}

Tensor hard_swish(const Tensor& x) { return hard_silu(x); }

Tensor tanh(const Tensor& x) {
  return unary_float_op<Saves::kOutput>(
      x, "Tanh", [](auto v) { return detail::vtanh(v); },
      [](auto g, auto, auto y) { return g * (decltype(g)(1) - y * y); });
}

Tensor softplus(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "Softplus", [](auto v) { return softplus_value(v); },
      [](auto g, auto v, auto) { return g * vsigmoid(v); });
}

Tensor softsign(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "Softsign", [](auto v) { return v / (decltype(v)(1) + std::fabs(v)); },
      [](auto g, auto v, auto) {
        using T = decltype(g);
        const T d = T(1) + std::fabs(v);
        return g / (d * d);
      });
}

Tensor silu(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "Silu", [](auto v) { return v * vsigmoid(v); },
      [](auto g, auto v, auto) {
        using T = decltype(g);
        const T s = vsigmoid(v);
        return g * s * (T(1) + v * (T(1) - s));
      });
}

Tensor swish(const Tensor& x) { return silu(x); }

Tensor exponential(const Tensor& x) { return exp(x); }

Tensor mish(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "Mish", [](auto v) { return v * detail::vtanh(softplus_value(v)); },
      [](auto g, auto v, auto) {
        using T = decltype(g);
        const T t = detail::vtanh(softplus_value(v));
        return g * (t + v * (T(1) - t * t) * vsigmoid(v));
      });
}

Tensor log_sigmoid(const Tensor& x) {
  return unary_float_op<Saves::kInput>(
      x, "LogSigmoid", [](auto v) { return -softplus_value(-v); },
      [](auto g, auto v, auto) { return g * vsigmoid(-v); });
}

Tensor linear(const Tensor& x) { return x; }

// ---- activation by name ----

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, ActivationFn, std::less<>> fns;
};

Registry& registry() {
  static Registry* r = [] {
    auto* reg = new Registry;  // never destroyed: usable from static destructors
    auto& f = reg->fns;
    f["linear"] = [](const Tensor& t) { return linear(t); };
    f["relu"] = [](const Tensor& t) { return relu(t); };
    f["relu6"] = [](const Tensor& t) { return relu6(t); };
    f["leaky_relu"] = [](const Tensor& t) { return leaky_relu(t); };
    f["elu"] = [](const Tensor& t) { return elu(t); };
    f["selu"] = [](const Tensor& t) { return selu(t); };
    f["gelu"] = [](const Tensor& t) { return gelu(t, /*approximate=*/false); };
    f["sigmoid"] = [](const Tensor& t) { return sigmoid(t); };
    f["hard_sigmoid"] = [](const Tensor& t) { return hard_sigmoid(t); };
    f["hard_silu"] = [](const Tensor& t) { return hard_silu(t); };
    f["hard_swish"] = [](const Tensor& t) { return hard_silu(t); };
    f["tanh"] = [](const Tensor& t) { return tanh(t); };
    f["softplus"] = [](const Tensor& t) { return softplus(t); };
    f["softsign"] = [](const Tensor& t) { return softsign(t); };
    f["silu"] = [](const Tensor& t) { return silu(t); };
    f["swish"] = [](const Tensor& t) { return silu(t); };
    f["exponential"] = [](const Tensor& t) { return exp(t); };
    f["mish"] = [](const Tensor& t) { return mish(t); };
    f["log_sigmoid"] = [](const Tensor& t) { return log_sigmoid(t); };
    for (auto& [name, fn] : detail::softmax_activations()) f[name] = std::move(fn);
    return reg;
  }();
  return *r;
}

}  // namespace

void register_activation(const std::string& name, ActivationFn fn) {
  if (name.empty() || !fn)
    throw ValueError("register_activation: expected a name and a function, received name='" + name +
                     "'" + (fn ? "" : " and an empty function") + ".");
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.fns[name] = std::move(fn);
}

std::vector<std::string> activation_names() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, fn] : r.fns) names.push_back(name);
  return names;
}

Tensor activation(std::string_view name, const Tensor& x) {
  ActivationFn fn;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.fns.find(name);
    if (it != r.fns.end()) fn = it->second;
  }
  if (!fn) {
    std::string known;
    for (const std::string& n : activation_names()) known += (known.empty() ? "" : ", ") + n;
    throw UnknownObjectError("Could not interpret activation function identifier: '" +
                             std::string(name) + "'. Known activations: " + known + ".");
  }
  return fn(x);
}

}  // namespace keras::ops
