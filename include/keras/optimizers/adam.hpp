// keras.optimizers.Adam and keras.optimizers.AdamW: adaptive moment estimation (Kingma & Ba), and
// Adam with decoupled weight decay (Loshchilov & Hutter).
#pragma once

#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's keyword arguments and defaults, in Keras's order.
struct AdamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::optional<double> weight_decay = std::nullopt;
  std::optional<double> clipnorm = std::nullopt;
  std::optional<double> clipvalue = std::nullopt;
  std::optional<double> global_clipnorm = std::nullopt;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int64_t> ema_overwrite_frequency = std::nullopt;
  std::optional<double> loss_scale_factor = std::nullopt;
  std::optional<int64_t> gradient_accumulation_steps = std::nullopt;
  std::string name = "adam";
};

class Adam : public Optimizer {
 public:
  explicit Adam(const AdamOptions& options = {});

  double beta_1() const { return beta_1_; }
  double beta_2() const { return beta_2_; }
  double epsilon() const { return epsilon_; }
  bool amsgrad() const { return amsgrad_; }
  void config(ConfigIO& io) override;

 protected:
  Adam(std::string class_name, std::string default_name, const AdamOptions& options);
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, const Variable& variable, size_t index,
                   const StepParams& params) override;
  void validate() const override;

 private:
  double beta_1_, beta_2_, epsilon_;
  bool amsgrad_;
  // "momentum" and "velocity" interleaved per variable, then the "velocity_hat" block.
  std::vector<Variable> momentums_, velocities_, velocity_hats_;
};

// Keras's keyword arguments and defaults, in Keras's order (weight_decay comes second and is
// required).
struct AdamWOptions {
  LearningRate learning_rate = 0.001;
  double weight_decay = 0.004;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::optional<double> clipnorm = std::nullopt;
  std::optional<double> clipvalue = std::nullopt;
  std::optional<double> global_clipnorm = std::nullopt;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int64_t> ema_overwrite_frequency = std::nullopt;
  std::optional<double> loss_scale_factor = std::nullopt;
  std::optional<int64_t> gradient_accumulation_steps = std::nullopt;
  std::string name = "adamw";
};

class AdamW : public Adam {
 public:
  explicit AdamW(const AdamWOptions& options = {});

 protected:
  void validate() const override;
};

}  // namespace keras::optimizers
