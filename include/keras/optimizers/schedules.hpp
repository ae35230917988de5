// keras.optimizers.schedules: learning rates as functions of the optimizer step.
//
// Each schedule keeps Keras's constructor arguments, defaults and get_config() fields (in Keras's
// order) and computes Keras's formula in double precision.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers::schedules {

// keras.optimizers.schedules.ExponentialDecay:
// initial_learning_rate * decay_rate ^ (step / decay_steps), the exponent floored if staircase.
class ExponentialDecay : public LearningRateSchedule {
 public:
  ExponentialDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                   bool staircase = false, std::string name = "ExponentialDecay");
  double operator()(int64_t step) const override;
  std::string class_name() const override { return "ExponentialDecay"; }
  void config(ConfigIO& io) override;

 private:
  double initial_learning_rate_, decay_steps_, decay_rate_;
  bool staircase_;
  std::string name_;
};

// keras.optimizers.schedules.PiecewiseConstantDecay: values[0] while step <= boundaries[0],
// values[i] while boundaries[i-1] < step <= boundaries[i], values.back() after the last boundary.
class PiecewiseConstantDecay : public LearningRateSchedule {
 public:
  PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values,
                         std::string name = "PiecewiseConstant");
  double operator()(int64_t step) const override;
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  void config(ConfigIO& io) override;

 private:
  void check() const;
  std::vector<double> boundaries_, values_;
  std::string name_;
};

// keras.optimizers.schedules.PolynomialDecay: from initial_learning_rate to end_learning_rate over
// decay_steps along (1 - step / decay_steps) ^ power; with cycle, decay_steps grows by multiples.
class PolynomialDecay : public LearningRateSchedule {
 public:
  PolynomialDecay(double initial_learning_rate, double decay_steps,
                  double end_learning_rate = 0.0001, double power = 1.0, bool cycle = false,
                  std::string name = "PolynomialDecay");
  double operator()(int64_t step) const override;
  std::string class_name() const override { return "PolynomialDecay"; }
  void config(ConfigIO& io) override;

 private:
  double initial_learning_rate_, decay_steps_, end_learning_rate_, power_;
  bool cycle_;
  std::string name_;
};

// keras.optimizers.schedules.InverseTimeDecay:
// initial_learning_rate / (1 + decay_rate * step / decay_steps), the ratio floored if staircase.
class InverseTimeDecay : public LearningRateSchedule {
 public:
  InverseTimeDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                   bool staircase = false, std::string name = "InverseTimeDecay");
  double operator()(int64_t step) const override;
  std::string class_name() const override { return "InverseTimeDecay"; }
  void config(ConfigIO& io) override;

 private:
  double initial_learning_rate_, decay_steps_, decay_rate_;
  bool staircase_;
  std::string name_;
};

// keras.optimizers.schedules.CosineDecay: an optional linear warmup from initial_learning_rate to
// warmup_target over warmup_steps, then a cosine decay to alpha * (warmup_target or
// initial_learning_rate) over decay_steps.
class CosineDecay : public LearningRateSchedule {
 public:
  CosineDecay(double initial_learning_rate, double decay_steps, double alpha = 0.0,
              std::string name = "CosineDecay", std::optional<double> warmup_target = std::nullopt,
              double warmup_steps = 0);
  double operator()(int64_t step) const override;
  std::string class_name() const override { return "CosineDecay"; }
  void config(ConfigIO& io) override;

 private:
  double initial_learning_rate_, decay_steps_, alpha_;
  std::string name_;
  std::optional<double> warmup_target_ = std::nullopt;
  double warmup_steps_;
};

}  // namespace keras::optimizers::schedules
