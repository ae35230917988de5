// keras.optimizers.Optimizer: the base of every optimizer (Keras 3's BaseOptimizer).
//
// State is part of the object tree: variables() lists, in Keras 3's order, `iteration`,
// `learning_rate` (when constant) and the slot variables each optimizer creates per trained
// variable, named "{variable.path with '/' -> '_'}_{slot}" ("dense_kernel_momentum").
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/trackable.hpp"

namespace keras::optimizers {

namespace schedules {
// keras.optimizers.schedules.LearningRateSchedule: the learning rate as a function of the step.
class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual double operator()(int64_t step) const = 0;
  virtual std::string class_name() const = 0;
  virtual void config(ConfigIO& io) { (void)io; }
};
}  // namespace schedules

// A learning rate: a constant or a schedule (Keras accepts either).
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}  // NOLINT
  LearningRate(std::shared_ptr<schedules::LearningRateSchedule> s)  // NOLINT
      : schedule_(std::move(s)) {}
  template <typename T>
    requires std::derived_from<T, schedules::LearningRateSchedule>
  LearningRate(T s) : schedule_(std::make_shared<T>(std::move(s))) {}  // NOLINT

  bool is_schedule() const { return schedule_ != nullptr; }
  double value() const { return value_; }
  const std::shared_ptr<schedules::LearningRateSchedule>& schedule() const { return schedule_; }

 private:
  double value_ = 0.001;
  std::shared_ptr<schedules::LearningRateSchedule> schedule_;
};

// The keyword arguments every Keras 3 optimizer takes besides its own.
struct BaseOptions {
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;  // empty: the snake_case class name ("adam")
};

class Optimizer : public Trackable {
 public:
  ~Optimizer() override = default;

  std::string class_name() const override { return class_name_; }
  const std::string& name() const { return name_; }

  // Keras's optimizer.iterations: the number of steps applied (an int64 variable).
  const Variable& iterations() const { return iterations_; }
  // The learning rate for the next step (a schedule evaluated at iterations).
  double learning_rate() const;
  // Sets a constant learning rate (ReduceLROnPlateau, LearningRateScheduler); ValueError when the
  // optimizer uses a schedule.
  void set_learning_rate(double value);
  const LearningRate& learning_rate_setting() const { return learning_rate_; }

  // Creates the slot variables for `variables` (done by the first apply if not called).
  void build(const std::vector<Variable>& variables);
  bool built() const { return built_; }

  // One optimization step: clips (clipvalue, clipnorm, global_clipnorm), applies weight decay
  // and the update rule, increments iterations. Undefined gradients are skipped.
  void apply_gradients(const std::vector<std::pair<Tensor, Variable>>& grads_and_vars);
  void apply(const std::vector<Tensor>& grads, const std::vector<Variable>& variables);

  // Every state variable in Keras 3's order (iteration, learning_rate if constant, slots).
  std::vector<Variable> variables() const;
  std::vector<Variable> own_variables() const override { return variables(); }

  // Config fields in Keras 3's names and order (subclasses append theirs).
  virtual void config(ConfigIO& io);
  json get_config();
  void apply_config(const json& config);

 protected:
  Optimizer(std::string class_name, LearningRate learning_rate, const BaseOptions& options);

  // Subclasses create their slots for the trained variables, in Keras's order.
  virtual void build_slots(const std::vector<Variable>& variables) = 0;
  // Updates variable `index` (its position in build()'s list) with its (clipped) gradient.
  virtual void update_step(const Tensor& gradient, Variable& variable, size_t index,
                           double learning_rate) = 0;
  // A zero-initialised slot shaped like `reference`, named Keras's way, added to variables().
  Variable add_slot(const Variable& reference, const std::string& slot_name);
  // The position of a variable in build()'s list, or -1.
  int index_of(const Variable& variable) const;
  // The step number of the update in progress (iterations + 1), as double for bias correction.
  double step() const;

 private:
  std::string class_name_;
  std::string name_;
  LearningRate learning_rate_;
  BaseOptions options_;
  Variable iterations_;
  Variable learning_rate_var_;  // only for a constant learning rate
  std::vector<Variable> slots_;
  std::vector<Variable> trained_;  // build()'s list
  bool built_ = false;
};

// Resolves "adam", "Adam", "sgd", "rmsprop"... with Keras's defaults. UnknownObjectError otherwise.
std::shared_ptr<Optimizer> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (either flavour).
std::shared_ptr<Optimizer> deserialize(const json& config);

}  // namespace keras::optimizers

namespace keras {
using OptimizerArg = ObjectArg<optimizers::Optimizer, &optimizers::get, &optimizers::deserialize>;
}
