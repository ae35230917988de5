// var, std, logsumexp, softmax, log_softmax and their gradients.
#include <cmath>
#include <vector>

#include "core/dispatch.hpp"
#include "core/ops/broadcast.hpp"
#include "core/ops/reduce_internal.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/elementwise.hpp"
#include "keras/ops/reduce.hpp"

namespace keras::ops {
namespace {

using detail_reduce::AxisView;

void check_defined(const Tensor& x, const char* op) {
  if (!x.defined()) throw ValueError(std::string(op) + ": the input is an undefined tensor.");
}

// Population variance in the compute dtype, plus the centred input x - mean that the gradients
// of var and std need.
struct Moments {
  Tensor variance;  // reduced shape with keepdims
  Tensor centered;  // x's shape
};

Moments moments(const Tensor& x, const std::vector<int>& axes, DType ct) {
  autograd::NoGradGuard guard;
  const Tensor xc = x.astype(ct);
  const int64_t count = detail_reduce::reduced_count(x.shape(), axes);
  const Shape kept = detail_reduce::reduced_shape(x.shape(), axes, true);
  Moments m;
  m.centered = Tensor::empty(x.shape(), ct);
  detail::dispatch_float(ct, "Variance", [&]<typename T>() {
    // 0 / 0 gives NaN for an empty reduction, as numpy does.
    const T inv = count ? T(1) / static_cast<T>(count) : T(NAN);
    Tensor mu = detail_reduce::sum_raw(xc, axes, true);
    for (int64_t i = 0; i < mu.size(); ++i) mu.data<T>()[i] *= inv;
    detail::broadcast_binary(xc.data<T>(), x.shape(), mu.data<T>(), kept, m.centered.data<T>(),
                             x.shape(), [](T a, T b) { return a - b; });
    Tensor sq = Tensor::empty(x.shape(), ct);
    const T* c = m.centered.data<T>();
    T* s = sq.data<T>();
    for (int64_t i = 0; i < sq.size(); ++i) s[i] = c[i] * c[i];
    m.variance = detail_reduce::sum_raw(sq, axes, true);
    for (int64_t i = 0; i < m.variance.size(); ++i) m.variance.data<T>()[i] *= inv;
  });
  return m;
}

// dx = centered * (g * factor) with g of the kept shape; factor per output element.
Tensor scale_centered(const Tensor& centered, const Tensor& coef, const Shape& kept) {
  Tensor dx = Tensor::empty(centered.shape(), centered.dtype());
  detail::dispatch_float(centered.dtype(), "VarianceGrad", [&]<typename T>() {
    detail::broadcast_binary(centered.data<T>(), centered.shape(), coef.data<T>(), kept,
                             dx.data<T>(), centered.shape(), [](T c, T k) { return c * k; });
  });
  return dx;
}

Tensor var_or_std(const Tensor& x, const std::vector<int>& axes_in, bool keepdims, bool is_std) {
  const char* name = is_std ? "Std" : "Variance";
  check_defined(x, name);
  const std::vector<int> axes = detail_reduce::normalize_axes(axes_in, x.ndim(), name);
  const DType ct = detail_reduce::float_compute_type(x.dtype());
  const int64_t count = detail_reduce::reduced_count(x.shape(), axes);
  const Shape kept = detail_reduce::reduced_shape(x.shape(), axes, true);
  Moments m = moments(x, axes, ct);
  Tensor out_keep = m.variance;
  if (is_std) {
    detail::dispatch_float(ct, name, [&]<typename T>() {
      T* p = out_keep.data<T>();
      for (int64_t i = 0; i < out_keep.size(); ++i) p[i] = std::sqrt(p[i]);
    });
  }
  Tensor result = out_keep;
  {
    autograd::NoGradGuard guard;
    if (is_floating(x.dtype())) result = result.astype(x.dtype());
    result = result.reshape(detail_reduce::reduced_shape(x.shape(), axes, keepdims));
  }
  if (is_floating(x.dtype()) && autograd::needs_grad({&x})) {
    Tensor centered = m.centered, sd = out_keep;
    autograd::record(
        result, name, {x}, [centered, sd, kept, count, is_std, xd = x.dtype()](const Tensor& g) {
          // d var / dx = 2 (x - mean) / N;  d std / dx = (x - mean) / (N std).
          Tensor coef = g.astype(centered.dtype()).reshape(kept).clone();
          detail::dispatch_float(centered.dtype(), "VarianceGrad", [&]<typename T>() {
            T* k = coef.data<T>();
            const T* s = sd.data<T>();
            for (int64_t i = 0; i < coef.size(); ++i)
              k[i] = is_std ? k[i] / (static_cast<T>(count) * s[i]) : k[i] * T(2) / T(count);
          });
          return std::vector<Tensor>{scale_centered(centered, coef, kept).astype(xd)};
        });
  }
  return result;
}

// Softmax / log-softmax of one lane (n elements `stride` apart) are computed for all `inner` lanes
// of an (outer, n, inner) block together so that the innermost loops run over contiguous memory.
template <typename T, bool kLog>
void softmax_forward(const T* x, T* y, const AxisView& v) {
  std::vector<T> mx(v.inner), s(v.inner);
  for (int64_t o = 0; o < v.outer; ++o) {
    const T* xb = x + o * v.n * v.inner;
    T* yb = y + o * v.n * v.inner;
    if (v.inner == 1) {  // one contiguous row: the common case (classes on the last axis)
      T m = -std::numeric_limits<T>::infinity();
      for (int64_t k = 0; k < v.n; ++k) m = xb[k] > m ? xb[k] : m;
      if (!std::isfinite(m)) m = std::isnan(m) ? m : T(0);
      T acc = 0;
      for (int64_t k = 0; k < v.n; ++k) {
        const T e = std::exp(xb[k] - m);
        if constexpr (!kLog) yb[k] = e;
        acc += e;
      }
      if constexpr (kLog) {  // (x - m) - log(s): x - (m + log(s)) would round at |m|'s scale
        const T log_s = std::log(acc);
        for (int64_t k = 0; k < v.n; ++k) yb[k] = (xb[k] - m) - log_s;
      } else {
        const T inv = T(1) / acc;
        for (int64_t k = 0; k < v.n; ++k) yb[k] *= inv;
      }
      continue;
    }
    std::fill(mx.begin(), mx.end(), -std::numeric_limits<T>::infinity());
    std::fill(s.begin(), s.end(), T(0));
    for (int64_t k = 0; k < v.n; ++k)
      for (int64_t i = 0; i < v.inner; ++i) {
        const T xv = xb[k * v.inner + i];
        mx[i] = xv > mx[i] ? xv : mx[i];
      }
    for (int64_t i = 0; i < v.inner; ++i)
      if (!std::isfinite(mx[i])) mx[i] = std::isnan(mx[i]) ? mx[i] : T(0);
    for (int64_t k = 0; k < v.n; ++k)
      for (int64_t i = 0; i < v.inner; ++i) {
        const T e = std::exp(xb[k * v.inner + i] - mx[i]);
        if constexpr (!kLog) yb[k * v.inner + i] = e;
        s[i] += e;
      }
    if constexpr (kLog) {
      for (int64_t i = 0; i < v.inner; ++i) s[i] = std::log(s[i]);
      for (int64_t k = 0; k < v.n; ++k)
        for (int64_t i = 0; i < v.inner; ++i)
          yb[k * v.inner + i] = (xb[k * v.inner + i] - mx[i]) - s[i];
    } else {
      for (int64_t i = 0; i < v.inner; ++i) s[i] = T(1) / s[i];
      for (int64_t k = 0; k < v.n; ++k)
        for (int64_t i = 0; i < v.inner; ++i) yb[k * v.inner + i] *= s[i];
    }
  }
}

// Softmax: dx = (g - sum(g * y)) * y.  Log-softmax: dx = g - exp(y) * sum(g). One pass per lane
// for the sum, one for dx.
template <typename T, bool kLog>
void softmax_backward(const T* g, const T* y, T* dx, const AxisView& v) {
  std::vector<T> acc(v.inner);
  for (int64_t o = 0; o < v.outer; ++o) {
    const int64_t base = o * v.n * v.inner;
    const T* gb = g + base;
    const T* yb = y + base;
    T* db = dx + base;
    std::fill(acc.begin(), acc.end(), T(0));
    for (int64_t k = 0; k < v.n; ++k)
      for (int64_t i = 0; i < v.inner; ++i) {
        const int64_t j = k * v.inner + i;
        acc[i] += kLog ? gb[j] : gb[j] * yb[j];
      }
    for (int64_t k = 0; k < v.n; ++k)
      for (int64_t i = 0; i < v.inner; ++i) {
        const int64_t j = k * v.inner + i;
        if constexpr (kLog) {
          db[j] = gb[j] - std::exp(yb[j]) * acc[i];
        } else {
          db[j] = (gb[j] - acc[i]) * yb[j];
        }
      }
  }
}

template <bool kLog>
Tensor softmax_impl(const Tensor& x, int axis_in) {
  const char* name = kLog ? "LogSoftmax" : "Softmax";
  check_defined(x, name);
  if (x.ndim() == 0)
    throw ValueError(std::string(name) +
                     ": expected a tensor of rank >= 1, "
                     "received a scalar.");
  const int axis = detail_reduce::normalize_axis(axis_in, x.ndim(), name);
  const AxisView v = detail_reduce::axis_view(x.shape(), axis);
  const DType ct = detail_reduce::float_compute_type(x.dtype());
  if (!is_floating(x.dtype())) detail::throw_unsupported_dtype(name, x.dtype(), "a floating dtype");
  Tensor y;
  {
    autograd::NoGradGuard guard;
    const Tensor xc = x.astype(ct);
    y = Tensor::empty(x.shape(), ct);
    detail::dispatch_float(
        ct, name, [&]<typename T>() { softmax_forward<T, kLog>(xc.data<T>(), y.data<T>(), v); });
  }
  Tensor out = y.astype(x.dtype());
  if (autograd::needs_grad({&x})) {
    autograd::record(out, name, {x}, [y, v, xd = x.dtype()](const Tensor& g) {
      const Tensor gc = g.astype(y.dtype());
      Tensor dx = Tensor::empty(y.shape(), y.dtype());
      detail::dispatch_float(y.dtype(), kLog ? "LogSoftmaxGrad" : "SoftmaxGrad", [&]<typename T>() {
        softmax_backward<T, kLog>(gc.data<T>(), y.data<T>(), dx.data<T>(), v);
      });
      return std::vector<Tensor>{dx.astype(xd)};
    });
  }
  return out;
}

}  // namespace

Tensor var(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return var_or_std(x, axes, keepdims, false);
}

Tensor std(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return var_or_std(x, axes, keepdims, true);
}

Tensor logsumexp(const Tensor& x, const std::vector<int>& axes_in, bool keepdims) {
  check_defined(x, "ReduceLogSumExp");
  const std::vector<int> axes = detail_reduce::normalize_axes(axes_in, x.ndim(), "ReduceLogSumExp");
  const DType ct = detail_reduce::float_compute_type(x.dtype());
  const Shape kept = detail_reduce::reduced_shape(x.shape(), axes, true);
  Tensor lse;  // kept shape, compute dtype
  Tensor out;
  {
    autograd::NoGradGuard guard;
    const Tensor xc = x.astype(ct);
    detail::dispatch_float(ct, "ReduceLogSumExp", [&]<typename T>() {
      // As TensorFlow: shift by the maximum, or by 0 where the maximum is not finite (all -inf
      // gives -inf, a +inf gives +inf, instead of inf - inf = NaN).
      Tensor m = detail_reduce::reduced_count(x.shape(), axes) == 0
                     ? Tensor::full(kept, -INFINITY, ct)
                     : detail_reduce::max_raw(xc, axes, true);
      T* pm = m.data<T>();
      for (int64_t i = 0; i < m.size(); ++i)
        if (!std::isfinite(pm[i]) && !std::isnan(pm[i])) pm[i] = T(0);
      Tensor e = Tensor::empty(x.shape(), ct);
      detail::broadcast_binary(xc.data<T>(), x.shape(), pm, kept, e.data<T>(), x.shape(),
                               [](T a, T b) { return std::exp(a - b); });
      lse = detail_reduce::sum_raw(e, axes, true);
      T* pl = lse.data<T>();
      for (int64_t i = 0; i < lse.size(); ++i) pl[i] = std::log(pl[i]) + pm[i];
    });
    out = lse.astype(x.dtype()).reshape(detail_reduce::reduced_shape(x.shape(), axes, keepdims));
  }
  if (is_floating(x.dtype()) && autograd::needs_grad({&x})) {
    autograd::record(out, "ReduceLogSumExp", {x}, [x, lse, kept](const Tensor& g) {
      // d lse / dx = exp(x - lse): the softmax over the reduced axes.
      const Tensor xc = x.astype(lse.dtype());
      const Tensor gk = g.astype(lse.dtype()).reshape(kept);
      Tensor p = Tensor::empty(x.shape(), lse.dtype());
      Tensor dx = Tensor::empty(x.shape(), lse.dtype());
      detail::dispatch_float(lse.dtype(), "ReduceLogSumExpGrad", [&]<typename T>() {
        detail::broadcast_binary(xc.data<T>(), x.shape(), lse.data<T>(), kept, p.data<T>(),
                                 x.shape(), [](T a, T b) { return std::exp(a - b); });
        detail::broadcast_binary(p.data<T>(), x.shape(), gk.data<T>(), kept, dx.data<T>(),
                                 x.shape(), [](T a, T b) { return a * b; });
      });
      return std::vector<Tensor>{dx.astype(x.dtype())};
    });
  }
  return out;
}

Tensor softmax(const Tensor& x, int axis) { return softmax_impl<false>(x, axis); }

Tensor log_softmax(const Tensor& x, int axis) { return softmax_impl<true>(x, axis); }

}  // namespace keras::ops
