// keras.optimizers.Adadelta: adaptive steps from moving averages of squared gradients and updates.
#pragma once

#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's keyword arguments and defaults, in Keras's order.
struct AdadeltaOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.95;
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
  std::string name = "adadelta";
};

class Adadelta : public Optimizer {
 public:
  explicit Adadelta(const AdadeltaOptions& options = {});

  double rho() const { return rho_; }
  double epsilon() const { return epsilon_; }
  void config(ConfigIO& io) override;

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, const Variable& variable, size_t index,
                   const StepParams& params) override;
  void validate() const override;

 private:
  double rho_, epsilon_;
  std::vector<Variable> accumulated_grads_, accumulated_delta_vars_;
};

}  // namespace keras::optimizers
