// keras.optimizers.SGD: gradient descent with optional (Nesterov) momentum.
#pragma once

#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's keyword arguments and defaults, in Keras's order.
struct SGDOptions {
  LearningRate learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  std::optional<double> weight_decay = std::nullopt;
  std::optional<double> clipnorm = std::nullopt;
  std::optional<double> clipvalue = std::nullopt;
  std::optional<double> global_clipnorm = std::nullopt;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int64_t> ema_overwrite_frequency = std::nullopt;
  std::optional<double> loss_scale_factor = std::nullopt;
  std::optional<int64_t> gradient_accumulation_steps = std::nullopt;
  std::string name = "SGD";
};

class SGD : public Optimizer {
 public:
  explicit SGD(const SGDOptions& options = {});

  double momentum() const { return momentum_; }
  bool nesterov() const { return nesterov_; }
  void config(ConfigIO& io) override;

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, const Variable& variable, size_t index,
                   const StepParams& params) override;
  void validate() const override;

 private:
  double momentum_;
  bool nesterov_;
  std::vector<Variable> momentums_;  // "momentum" slots, only when momentum != 0
};

}  // namespace keras::optimizers
