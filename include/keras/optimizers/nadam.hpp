// keras.optimizers.Nadam: Adam with Nesterov momentum (Dozat's momentum schedule).
#pragma once

#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's keyword arguments and defaults, in Keras's order.
struct NadamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
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
  std::string name = "nadam";
};

class Nadam : public Optimizer {
 public:
  explicit Nadam(const NadamOptions& options = {});

  double beta_1() const { return beta_1_; }
  double beta_2() const { return beta_2_; }
  double epsilon() const { return epsilon_; }
  void config(ConfigIO& io) override;

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void before_update_steps(const StepParams& params) override;
  void update_step(const Tensor& gradient, const Variable& variable, size_t index,
                   const StepParams& params) override;
  void validate() const override;

 private:
  double beta_1_, beta_2_, epsilon_;
  std::vector<Variable> momentums_, velocities_;
  // The product of the momentum schedule's factors so far: a scalar variable Keras creates after
  // the slots (so it is the last of variables()), in the first trained variable's dtype.
  Variable u_product_;
};

}  // namespace keras::optimizers
