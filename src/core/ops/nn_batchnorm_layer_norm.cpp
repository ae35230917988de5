// layer_normalization: per-row normalisation over the trailing axes, and its backward pass.
#include <cmath>
#include <vector>

#include "core/dispatch.hpp"
#include "core/ops/nn_batchnorm.hpp"
#include "keras/core/autograd.hpp"

namespace keras::ops {

Tensor layer_normalization(const Tensor& x, int begin_axis, const Tensor& offset,
                           const Tensor& scale, double epsilon) {
  const char* op = "LayerNormalization";
  if (!x.defined()) throw ValueError("LayerNormalization: the input is an undefined tensor.");
  const DType dt = x.dtype();
  if (dt != DType::float32 && dt != DType::float64)
    throw TypeError("LayerNormalization: expected a float32 or float64 input, received " +
                    std::string(dtype_name(dt)) + ".");
  const int nd = x.ndim();
  if (begin_axis < 0) begin_axis += nd;
  if (begin_axis < 0 || begin_axis >= nd)
    throw ValueError("LayerNormalization: axis out of range for an input of shape " +
                     shape_str(x.shape()) + ".");
  const Shape param_shape(x.shape().begin() + begin_axis, x.shape().end());
  int64_t rows = 1, d = 1;
  for (int i = 0; i < begin_axis; ++i) rows *= x.dim(i);
  for (int i = begin_axis; i < nd; ++i) d *= x.dim(i);
  for (const Tensor* p : {&offset, &scale})
    if (p->defined() && p->size() != d)
      throw ValueError("LayerNormalization: expected gamma/beta of shape " +
                       shape_str(param_shape) + " for an input of shape " + shape_str(x.shape()) +
                       ", received " + shape_str(p->shape()) + ".");
  // Flat views of the parameters for the kernels (their gradients come from this op's backward).
  auto flat = [&](const Tensor& p, double fill) {
    autograd::NoGradGuard guard;
    return p.defined() ? p.astype(dt).reshape({d}) : Tensor::full({d}, fill, dt);
  };
  const Tensor gamma = flat(scale, 1.0), beta = flat(offset, 0.0);

  std::vector<double> mean(rows), inv(rows);
  Tensor out = Tensor::empty(x.shape(), dt);
  detail::dispatch_float(dt, op, [&]<typename T>() {
    const T* xp = x.data<T>();
    const T* gp = gamma.data<T>();
    const T* bp = beta.data<T>();
    T* yp = out.data<T>();
    for (int64_t r = 0; r < rows; ++r) {
      const T* xr = xp + r * d;
      double s = 0;
      for (int64_t j = 0; j < d; ++j) s += static_cast<double>(xr[j]);
      const double m = d > 0 ? s / static_cast<double>(d) : 0.0;
      double v = 0;
      for (int64_t j = 0; j < d; ++j) {
        const double dev = static_cast<double>(xr[j]) - m;
        v += dev * dev;
      }
      v = d > 0 ? v / static_cast<double>(d) : 0.0;
      mean[r] = m;
      inv[r] = 1.0 / std::sqrt(v + epsilon);
      const T mt = static_cast<T>(m), it = static_cast<T>(inv[r]);
      T* yr = yp + r * d;
      for (int64_t j = 0; j < d; ++j) yr[j] = (xr[j] - mt) * it * gp[j] + bp[j];
    }
  });

  if (autograd::needs_grad({&x, &offset, &scale})) {
    autograd::record(out, op, {x, offset, scale}, [=](const Tensor& grad) {
      const Tensor g = grad.dtype() == dt ? grad : grad.astype(dt);
      const bool need_dx = x.grad_node() != nullptr;
      Tensor dx = need_dx ? Tensor::empty(x.shape(), dt) : Tensor();
      std::vector<double> dgamma(d, 0.0), dbeta(d, 0.0);
      detail::dispatch_float(dt, "LayerNormalizationGrad", [&]<typename T>() {
        const T* xp = x.data<T>();
        const T* gp = g.data<T>();
        const T* gam = gamma.data<T>();
        std::vector<T> xhat(d);
        for (int64_t r = 0; r < rows; ++r) {
          const T* xr = xp + r * d;
          const T* gr = gp + r * d;
          const T mt = static_cast<T>(mean[r]), it = static_cast<T>(inv[r]);
          double s1 = 0, s2 = 0;  // sum(g*gamma), sum(g*gamma*xhat)
          for (int64_t j = 0; j < d; ++j) {
            xhat[j] = (xr[j] - mt) * it;
            const double gg = static_cast<double>(gr[j]) * static_cast<double>(gam[j]);
            s1 += gg;
            s2 += gg * static_cast<double>(xhat[j]);
            dgamma[j] += static_cast<double>(gr[j]) * static_cast<double>(xhat[j]);
            dbeta[j] += static_cast<double>(gr[j]);
          }
          if (!need_dx) continue;
          // dx = inv * (g*gamma - mean(g*gamma) - xhat * mean(g*gamma*xhat))
          const T m1 = static_cast<T>(s1 / static_cast<double>(d));
          const T m2 = static_cast<T>(s2 / static_cast<double>(d));
          T* dr = dx.data<T>() + r * d;
          for (int64_t j = 0; j < d; ++j) dr[j] = it * (gr[j] * gam[j] - m1 - xhat[j] * m2);
        }
      });
      std::vector<Tensor> grads(3);
      grads[0] = dx;
      if (offset.grad_node())
        grads[1] = Tensor::from_vector(dbeta).reshape(offset.shape()).astype(offset.dtype());
      if (scale.grad_node())
        grads[2] = Tensor::from_vector(dgamma).reshape(scale.shape()).astype(scale.dtype());
      return grads;
    });
  }
  return out;
}

}  // namespace keras::ops
