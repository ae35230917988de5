// batch_normalization (inference), batch_normalization_training and their backward passes.
//
// x is viewed as (outer, C, inner) around the normalised axis: channels_last inputs have
// inner == 1 and each row of C values is one vectorisable sweep; channels_first inputs have one
// contiguous run of `inner` values per (outer, channel). Every kernel below has both loops.
#include "core/ops/nn_batchnorm.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include "core/dispatch.hpp"
#include "keras/core/autograd.hpp"

namespace keras::ops {
namespace {

struct Layout {
  int64_t outer = 1, channels = 1, inner = 1;
  int64_t count() const { return outer * inner; }  // elements per channel
};

Layout make_layout(const Tensor& x, int& axis, const char* op) {
  const int nd = x.ndim();
  if (axis < -nd || axis >= nd || nd == 0)
    throw ValueError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of range for an input of shape " + shape_str(x.shape()) + ".");
  if (axis < 0) axis += nd;
  Layout l;
  for (int i = 0; i < axis; ++i) l.outer *= x.dim(i);
  l.channels = x.dim(axis);
  for (int i = axis + 1; i < nd; ++i) l.inner *= x.dim(i);
  return l;
}

// A 1-D parameter as doubles; `fill` when undefined.
std::vector<double> param_values(const Tensor& p, int64_t channels, double fill, const char* op,
                                 const char* what, const Shape& x_shape) {
  if (!p.defined()) return std::vector<double>(channels, fill);
  if (p.ndim() != 1 || p.dim(0) != channels)
    throw ValueError(std::string(op) + ": expected `" + what + "` of shape (" +
                     std::to_string(channels) + ",) for an input of shape " + shape_str(x_shape) +
                     ", received " + shape_str(p.shape()) + ".");
  return p.to_vector<double>();
}

template <typename T>
std::vector<T> cast_vector(const std::vector<double>& v) {
  return std::vector<T>(v.begin(), v.end());
}

// y = x * a[c] + b[c].
template <typename T>
void scale_shift(const T* x, T* y, const Layout& l, const T* a, const T* b) {
  const int64_t C = l.channels;
  if (l.inner == 1) {
    for (int64_t r = 0; r < l.outer; ++r) {
      const T* xr = x + r * C;
      T* yr = y + r * C;
      for (int64_t c = 0; c < C; ++c) yr[c] = xr[c] * a[c] + b[c];
    }
    return;
  }
  for (int64_t o = 0; o < l.outer; ++o)
    for (int64_t c = 0; c < C; ++c) {
      const int64_t off = (o * C + c) * l.inner;
      const T ac = a[c], bc = b[c];
      for (int64_t i = 0; i < l.inner; ++i) y[off + i] = x[off + i] * ac + bc;
    }
}

// out = a[c] * g + b[c] * x + k[c] (the training-mode input gradient).
template <typename T>
void affine2(const T* g, const T* x, T* out, const Layout& l, const T* a, const T* b, const T* k) {
  const int64_t C = l.channels;
  if (l.inner == 1) {
    for (int64_t r = 0; r < l.outer; ++r) {
      const T* gr = g + r * C;
      const T* xr = x + r * C;
      T* outr = out + r * C;
      for (int64_t c = 0; c < C; ++c) outr[c] = a[c] * gr[c] + b[c] * xr[c] + k[c];
    }
    return;
  }
  for (int64_t o = 0; o < l.outer; ++o)
    for (int64_t c = 0; c < C; ++c) {
      const int64_t off = (o * C + c) * l.inner;
      const T ac = a[c], bc = b[c], kc = k[c];
      for (int64_t i = 0; i < l.inner; ++i) out[off + i] = ac * g[off + i] + bc * x[off + i] + kc;
    }
}

// Per channel: mean and biased variance (two passes: the second sums squared deviations, which
// keeps float32 inputs with a large mean accurate).
template <typename T>
void moments(const T* x, const Layout& l, std::vector<double>& mean, std::vector<double>& var) {
  const int64_t C = l.channels;
  mean.assign(C, 0.0);
  var.assign(C, 0.0);
  if (l.inner == 1) {
    for (int64_t r = 0; r < l.outer; ++r) {
      const T* xr = x + r * C;
      for (int64_t c = 0; c < C; ++c) mean[c] += static_cast<double>(xr[c]);
    }
  } else {
    for (int64_t o = 0; o < l.outer; ++o)
      for (int64_t c = 0; c < C; ++c) {
        const T* p = x + (o * C + c) * l.inner;
        double acc = 0;
        for (int64_t i = 0; i < l.inner; ++i) acc += static_cast<double>(p[i]);
        mean[c] += acc;
      }
  }
  const double inv_n = l.count() > 0 ? 1.0 / static_cast<double>(l.count()) : 0.0;
  for (auto& m : mean) m *= inv_n;
  if (l.inner == 1) {
    for (int64_t r = 0; r < l.outer; ++r) {
      const T* xr = x + r * C;
      for (int64_t c = 0; c < C; ++c) {
        const double d = static_cast<double>(xr[c]) - mean[c];
        var[c] += d * d;
      }
    }
  } else {
    for (int64_t o = 0; o < l.outer; ++o)
      for (int64_t c = 0; c < C; ++c) {
        const T* p = x + (o * C + c) * l.inner;
        const double m = mean[c];
        double acc = 0;
        for (int64_t i = 0; i < l.inner; ++i) {
          const double d = static_cast<double>(p[i]) - m;
          acc += d * d;
        }
        var[c] += acc;
      }
  }
  for (auto& v : var) v *= inv_n;
}

// Per channel: s1 = sum(g), s2 = sum(g * (x - mean)).
template <typename T>
void grad_sums(const T* g, const T* x, const Layout& l, const std::vector<double>& mean,
               std::vector<double>& s1, std::vector<double>& s2) {
  const int64_t C = l.channels;
  s1.assign(C, 0.0);
  s2.assign(C, 0.0);
  if (l.inner == 1) {
    for (int64_t r = 0; r < l.outer; ++r) {
      const T* gr = g + r * C;
      const T* xr = x + r * C;
      for (int64_t c = 0; c < C; ++c) {
        const double gv = static_cast<double>(gr[c]);
        s1[c] += gv;
        s2[c] += gv * (static_cast<double>(xr[c]) - mean[c]);
      }
    }
    return;
  }
  for (int64_t o = 0; o < l.outer; ++o)
    for (int64_t c = 0; c < C; ++c) {
      const int64_t off = (o * C + c) * l.inner;
      const double m = mean[c];
      double a1 = 0, a2 = 0;
      for (int64_t i = 0; i < l.inner; ++i) {
        const double gv = static_cast<double>(g[off + i]);
        a1 += gv;
        a2 += gv * (static_cast<double>(x[off + i]) - m);
      }
      s1[c] += a1;
      s2[c] += a2;
    }
}

// A 1-D gradient for a parameter, in the parameter's dtype.
Tensor param_grad(const std::vector<double>& v, const Tensor& param) {
  return Tensor::from_vector(v).astype(param.dtype());
}

DType check_float(const Tensor& x, const char* op) {
  if (!x.defined()) throw ValueError(std::string(op) + ": the input is an undefined tensor.");
  if (x.dtype() != DType::float32 && x.dtype() != DType::float64)
    throw TypeError(std::string(op) + ": expected a float32 or float64 input, received " +
                    std::string(dtype_name(x.dtype())) + ".");
  return x.dtype();
}

}  // namespace

Tensor batch_normalization(const Tensor& x, const Tensor& mean, const Tensor& variance, int axis,
                           const Tensor& offset, const Tensor& scale, double epsilon) {
  const char* op = "BatchNormalization";
  const DType dt = check_float(x, op);
  const Layout l = make_layout(x, axis, op);
  const int64_t C = l.channels;
  const auto mu = param_values(mean, C, 0.0, op, "mean", x.shape());
  const auto var = param_values(variance, C, 1.0, op, "variance", x.shape());
  const auto beta = param_values(offset, C, 0.0, op, "offset", x.shape());
  const auto gamma = param_values(scale, C, 1.0, op, "scale", x.shape());
  std::vector<double> inv(C), a(C), b(C);
  for (int64_t c = 0; c < C; ++c) {
    inv[c] = 1.0 / std::sqrt(var[c] + epsilon);
    a[c] = gamma[c] * inv[c];
    b[c] = beta[c] - mu[c] * a[c];
  }
  Tensor out = Tensor::empty(x.shape(), dt);
  detail::dispatch_float(dt, op, [&]<typename T>() {
    const auto at = cast_vector<T>(a), bt = cast_vector<T>(b);
    scale_shift(x.data<T>(), out.data<T>(), l, at.data(), bt.data());
  });
  if (autograd::needs_grad({&x, &mean, &variance, &offset, &scale})) {
    autograd::record(out, "BatchNormalization", {x, mean, variance, offset, scale},
                     [=](const Tensor& grad) {
                       const Tensor g = grad.dtype() == dt ? grad : grad.astype(dt);
                       std::vector<double> s1, s2;
                       Tensor dx;
                       detail::dispatch_float(dt, "BatchNormalizationGrad", [&]<typename T>() {
                         grad_sums(g.data<T>(), x.data<T>(), l, mu, s1, s2);
                         if (x.grad_node()) {
                           dx = Tensor::empty(x.shape(), dt);
                           const auto at = cast_vector<T>(a);
                           const std::vector<T> zero(C, T(0));
                           scale_shift(g.data<T>(), dx.data<T>(), l, at.data(), zero.data());
                         }
                       });
                       std::vector<Tensor> grads(5);
                       grads[0] = dx;
                       if (mean.grad_node()) {
                         std::vector<double> d(C);
                         for (int64_t c = 0; c < C; ++c) d[c] = -a[c] * s1[c];
                         grads[1] = param_grad(d, mean);
                       }
                       if (variance.grad_node()) {
                         std::vector<double> d(C);
                         for (int64_t c = 0; c < C; ++c)
                           d[c] = -0.5 * s2[c] * gamma[c] * inv[c] * inv[c] * inv[c];
                         grads[2] = param_grad(d, variance);
                       }
                       if (offset.grad_node()) grads[3] = param_grad(s1, offset);
                       if (scale.grad_node()) {
                         std::vector<double> d(C);
                         for (int64_t c = 0; c < C; ++c) d[c] = s2[c] * inv[c];
                         grads[4] = param_grad(d, scale);
                       }
                       return grads;
                     });
  }
  return out;
}

BatchNormTrainingResult batch_normalization_training(const Tensor& x, int axis,
                                                     const Tensor& offset, const Tensor& scale,
                                                     double epsilon) {
  const char* op = "FusedBatchNormV3";
  const DType dt = check_float(x, op);
  const Layout l = make_layout(x, axis, op);
  const int64_t C = l.channels;
  if (l.count() == 0)
    throw ValueError(std::string(op) +
                     ": cannot compute batch statistics of an empty input of "
                     "shape " +
                     shape_str(x.shape()) + ".");
  const auto beta = param_values(offset, C, 0.0, op, "offset", x.shape());
  const auto gamma = param_values(scale, C, 1.0, op, "scale", x.shape());
  std::vector<double> mu, var;
  Tensor out = Tensor::empty(x.shape(), dt);
  std::vector<double> inv(C);
  detail::dispatch_float(dt, op, [&]<typename T>() {
    moments(x.data<T>(), l, mu, var);
    std::vector<T> a(C), b(C);
    for (int64_t c = 0; c < C; ++c) {
      inv[c] = 1.0 / std::sqrt(var[c] + epsilon);
      a[c] = static_cast<T>(gamma[c] * inv[c]);
      b[c] = static_cast<T>(beta[c] - mu[c] * gamma[c] * inv[c]);
    }
    scale_shift(x.data<T>(), out.data<T>(), l, a.data(), b.data());
  });
  BatchNormTrainingResult result{out, Tensor::from_vector(mu).astype(dt),
                                 Tensor::from_vector(var).astype(dt)};
  if (autograd::needs_grad({&x, &offset, &scale})) {
    autograd::record(result.output, op, {x, offset, scale}, [=](const Tensor& grad) {
      const Tensor g = grad.dtype() == dt ? grad : grad.astype(dt);
      const double n = static_cast<double>(l.count());
      std::vector<double> s1, s2;
      Tensor dx;
      detail::dispatch_float(dt, "FusedBatchNormGradV3", [&]<typename T>() {
        grad_sums(g.data<T>(), x.data<T>(), l, mu, s1, s2);
        if (!x.grad_node()) return;
        // dx = gamma*inv/n * (n*g - sum(g) - xhat*sum(g*xhat)), xhat = (x - mean)*inv,
        // rearranged to A*g + B*x + K per channel.
        std::vector<T> A(C), B(C), K(C);
        for (int64_t c = 0; c < C; ++c) {
          const double ac = gamma[c] * inv[c];
          const double bc = -ac * s2[c] * inv[c] * inv[c] / n;
          A[c] = static_cast<T>(ac);
          B[c] = static_cast<T>(bc);
          K[c] = static_cast<T>(-ac * s1[c] / n - bc * mu[c]);
        }
        dx = Tensor::empty(x.shape(), dt);
        affine2(g.data<T>(), x.data<T>(), dx.data<T>(), l, A.data(), B.data(), K.data());
      });
      std::vector<Tensor> grads(3);
      grads[0] = dx;
      if (offset.grad_node()) grads[1] = param_grad(s1, offset);
      if (scale.grad_node()) {
        std::vector<double> d(C);
        for (int64_t c = 0; c < C; ++c) d[c] = s2[c] * inv[c];
        grads[2] = param_grad(d, scale);
      }
      return grads;
    });
  }
  return result;
}

}  // namespace keras::ops
