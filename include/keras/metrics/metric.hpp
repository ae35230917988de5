// keras.metrics.Metric: a stateful metric (update_state / result / reset_state).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/trackable.hpp"

namespace keras::metrics {

class Metric : public Trackable {
 public:
  ~Metric() override = default;
  std::string class_name() const override { return class_name_; }
  const std::string& name() const { return name_; }

  virtual void update_state(const Tensor& y_true, const Tensor& y_pred,
                            const Tensor& sample_weight = Tensor()) = 0;
  // The current value (a float32 scalar for most metrics).
  virtual Tensor result() const = 0;
  // Zeroes every state variable (override for other initial values).
  virtual void reset_state();

  // The state variables in creation order (Keras's metric.variables).
  std::vector<Variable> variables() const { return variables_; }
  std::vector<Variable> own_variables() const override { return variables_; }

  // Config fields: name, dtype, then the subclass's.
  virtual void config(ConfigIO& io);
  json get_config();

 protected:
  Metric(std::string class_name, std::string name, DType dtype = DType::float32);
  // A non-trainable state variable, zero-initialised, tracked under `name`.
  Variable add_variable(const std::string& name, const Shape& shape = {},
                        DType dtype = DType::float32);
  DType dtype() const { return dtype_; }

 private:
  std::string class_name_;
  std::string name_;
  DType dtype_;
  std::vector<Variable> variables_;
};

// Resolves a metric by Keras name ("mse", "mae", "binary_accuracy",
// "sparse_categorical_accuracy", "categorical_accuracy", "top_k_categorical_accuracy",
// "AUC"...). "accuracy"/"acc" are resolved by compile() from the loss, not here.
std::shared_ptr<Metric> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (either flavour).
std::shared_ptr<Metric> deserialize(const json& config);

}  // namespace keras::metrics

namespace keras {
using MetricArg = ObjectArg<metrics::Metric, &metrics::get, &metrics::deserialize>;
}
