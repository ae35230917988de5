// keras.optimizers.Adagrad: per-parameter learning rates scaled by accumulated squared gradients.
#pragma once

#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's keyword arguments and defaults, in Keras's order.
struct AdagradOptions {
  LearningRate learning_rate = 0.001;
  double initial_accumulator_value = 0.1;
  double epsilon = 1e-7;
  std::optional<double> weight_decay = std::nullopt;
  std::optional<double> clipnorm = std::nullopt;
  std::optional<double> clipvalue = std::nullopt;
  std::optional<double> global_clipnorm = std::nullopt;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int64_t> ema_overwrite_frequency = std::nullopt;
  std::optional<double> loss_scale_factor = std::nullopt;
  std::optional<int64_t> gradient_accumulation_steps = std::nullopt;
  std::string name = "adagrad";
};

class Adagrad : public Optimizer {
 public:
  explicit Adagrad(const AdagradOptions& options = {});

  double initial_accumulator_value() const { return initial_accumulator_value_; }
  double epsilon() const { return epsilon_; }
  void config(ConfigIO& io) override;

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, const Variable& variable, size_t index,
                   const StepParams& params) override;
  void validate() const override;

 private:
  double initial_accumulator_value_, epsilon_;
  std::vector<Variable> accumulators_;
};

}  // namespace keras::optimizers
