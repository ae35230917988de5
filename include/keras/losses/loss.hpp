// keras.losses.Loss: the base of every loss.
#pragma once

#include <memory>
#include <string>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/tensor.hpp"

namespace keras::losses {

struct LossOptions {
  // "sum_over_batch_size" (Keras's default), "sum", "mean" or "none".
  std::string reduction = "sum_over_batch_size";
  std::string name;  // empty: the snake_case class name
};

class Loss {
 public:
  virtual ~Loss() = default;
  // The unreduced loss per sample (Keras's Loss.call / the loss function): usually y_pred's
  // shape without its last axis.
  virtual Tensor call(const Tensor& y_true, const Tensor& y_pred) const = 0;
  // Weighted and reduced (a scalar unless reduction is "none"). Differentiable.
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) const;
  virtual std::string class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  const std::string& reduction() const { return reduction_; }
  // Config fields: name, reduction, then the subclass's.
  virtual void config(ConfigIO& io);
  json get_config();

 protected:
  Loss(std::string class_name, const LossOptions& options, const std::string& default_name);

 private:
  std::string class_name_;
  std::string name_;
  std::string reduction_;
};

// Resolves a loss by Keras name: "mse", "mean_squared_error", "MeanSquaredError",
// "sparse_categorical_crossentropy", "binary_crossentropy", "categorical_crossentropy",
// "mae", "mape", "huber", "kld", "hinge", "categorical_hinge", "log_cosh", "poisson",
// "cosine_similarity". UnknownObjectError otherwise.
std::shared_ptr<Loss> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (either flavour).
std::shared_ptr<Loss> deserialize(const json& config);

}  // namespace keras::losses

namespace keras {
using LossArg = ObjectArg<losses::Loss, &losses::get, &losses::deserialize>;
}
