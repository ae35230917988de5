// keras.optimizers.Optimizer: the base of every optimizer (Keras 3's BaseOptimizer).
//
// State is part of the object tree: variables() lists, in Keras 3's order, `iteration`,
// `learning_rate` (when constant) and the slot variables each optimizer creates per trained
// variable, named "{variable.path with '/' -> '_'}_{slot}" ("dense_kernel_momentum"). Every
// optimizer variable's path is "{optimizer name}/{variable name}" ("adam/iteration"), as Keras 3
// creates them under the optimizer's name scope.
//
// An optimizer is movable, not copyable: its variables are its identity (Keras passes optimizers by
// reference). Share one with std::shared_ptr.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/trackable.hpp"

namespace keras::optimizers {

namespace schedules {
// keras.optimizers.schedules.LearningRateSchedule: the learning rate as a function of the step.
// The built-in schedules are in keras/optimizers/schedules.hpp.
class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual double operator()(int64_t step) const = 0;
  virtual std::string class_name() const = 0;
  virtual void config(ConfigIO& io) { (void)io; }
};

// keras.optimizers.schedules.serialize: {"class_name": ..., "config": {...}} (the Keras 2 flavour;
// saving/ adds Keras 3's module/registered_name).
json serialize(LearningRateSchedule& schedule);
// keras.optimizers.schedules.deserialize: a built-in schedule from its class name and config
// (either flavour). UnknownObjectError for another class name.
std::shared_ptr<LearningRateSchedule> deserialize(const json& config);
}  // namespace schedules

// A learning rate: a constant or a schedule (Keras accepts either).
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}                     // NOLINT
  LearningRate(std::shared_ptr<schedules::LearningRateSchedule> s)  // NOLINT
      : schedule_(std::move(s)) {}
  template <typename T>
  requires std::derived_from<T, schedules::LearningRateSchedule> LearningRate(T s)
      : schedule_(std::make_shared<T>(std::move(s))) {}  // NOLINT

  bool is_schedule() const { return schedule_ != nullptr; }
  double value() const { return value_; }
  const std::shared_ptr<schedules::LearningRateSchedule>& schedule() const { return schedule_; }

 private:
  double value_ = 0.001;
  std::shared_ptr<schedules::LearningRateSchedule> schedule_;
};

// The keyword arguments every Keras 3 optimizer takes besides its own, with Keras's defaults.
struct BaseOptions {
  std::optional<double> weight_decay = std::nullopt;
  std::optional<double> clipnorm = std::nullopt;
  std::optional<double> clipvalue = std::nullopt;
  std::optional<double> global_clipnorm = std::nullopt;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int64_t> ema_overwrite_frequency = std::nullopt;
  std::optional<double> loss_scale_factor = std::nullopt;
  std::optional<int64_t> gradient_accumulation_steps = std::nullopt;
  std::string name;  // empty: the snake_case class name ("adam")
};

// The common fields of any optimizer's options struct (AdamOptions...), as a BaseOptions.
template <typename Options>
BaseOptions base_options(const Options& o) {
  BaseOptions b;
  b.weight_decay = o.weight_decay;
  b.clipnorm = o.clipnorm;
  b.clipvalue = o.clipvalue;
  b.global_clipnorm = o.global_clipnorm;
  b.use_ema = o.use_ema;
  b.ema_momentum = o.ema_momentum;
  b.ema_overwrite_frequency = o.ema_overwrite_frequency;
  b.loss_scale_factor = o.loss_scale_factor;
  b.gradient_accumulation_steps = o.gradient_accumulation_steps;
  b.name = o.name;
  return b;
}

// What one update step needs besides the gradient: the base class has already folded clipping,
// loss scaling and weight decay into these numbers so that a subclass applies everything in its
// single pass over the variable's elements.
struct StepParams {
  double learning_rate = 0.0;
  // The step being applied, counted from 1 (Keras's `iterations + 1`).
  double step = 1.0;
  // The gradient to use is clip(gradient * grad_scale, -clipvalue, clipvalue).
  double grad_scale = 1.0;
  double clipvalue = 0.0;  // 0: no clipping by value
  // Decoupled weight decay: variable -= variable * decay before the update (weight_decay * lr).
  double decay = 0.0;

  bool transforms_gradient() const { return grad_scale != 1.0 || clipvalue > 0.0; }
};

class Optimizer : public Trackable {
 public:
  ~Optimizer() override = default;
  Optimizer(Optimizer&&) = default;
  Optimizer& operator=(Optimizer&&) = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  std::string class_name() const override { return class_name_; }
  const std::string& name() const { return name_; }

  // Keras's optimizer.iterations: the number of apply() calls so far (an int64 variable). With
  // gradient_accumulation_steps Keras's property divides it by the steps; this is the raw counter
  // that Keras saves.
  const Variable& iterations() const { return iterations_; }
  // The learning rate for the next step (a schedule evaluated at iterations). A constant learning
  // rate lives in a float32 variable, so this is the float32-rounded value, as Keras reports it.
  double learning_rate() const;
  // Sets a constant learning rate (ReduceLROnPlateau, LearningRateScheduler); ValueError when the
  // optimizer uses a schedule.
  void set_learning_rate(double value);
  const LearningRate& learning_rate_setting() const { return learning_rate_; }

