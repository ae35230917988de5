// keras.losses.Loss: the base of every loss (Keras 3's keras/src/losses/loss.py).
#pragma once

#include <memory>
#include <string>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/tensor.hpp"

namespace keras::losses {

// Keras's backend.epsilon(): the clip margin of probability-based losses.
inline constexpr double kEpsilon = 1e-7;

struct LossOptions {
  // "sum_over_batch_size" (Keras's default), "sum", "mean", "mean_with_sample_weight" or
  // "none". Keras's None is "none".
  std::string reduction = "sum_over_batch_size";
  std::string name{};  // empty: the loss's Keras default name
};

class Loss {
 public:
  virtual ~Loss() = default;
  // The unreduced loss per sample (Keras's Loss.call): usually y_pred's shape without its last
  // axis. Differentiable wrt y_pred. Custom losses override this.
  virtual Tensor call(const Tensor& y_true, const Tensor& y_pred) const = 0;
  // Weighted and reduced as Keras's Loss.__call__ / reduce_weighted_values: sample_weight is
  // brought to the per-sample loss's rank (squeeze_or_expand_to_same_rank) and multiplied in,
  // then "sum" sums, "sum_over_batch_size"/"mean" divide the sum by the number of elements of
  // the weighted loss tensor, "mean_with_sample_weight" by the sum of the weights, "none"
  // returns it unreduced. A scalar unless reduction is "none". Differentiable wrt y_pred.
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) const;
  virtual std::string class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  const std::string& reduction() const { return reduction_; }
  // Config fields: name, reduction, then the subclass's (Keras's get_config order).
  virtual void config(ConfigIO& io);
  json get_config();

 protected:
  Loss(std::string class_name, const LossOptions& options, const std::string& default_name);

  // call() plus the mask Keras attaches to the result (SparseCategoricalCrossentropy's
  // ignore_class); *mask stays undefined when there is none.
  virtual Tensor call_with_mask(const Tensor& y_true, const Tensor& y_pred, Tensor* mask) const {
    (void)mask;
    return call(y_true, y_pred);
  }
  // A fused weighted reduction to a scalar (one op with its own backward), or an undefined
  // tensor when this loss has none or the arguments need the generic path. Called only for the
  // reductions sum / sum_over_batch_size / mean.
  virtual Tensor fused_reduce(const Tensor& y_true, const Tensor& y_pred,
                              const Tensor& sample_weight) const {
    (void)y_true, (void)y_pred, (void)sample_weight;
    return Tensor();
  }

 private:
  std::string class_name_;
  std::string name_;
  std::string reduction_;
};

// Keras's squeeze_or_expand_to_same_rank: when the ranks differ by one and the longer shape ends
// in 1, squeezes that axis, or (expand_rank_1, the shorter one being rank 1) expands the shorter
// one instead. Views; differentiable.
std::pair<Tensor, Tensor> squeeze_or_expand_to_same_rank(const Tensor& x1, const Tensor& x2,
                                                         bool expand_rank_1 = true);

// Resolves a loss by Keras name: a class name ("MeanSquaredError", default instance name) or a
// function name or alias ("mse", "mean_squared_error", "sparse_categorical_crossentropy",
// "binary_crossentropy", "bce", "categorical_crossentropy", "mae", "mape", "msle", "huber",
// "kld", "kl_divergence", "hinge", "squared_hinge", "categorical_hinge", "log_cosh", "poisson",
// "cosine_similarity"...), which compile() names after the identifier as Keras's get_loss wraps
// a function. UnknownObjectError otherwise.
std::shared_ptr<Loss> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (Keras 2 or Keras 3 with
// module/registered_name) or a plain identifier string. UnknownObjectError for an unknown class.
std::shared_ptr<Loss> deserialize(const json& config);

}  // namespace keras::losses

namespace keras {
using LossArg = ObjectArg<losses::Loss, &losses::get, &losses::deserialize>;
}
