// The built-in losses (keras.losses.MeanSquaredError ... SparseCategoricalCrossentropy), with
// Keras 3's formulas, default names and config fields (keras/src/losses/losses.py).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "keras/losses/loss.hpp"

namespace keras::losses {

// Declares a loss whose only options are reduction and name.
#define KERAS_SIMPLE_LOSS(ClassName)                                        \
  class ClassName : public Loss {                                           \
   public:                                                                  \
    explicit ClassName(const LossOptions& options = {});                    \
    Tensor call(const Tensor& y_true, const Tensor& y_pred) const override; \
  }

// keras.losses.MeanSquaredError: mean((y_true - y_pred)^2, axis=-1). "mean_squared_error".
KERAS_SIMPLE_LOSS(MeanSquaredError);
// keras.losses.MeanAbsoluteError: mean(|y_true - y_pred|, axis=-1). "mean_absolute_error".
KERAS_SIMPLE_LOSS(MeanAbsoluteError);
// keras.losses.MeanAbsolutePercentageError:
// 100 * mean(|(y_true - y_pred) / max(|y_true|, eps)|, axis=-1).
KERAS_SIMPLE_LOSS(MeanAbsolutePercentageError);
// keras.losses.MeanSquaredLogarithmicError:
// mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2, axis=-1).
KERAS_SIMPLE_LOSS(MeanSquaredLogarithmicError);
// keras.losses.LogCosh: mean(x + softplus(-2x) - log 2, axis=-1) with x = y_pred - y_true.
KERAS_SIMPLE_LOSS(LogCosh);
// keras.losses.KLDivergence: sum(t * log(t / p), axis=-1), t and p clipped to [eps, 1].
// Default name "kl_divergence".
KERAS_SIMPLE_LOSS(KLDivergence);
// keras.losses.Poisson: mean(y_pred - y_true * log(y_pred + eps), axis=-1).
KERAS_SIMPLE_LOSS(Poisson);
// keras.losses.Hinge: mean(max(1 - y_true * y_pred, 0), axis=-1); 0/1 labels (all of them) are
// first mapped to -1/1.
KERAS_SIMPLE_LOSS(Hinge);
// keras.losses.SquaredHinge: mean(max(1 - y_true * y_pred, 0)^2, axis=-1), labels as Hinge.
KERAS_SIMPLE_LOSS(SquaredHinge);
// keras.losses.CategoricalHinge: max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0).
KERAS_SIMPLE_LOSS(CategoricalHinge);

#undef KERAS_SIMPLE_LOSS

struct HuberOptions {
  double delta = 1.0;
  std::string reduction = "sum_over_batch_size";
  std::string name{};  // default "huber_loss"
};

// keras.losses.Huber: mean(|e| <= delta ? e^2 / 2 : delta * |e| - delta^2 / 2, axis=-1).
// Keras 3's get_config omits `delta` (its bug: from_config then loses it); we write it, and
// Keras reads it back as the constructor argument.
class Huber : public Loss {
 public:
  explicit Huber(const HuberOptions& options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  void config(ConfigIO& io) override;
  double delta() const { return delta_; }

 private:
  double delta_;
};

struct CosineSimilarityOptions {
  int axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name{};  // default "cosine_similarity"
};

// keras.losses.CosineSimilarity: -sum(l2_normalize(y_true) * l2_normalize(y_pred), axis), with
// Keras's normalize x * min(rsqrt(sum(x^2)), 1 / eps). `axis` is written to the config, as for
// Huber.
class CosineSimilarity : public Loss {
 public:
  explicit CosineSimilarity(const CosineSimilarityOptions& options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  void config(ConfigIO& io) override;

 private:
  int axis_;
};

struct BinaryCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  int axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name{};  // default "binary_crossentropy"
};

// keras.losses.BinaryCrossentropy: mean over `axis` of -(t log p + (1 - t) log(1 - p)) with p
// clipped to [1e-7, 1 - 1e-7], or from logits max(x, 0) - x t + log1p(exp(-|x|)) (TF's
// sigmoid_cross_entropy_with_logits). Labels smoothed to t (1 - s) + s / 2. One fused op with
// its own backward (no gradient to y_true).
class BinaryCrossentropy : public Loss {
 public:
  explicit BinaryCrossentropy(const BinaryCrossentropyOptions& options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  void config(ConfigIO& io) override;
  bool from_logits() const { return o_.from_logits; }

 protected:
  Tensor fused_reduce(const Tensor& y_true, const Tensor& y_pred,
                      const Tensor& sample_weight) const override;

 private:
  BinaryCrossentropyOptions o_;
};

struct CategoricalCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  int axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name{};  // default "categorical_crossentropy"
};

// keras.losses.CategoricalCrossentropy: -sum(t * log(clip(p / sum(p), eps, 1 - eps)), axis), or
// from logits -sum(t * log_softmax(x), axis). Labels smoothed to t (1 - s) + s / C with C =
// y_true.shape[-1]. One fused op with its own backward (no gradient to y_true).
class CategoricalCrossentropy : public Loss {
 public:
  explicit CategoricalCrossentropy(const CategoricalCrossentropyOptions& options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  void config(ConfigIO& io) override;
  bool from_logits() const { return o_.from_logits; }

 protected:
  Tensor fused_reduce(const Tensor& y_true, const Tensor& y_pred,
                      const Tensor& sample_weight) const override;

 private:
  CategoricalCrossentropyOptions o_;
};

struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;
  std::optional<int64_t> ignore_class{};
  std::string reduction = "sum_over_batch_size";
  std::string name{};  // default "sparse_categorical_crossentropy"
};

// keras.losses.SparseCategoricalCrossentropy on integer labels (any numeric dtype; shape
// y_pred.shape[:-1], optionally with a trailing 1). From logits: logsumexp(x) - x[label]; from
// probabilities (TF backend): -log(c[label]) + log(sum(c)) with c = clip(p, eps, 1 - eps). A
// label outside [0, C) is a ValueError. ignore_class: those samples give 0 and are masked out of
// the mean (Keras's mask: sum_over_batch_size divides by the number of valid samples).
// One fused op: the forward pass stores softmax - onehot, the backward pass scales it.
class SparseCategoricalCrossentropy : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(const SparseCategoricalCrossentropyOptions& options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  void config(ConfigIO& io) override;
  bool from_logits() const { return o_.from_logits; }

 protected:
  Tensor call_with_mask(const Tensor& y_true, const Tensor& y_pred, Tensor* mask) const override;
  Tensor fused_reduce(const Tensor& y_true, const Tensor& y_pred,
                      const Tensor& sample_weight) const override;

 private:
  SparseCategoricalCrossentropyOptions o_;
};

}  // namespace keras::losses