  // Creates the slot variables for `variables` (done by the first apply if not called). A second
  // call does nothing, as in Keras.
  void build(const std::vector<Variable>& variables);
  bool built() const { return built_; }

  // One optimization step (Keras's apply): skips undefined gradients, divides by
  // loss_scale_factor, accumulates (gradient_accumulation_steps), clips (clipnorm per tensor,
  // global_clipnorm, clipvalue), applies weight decay and the update rule, updates the EMA and
  // increments iterations. Builds on the first call; later calls must pass variables it was built
  // with (ValueError otherwise). Gradients are cast to the variable's dtype.
  void apply(const std::vector<Tensor>& grads, const std::vector<Variable>& variables);
  void apply_gradients(const std::vector<std::pair<Tensor, Variable>>& grads_and_vars);

  // Keras's exclude_from_weight_decay: variables, or variables whose name matches any of the
  // regular expressions, get no weight decay. Only before build() (ValueError after).
  void exclude_from_weight_decay(const std::vector<Variable>& var_list,
                                 const std::vector<std::string>& var_names = {});
  // With use_ema: copies each variable's moving average into it (Keras's
  // finalize_variable_values, called at the end of fit). No-op otherwise.
  void finalize_variable_values(const std::vector<Variable>& var_list);

  // Every state variable in Keras 3's order (iteration, learning_rate if constant, then the rest
  // in creation order: EMA averages, gradient accumulators, the subclass's slots).
  std::vector<Variable> variables() const;
  std::vector<Variable> own_variables() const override { return variables(); }
  // The trained variables build() was called with, in order.
  const std::vector<Variable>& trained_variables() const { return trained_; }

  // Config fields in Keras 3's names and order (subclasses append theirs). Reading accepts Keras
  // 1/2 spellings ("lr") and ignores keys Keras 3 dropped ("decay", "jit_compile"...).
  virtual void config(ConfigIO& io);
  json get_config();
  // Applies a config (fields absent keep their values) and validates the result (ValueError).
  void apply_config(const json& config);

 protected:
  Optimizer(std::string class_name, std::string default_name, LearningRate learning_rate,
            const BaseOptions& options);

  // Subclasses create their slots for the trained variables, in Keras's order.
  virtual void build_slots(const std::vector<Variable>& variables) = 0;
  // Called once per step (on update steps only with gradient accumulation) before the
  // update_step calls (Keras's _backend_update_step, where Nadam updates u_product).
  virtual void before_update_steps(const StepParams& params) { (void)params; }
  // Updates variable `index` (its position in build()'s list) with its raw gradient (already in
  // the variable's dtype and shape) and `params`, in one pass over the elements.
  virtual void update_step(const Tensor& gradient, const Variable& variable, size_t index,
                           const StepParams& params) = 0;
  // Checks the hyperparameters (ValueError naming the argument); called by the constructor of the
  // concrete class and after apply_config.
  virtual void validate() const;

  // A slot shaped like `reference`, filled with `initial_value`, named Keras's way
  // ("{path}_{slot}"), appended to variables().
  Variable add_slot(const Variable& reference, const std::string& slot_name,
                    double initial_value = 0.0);
  // An extra state variable (Nadam's u_product), appended to variables().
  Variable add_variable(const Shape& shape, DType dtype, const std::string& name,
                        double initial_value = 0.0);
  // The position of a variable in build()'s list, or -1.
  int index_of(const Variable& variable) const;
  // The step number of the update in progress (Keras's iterations + 1).
  double step() const;
  const BaseOptions& options() const { return options_; }

 private:
  void make_learning_rate_variable(double value);
  void read_learning_rate(const json& value);
  // Adds g (times `scale`) into the accumulators; on an update step replaces them by the mean.
  void accumulate(std::vector<Tensor>& grads, const std::vector<size_t>& indices, double scale,
                  bool update_step);
  void update_moving_averages();
  int64_t raw_iterations() const;

  std::string class_name_;
  std::string name_;
  LearningRate learning_rate_;
  BaseOptions options_;
  Variable iterations_;
  Variable learning_rate_var_;     // only for a constant learning rate
  std::vector<Variable> state_;    // everything after iteration/learning_rate, in creation order
  std::vector<Variable> trained_;  // build()'s list
  std::unordered_map<const void*, size_t> index_;
  std::vector<Variable> averages_;      // use_ema
  std::vector<Variable> accumulators_;  // gradient_accumulation_steps
  std::vector<char> use_weight_decay_;  // per trained variable
  std::vector<Variable> excluded_vars_;
  std::vector<std::string> excluded_names_;
  bool built_ = false;
};

// Resolves "adam", "Adam", "sgd", "rmsprop"... (any case) with Keras's defaults.
// UnknownObjectError otherwise.
std::shared_ptr<Optimizer> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (either flavour; Keras 1/2
// configs too) or a plain identifier string.
std::shared_ptr<Optimizer> deserialize(const json& config);
// {"class_name": ..., "config": {...}}.
json serialize(Optimizer& optimizer);

}  // namespace keras::optimizers

namespace keras {
using OptimizerArg = ObjectArg<optimizers::Optimizer, &optimizers::get, &optimizers::deserialize>;
}
