// keras.metrics.Metric: a stateful metric (update_state / result / reset_state), Keras 3's
// keras/src/metrics/metric.py.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/trackable.hpp"

namespace keras::losses {
class Loss;
}

namespace keras::metrics {

// Keras's Metric(name=None, dtype=None) arguments.
struct MetricOptions {
  std::string name{};  // empty: the metric's Keras default name
  DType dtype = DType::float32;
};

class Metric : public Trackable {
 public:
  ~Metric() override = default;
  std::string class_name() const override { return class_name_; }
  const std::string& name() const { return name_; }
  // Renames the metric (Keras's `metric.name = ...`, as compile() does); variable paths follow.
  void set_name(const std::string& name);

  // Accumulates one batch. Metrics of one tensor (Mean, Sum) read it from y_pred (from y_true
  // when y_pred is undefined), as the trainer feeds its loss tracker.
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred,
                            const Tensor& sample_weight = Tensor()) = 0;
  // The current value (a scalar of the metric's dtype for most metrics).
  virtual Tensor result() const = 0;
  // Zeroes every state variable (override for other initial values).
  virtual void reset_state();

  // The state variables in creation order (Keras's metric.variables).
  std::vector<Variable> variables() const { return variables_; }
  std::vector<Variable> own_variables() const override { return variables_; }

  // Config fields: name, dtype, then the subclass's.
  virtual void config(ConfigIO& io);
  json get_config();
  DType dtype() const { return dtype_; }

 protected:
  Metric(std::string class_name, std::string name, DType dtype = DType::float32);
  // A non-trainable state variable, zero-initialised, tracked under `name` with path
  // "<metric name>/<name>" (Keras 3's add_variable).
  Variable add_variable(const std::string& name, const Shape& shape = {},
                        std::optional<DType> dtype = std::nullopt);
  // Forgets the state variables (before re-creating them with new shapes from a config).
  void clear_variables() { variables_.clear(); }

 private:
  std::string class_name_;
  std::string name_;
  DType dtype_;
  std::vector<Variable> variables_;
};

// Resolves a metric by Keras name: class names ("AUC", "Precision", "MeanSquaredError"...),
// their snake_case forms ("auc", "sparse_categorical_accuracy", "root_mean_squared_error"...),
// metric functions and aliases ("mse", "mae", "mape", "binary_crossentropy", "accuracy" meaning
// exact-match Accuracy...). The metric is named after the identifier, as Keras's
// compile_utils.get_metric names it. "acc" and the contextual spellings are resolved by
// resolve_contextual. UnknownObjectError otherwise.
std::shared_ptr<Metric> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (either flavour).
std::shared_ptr<Metric> deserialize(const json& config);

// Keras's metrics.Mean named `name`: the trainer's loss tracker (update_state(Tensor(), loss,
// batch_size) weighs each batch's loss by its size).
std::shared_ptr<Metric> make_mean(const std::string& name);

// compile_utils.get_metric for "accuracy"/"acc" (and Keras 2's "crossentropy"/"ce"): from the
// first batch's shapes, BinaryAccuracy when y_pred's last axis is 1, SparseCategoricalAccuracy
// when y_true has lower rank or a last axis of 1 against a wider y_pred, CategoricalAccuracy
// otherwise (likewise the binary / sparse / categorical crossentropy metric, which takes
// from_logits from a cross-entropy loss). The metric is named after the identifier. Any other
// identifier goes to get().
std::shared_ptr<Metric> resolve_contextual(const std::string& identifier, const Tensor& y_true,
                                           const Tensor& y_pred, const losses::Loss* loss);

}  // namespace keras::metrics

namespace keras {
using MetricArg = ObjectArg<metrics::Metric, &metrics::get, &metrics::deserialize>;
}
