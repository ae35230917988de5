// Regression, probabilistic and hinge losses: Keras 3's loss functions written with keras::ops
// (each op carries its gradient, so these are differentiable wrt y_pred).
#include "keras/losses/losses.hpp"

#include <cmath>

#include "keras/ops.hpp"

namespace keras::losses {

namespace {

// LossFunctionWrapper.call: y_true in y_pred's dtype, both brought to the same rank.
std::pair<Tensor, Tensor> prepare(const Tensor& y_true, const Tensor& y_pred) {
  const Tensor t = y_true.dtype() == y_pred.dtype() ? y_true : y_true.astype(y_pred.dtype());
  return squeeze_or_expand_to_same_rank(t, y_pred);
}

Tensor scalar(double v, const Tensor& like) { return Tensor::scalar(v, like.dtype()); }

// Keras's convert_binary_labels_to_hinge: 0/1 labels become -1/1 when every label is 0 or 1.
Tensor hinge_labels(const Tensor& t) {
  const auto v = t.to_vector<double>();
  for (double x : v)
    if (x != 0.0 && x != 1.0) return t;
  return t * 2.0 - 1.0;
}

}  // namespace

#define KERAS_LOSS_CTOR(ClassName, default_name) \
  ClassName::ClassName(const LossOptions& o) : Loss(#ClassName, o, default_name) {}

KERAS_LOSS_CTOR(MeanSquaredError, "mean_squared_error")
KERAS_LOSS_CTOR(MeanAbsoluteError, "mean_absolute_error")
KERAS_LOSS_CTOR(MeanAbsolutePercentageError, "mean_absolute_percentage_error")
KERAS_LOSS_CTOR(MeanSquaredLogarithmicError, "mean_squared_logarithmic_error")
KERAS_LOSS_CTOR(LogCosh, "log_cosh")
KERAS_LOSS_CTOR(KLDivergence, "kl_divergence")
KERAS_LOSS_CTOR(Poisson, "poisson")
KERAS_LOSS_CTOR(Hinge, "hinge")
KERAS_LOSS_CTOR(SquaredHinge, "squared_hinge")
KERAS_LOSS_CTOR(CategoricalHinge, "categorical_hinge")

#undef KERAS_LOSS_CTOR

Tensor MeanSquaredError::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  return ops::mean(ops::square(t - p), {-1});
}

Tensor MeanAbsoluteError::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  return ops::mean(ops::abs(t - p), {-1});
}

Tensor MeanAbsolutePercentageError::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  const Tensor diff = ops::abs((t - p) / ops::maximum(ops::abs(t), kEpsilon));
  return ops::mean(diff, {-1}) * 100.0;
}

Tensor MeanSquaredLogarithmicError::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  const Tensor first = ops::log(ops::maximum(p, kEpsilon) + 1.0);
  const Tensor second = ops::log(ops::maximum(t, kEpsilon) + 1.0);
  return ops::mean(ops::square(first - second), {-1});
}

Tensor LogCosh::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  const Tensor x = p - t;
  return ops::mean(x + ops::softplus(x * -2.0) - std::log(2.0), {-1});
}

Tensor KLDivergence::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t0, p0] = prepare(y_true, y_pred);
  const Tensor t = ops::clip(t0, kEpsilon, 1.0);
  const Tensor p = ops::clip(p0, kEpsilon, 1.0);
  return ops::sum(t * ops::log(t / p), {-1});
}

Tensor Poisson::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  return ops::mean(p - t * ops::log(p + kEpsilon), {-1});
}

Tensor Hinge::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  return ops::mean(ops::maximum(1.0 - hinge_labels(t) * p, 0.0), {-1});
}

Tensor SquaredHinge::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  return ops::mean(ops::square(ops::maximum(1.0 - hinge_labels(t) * p, 0.0)), {-1});
}

Tensor CategoricalHinge::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  const Tensor pos = ops::sum(t * p, {-1});
  const Tensor neg = ops::max((1.0 - t) * p, {-1});
  return ops::maximum(neg - pos + 1.0, 0.0);
}

// ---- Huber ----

Huber::Huber(const HuberOptions& o)
    : Loss("Huber", {.reduction = o.reduction, .name = o.name}, "huber_loss"), delta_(o.delta) {}

Tensor Huber::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  const Tensor error = p - t;
  const Tensor abs_error = ops::abs(error);
  const Tensor quadratic = ops::square(error) * 0.5;
  const Tensor linear = abs_error * delta_ - 0.5 * delta_ * delta_;
  return ops::mean(ops::where(ops::less_equal(abs_error, scalar(delta_, p)), quadratic, linear),
                   {-1});
}

void Huber::config(ConfigIO& io) {
  Loss::config(io);
  io("delta", delta_);
}

// ---- CosineSimilarity ----

CosineSimilarity::CosineSimilarity(const CosineSimilarityOptions& o)
    : Loss("CosineSimilarity", {.reduction = o.reduction, .name = o.name}, "cosine_similarity"),
      axis_(o.axis) {}

Tensor CosineSimilarity::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = prepare(y_true, y_pred);
  // keras.ops.normalize(order=2): x * min(rsqrt(sum(x^2)), 1 / epsilon).
  auto normalize = [this](const Tensor& x) {
    const Tensor inv =
        ops::minimum(ops::rsqrt(ops::sum(ops::square(x), {axis_}, true)), 1.0 / kEpsilon);
    return x * inv;
  };
  return -ops::sum(normalize(t) * normalize(p), {axis_});
}

void CosineSimilarity::config(ConfigIO& io) {
  Loss::config(io);
  io("axis", axis_);
}

}  // namespace keras::losses
