// keras.optimizers.Optimizer (Keras 3's BaseOptimizer): state variables, build, apply, config.
#include "keras/optimizers/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <regex>

#include "core/dispatch.hpp"
#include "optimizers/kernels.hpp"

namespace keras::optimizers {

namespace {

// ConfigIO for an optional field: null when unset (nlohmann 3.11 has no std::optional support).
template <typename T>
void io_optional(ConfigIO& io, const char* key, std::optional<T>& value) {
  if (io.writing()) {
    (*io.output())[key] = value ? json(*value) : json(nullptr);
    return;
  }
  // ConfigIO::operator() cannot take std::optional (its writing branch would not compile).
  const json& in = *io.input();
  auto it = in.find(key);
  if (it == in.end()) return;
  io.consume(key);
  try {
    value = it->is_null() ? std::optional<T>() : std::optional<T>(it->template get<T>());
  } catch (const nlohmann::json::exception& e) {
    throw ValueError(std::string("Invalid value for config field '") + key + "': " + it->dump() +
                     " (" + e.what() + ").");
  }
}

std::string fmt(double v) {
  json j = v;
  return j.dump();
}

std::string fmt(const std::optional<double>& v) { return v ? fmt(*v) : "None"; }

// Keys that Keras 1/2 and tf.keras optimizer configs carry and Keras 3 no longer takes: Keras 3
// drops `decay` with a warning; the others are tf.keras bookkeeping.
bool is_legacy_key(const std::string& key) {
  return key == "decay" || key == "jit_compile" || key == "is_legacy_optimizer" ||
         key == "schedule_decay" || key == "lr";
}

// Sum of squares of a gradient's elements.
double sum_of_squares(const Tensor& g) {
  return keras::detail::dispatch_float(g.dtype(), "clipnorm", [&]<typename T>() {
    return detail::sum_of_squares(g.data<T>(), g.size());
  });
}

}  // namespace

Optimizer::Optimizer(std::string class_name, std::string default_name, LearningRate learning_rate,
                     const BaseOptions& options)
    : class_name_(std::move(class_name)),
      name_(options.name.empty() ? std::move(default_name) : options.name),
      learning_rate_(std::move(learning_rate)),
      options_(options) {
  options_.name = name_;
  iterations_ = Variable(Tensor::zeros({}, DType::int64), "iteration", /*trainable=*/false);
  iterations_.set_path(name_ + "/iteration");
  if (!learning_rate_.is_schedule()) make_learning_rate_variable(learning_rate_.value());
}

void Optimizer::make_learning_rate_variable(double value) {
  // Keras stores a constant learning rate in a floatx (float32) variable.
  learning_rate_var_ = Variable(Tensor::scalar(value, DType::float32), "learning_rate", false);
  learning_rate_var_.set_path(name_ + "/learning_rate");
}

void Optimizer::validate() const {
  const auto& o = options_;
  const int clip_args =
      o.clipnorm.has_value() + o.clipvalue.has_value() + o.global_clipnorm.has_value();
  if (clip_args > 1)
    throw ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. " +
                     std::string("Received: clipnorm=") + fmt(o.clipnorm) + ", clipvalue=" +
                     fmt(o.clipvalue) + ", global_clipnorm=" + fmt(o.global_clipnorm));
  if (o.gradient_accumulation_steps && *o.gradient_accumulation_steps < 2)
    throw ValueError(
        "`gradient_accumulation_steps` must be an integer >= 2. Received: "
        "gradient_accumulation_steps=" +
        std::to_string(*o.gradient_accumulation_steps));
  if (o.use_ema) {
    if (o.ema_momentum > 1 || o.ema_momentum < 0)
      throw ValueError("`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=" +
                       fmt(o.ema_momentum));
    if (o.ema_overwrite_frequency && *o.ema_overwrite_frequency < 1)
      throw ValueError(
          "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
          "ema_overwrite_frequency=" +
          std::to_string(*o.ema_overwrite_frequency));
  }
  if (o.loss_scale_factor && *o.loss_scale_factor == 0.0)
    throw ValueError("`loss_scale_factor` must be nonzero. Received: loss_scale_factor=0");
  if (!learning_rate_.is_schedule() && !std::isfinite(learning_rate_.value()))
    throw ValueError("Argument `learning_rate` should be a finite float. Received: learning_rate=" +
                     fmt(learning_rate_.value()));
}

// ---------------------------------------------------------------- learning rate

int64_t Optimizer::raw_iterations() const { return iterations_.value().data<int64_t>()[0]; }

double Optimizer::learning_rate() const {
  if (learning_rate_.is_schedule()) return (*learning_rate_.schedule())(raw_iterations());
  return learning_rate_var_.value().data<float>()[0];
}

void Optimizer::set_learning_rate(double value) {
  if (learning_rate_.is_schedule())
    throw ValueError(
        "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
        "constructor argument, hence its learning rate is not settable. If you need the learning "
        "rate to be settable, you should instantiate the optimizer with a float `learning_rate` "
        "argument.");
  detail::mutable_data<float>(learning_rate_var_)[0] = static_cast<float>(value);
  learning_rate_ = LearningRate(value);
}

double Optimizer::step() const {
  int64_t it = raw_iterations();
  if (options_.gradient_accumulation_steps) it /= *options_.gradient_accumulation_steps;
  return static_cast<double>(it) + 1.0;
}

// ---------------------------------------------------------------- variables

Variable Optimizer::add_variable(const Shape& shape, DType dtype, const std::string& name,
                                 double initial_value) {
  Variable v(initial_value == 0.0 ? Tensor::zeros(shape, dtype)
                                  : Tensor::full(shape, initial_value, dtype),
             name, /*trainable=*/false);
  v.set_path(name_ + "/" + name);
  state_.push_back(v);
  return v;
}

Variable Optimizer::add_slot(const Variable& reference, const std::string& slot_name,
                             double initial_value) {
  std::string prefix = reference.path();
  std::replace(prefix.begin(), prefix.end(), '/', '_');
  return add_variable(reference.shape(), reference.dtype(), prefix + "_" + slot_name,
                      initial_value);
}

std::vector<Variable> Optimizer::variables() const {
  std::vector<Variable> out;
  out.reserve(state_.size() + 2);
  out.push_back(iterations_);
  if (learning_rate_var_.defined()) out.push_back(learning_rate_var_);
  out.insert(out.end(), state_.begin(), state_.end());
  return out;
}

int Optimizer::index_of(const Variable& variable) const {
  auto it = index_.find(variable.id());
  return it == index_.end() ? -1 : static_cast<int>(it->second);
}

void Optimizer::exclude_from_weight_decay(const std::vector<Variable>& var_list,
                                          const std::vector<std::string>& var_names) {
  if (built_)
    throw ValueError(
        "`exclude_from_weight_decay()` can only be configured before the optimizer "
        "is built.");
  excluded_vars_ = var_list;
  excluded_names_ = var_names;
}

void Optimizer::build(const std::vector<Variable>& variables) {
  if (built_) return;
  for (const auto& v : variables)
    if (!v.defined())
      throw ValueError("Optimizer '" + name_ +
                       "': build() got an undefined "
                       "variable.");
  trained_ = variables;
  index_.clear();
  for (size_t i = 0; i < variables.size(); ++i) index_[variables[i].id()] = i;
  // Keras 3 creates the EMA averages as one block, then the gradient accumulators.
  if (options_.use_ema)
    for (const auto& v : variables) averages_.push_back(add_slot(v, "average"));
  if (options_.gradient_accumulation_steps)
    for (const auto& v : variables) accumulators_.push_back(add_slot(v, "gradient_accumulator"));
  // Keras matches `var_names` with re.search on the variable's name.
  std::vector<std::regex> patterns;
  for (const auto& n : excluded_names_) patterns.emplace_back(n);
  use_weight_decay_.assign(variables.size(), 1);
  for (size_t i = 0; i < variables.size(); ++i) {
    for (const auto& e : excluded_vars_)
      if (e == variables[i]) use_weight_decay_[i] = 0;
    for (const auto& p : patterns)
      if (std::regex_search(variables[i].name(), p)) use_weight_decay_[i] = 0;
  }
  build_slots(variables);
  built_ = true;
}

// ---------------------------------------------------------------- apply

void Optimizer::apply_gradients(const std::vector<std::pair<Tensor, Variable>>& grads_and_vars) {
  std::vector<Tensor> grads;
  std::vector<Variable> vars;
  for (const auto& [g, v] : grads_and_vars) {
    grads.push_back(g);
    vars.push_back(v);
  }
  apply(grads, vars);
}

void Optimizer::accumulate(std::vector<Tensor>& grads, const std::vector<size_t>& indices,
                           double scale, bool update_step) {
  const double steps = static_cast<double>(*options_.gradient_accumulation_steps);
  for (size_t k = 0; k < grads.size(); ++k) {
    const Variable& acc = accumulators_[indices[k]];
    keras::detail::dispatch_float(acc.dtype(), "gradient accumulation", [&]<typename T>() {
      T* a = detail::mutable_data<T>(acc);
      const T* g = grads[k].data<T>();
      const T s = static_cast<T>(scale);
      const int64_t n = acc.value().size();
      if (update_step) {
        const T inv = static_cast<T>(1.0 / steps);
        for (int64_t i = 0; i < n; ++i) a[i] = (g[i] * s + a[i]) * inv;
      } else {
        for (int64_t i = 0; i < n; ++i) a[i] += g[i] * s;
      }
    });
    // On an update step the mean lives in the accumulator; it is zeroed after the updates.
    if (update_step) grads[k] = acc.value();
  }
}

void Optimizer::update_moving_averages() {
  int64_t it = raw_iterations();
  if (options_.gradient_accumulation_steps) it /= *options_.gradient_accumulation_steps;
  // Keras: momentum = ema_momentum except on the very first step, where the average is the value.
  const double momentum = it != 0 ? options_.ema_momentum : 0.0;
  for (size_t i = 0; i < trained_.size(); ++i) {
    keras::detail::dispatch_float(trained_[i].dtype(), "EMA", [&]<typename T>() {
      T* avg = detail::mutable_data<T>(averages_[i]);
      const T* w = trained_[i].value().data<T>();
      const T m = static_cast<T>(momentum), one_minus = static_cast<T>(1.0 - momentum);
      for (int64_t j = 0; j < trained_[i].value().size(); ++j)
        avg[j] = m * avg[j] + one_minus * w[j];
    });
  }
  if (options_.ema_overwrite_frequency && (it + 1) % *options_.ema_overwrite_frequency == 0)
    finalize_variable_values(trained_);
}

void Optimizer::finalize_variable_values(const std::vector<Variable>& var_list) {
  if (!options_.use_ema || !built_) return;
  if (var_list.size() != averages_.size())
    throw ValueError("The length of model variables (" + std::to_string(var_list.size()) +
                     ") to override does not match the length of model variables stored in the "
                     "optimizer (" +
                     std::to_string(averages_.size()) + ").");
  autograd::NoGradGuard guard;
  for (size_t i = 0; i < var_list.size(); ++i)
    const_cast<Variable&>(var_list[i]).assign(averages_[i]);
}

void Optimizer::apply(const std::vector<Tensor>& grads, const std::vector<Variable>& variables) {
  if (grads.empty()) return;
  if (grads.size() != variables.size())
    throw ValueError("Optimizer '" + name_ + "': expected one gradient per variable, received " +
                     std::to_string(grads.size()) + " gradients for " +
                     std::to_string(variables.size()) + " variables.");
  autograd::NoGradGuard no_grad;
  if (!built_) build(variables);

  // Known variables with a gradient, each gradient in its variable's dtype.
  std::vector<Tensor> g;
  std::vector<size_t> idx;
  g.reserve(grads.size());
  idx.reserve(grads.size());
  for (size_t k = 0; k < variables.size(); ++k) {
    const int i = index_of(variables[k]);
    if (i < 0)
      throw ValueError("Unknown variable: '" + variables[k].path() +
                       "'. This optimizer can only be called for the variables it was originally "
                       "built with. When working with a new set of variables, you should "
                       "recreate a new optimizer instance.");
    if (!grads[k].defined()) continue;
    if (grads[k].shape() != variables[k].shape())
      throw ValueError("Optimizer '" + name_ + "': the gradient of variable '" +
                       variables[k].path() + "' has shape " + shape_str(grads[k].shape()) +
                       ", expected the variable's shape " + shape_str(variables[k].shape()) + ".");
    g.push_back(grads[k].dtype() == variables[k].dtype() ? grads[k]
                                                         : grads[k].astype(variables[k].dtype()));
    idx.push_back(static_cast<size_t>(i));
  }
  if (g.empty()) throw ValueError("No gradients provided for any variable.");

  const auto& o = options_;
  double unscale = o.loss_scale_factor ? 1.0 / *o.loss_scale_factor : 1.0;
  bool update = true;
  if (o.gradient_accumulation_steps) {
    update = (raw_iterations() + 1) % *o.gradient_accumulation_steps == 0;
    accumulate(g, idx, unscale, update);
    unscale = 1.0;
  }

  if (update) {
    StepParams base;
    base.learning_rate = learning_rate();
    base.step = step();
    base.grad_scale = unscale;
    // Keras's _clip_gradients: the first of clipnorm, global_clipnorm, clipvalue that is set and
    // positive; the norms are of the unscaled gradients.
    std::vector<double> scales(g.size(), unscale);
    if (o.clipnorm && *o.clipnorm > 0) {
      for (size_t k = 0; k < g.size(); ++k) {
        const double norm = std::sqrt(sum_of_squares(g[k])) * std::fabs(unscale);
        scales[k] = unscale * *o.clipnorm / std::max(norm, *o.clipnorm);
      }
    } else if (o.global_clipnorm && *o.global_clipnorm > 0) {
      double sq = 0.0;
      for (const auto& t : g) sq += sum_of_squares(t);
      const double norm = std::sqrt(sq) * std::fabs(unscale), c = *o.global_clipnorm;
      // Keras: clip_norm * min(1 / norm, 1 / clip_norm), NaN when the norm is not finite.
      const double s = c * std::min(1.0 / norm, 1.0 / c) + (norm - norm);
      for (auto& sc : scales) sc = unscale * s;
    } else if (o.clipvalue && *o.clipvalue > 0) {
      base.clipvalue = *o.clipvalue;
    }
    before_update_steps(base);
    for (size_t k = 0; k < g.size(); ++k) {
      StepParams p = base;
      p.grad_scale = scales[k];
      if (o.weight_decay && use_weight_decay_[idx[k]]) p.decay = *o.weight_decay * p.learning_rate;
      update_step(g[k], trained_[idx[k]], idx[k], p);
    }
    if (o.gradient_accumulation_steps)
      for (const auto& acc : accumulators_)
        std::memset(const_cast<Tensor&>(acc.value()).raw_data(), 0, acc.value().nbytes());
  }
  if (o.use_ema) update_moving_averages();
  detail::mutable_data<int64_t>(iterations_)[0] += 1;
}

// ---------------------------------------------------------------- config

void Optimizer::read_learning_rate(const json& value) {
  if (value.is_number()) {
    const double lr = value.get<double>();
    learning_rate_ = LearningRate(lr);
    if (learning_rate_var_.defined()) {
      detail::mutable_data<float>(learning_rate_var_)[0] = static_cast<float>(lr);
    } else {
      make_learning_rate_variable(lr);
    }
  } else if (value.is_object()) {
    learning_rate_ = LearningRate(schedules::deserialize(value));
    learning_rate_var_ = Variable();
  } else {
    throw ValueError("Optimizer '" + name_ +
                     "': `learning_rate` should be a float or a serialized LearningRateSchedule. "
                     "Received: learning_rate=" +
                     value.dump());
  }
}

void Optimizer::config(ConfigIO& io) {
  BaseOptions& o = options_;
  io("name", name_);
  if (io.writing()) {
    json& out = *io.output();
    if (learning_rate_.is_schedule()) {
      out["learning_rate"] = schedules::serialize(*learning_rate_.schedule());
    } else {
      out["learning_rate"] = learning_rate();
    }
  } else {
    const json& in = *io.input();
    // Keras 1/2 (before 2.3) spell it `lr`.
    auto it = in.find("learning_rate");
    if (it == in.end()) it = in.find("lr");
    if (it != in.end()) read_learning_rate(*it);
    io.consume("learning_rate");
    for (auto k = in.begin(); k != in.end(); ++k)
      if (is_legacy_key(k.key())) io.consume(k.key());
  }
  io_optional(io, "weight_decay", o.weight_decay);
  io_optional(io, "clipnorm", o.clipnorm);
  io_optional(io, "global_clipnorm", o.global_clipnorm);
  io_optional(io, "clipvalue", o.clipvalue);
  io("use_ema", o.use_ema);
  io("ema_momentum", o.ema_momentum);
  io_optional(io, "ema_overwrite_frequency", o.ema_overwrite_frequency);
  io_optional(io, "loss_scale_factor", o.loss_scale_factor);
  io_optional(io, "gradient_accumulation_steps", o.gradient_accumulation_steps);
  o.name = name_;
}

json Optimizer::get_config() {
  json out = json::object();
  ConfigIO io = ConfigIO::writer(out);
  config(io);
  return out;
}

void Optimizer::apply_config(const json& config) {
  if (!config.is_object())
    throw ValueError("Optimizer '" + name_ + "': a config must be a JSON object, received " +
                     config.dump());
  ConfigIO io = ConfigIO::reader(config);
  this->config(io);
  // Variable paths live under the optimizer's name scope.
  iterations_.set_path(name_ + "/" + iterations_.name());
  if (learning_rate_var_.defined()) learning_rate_var_.set_path(name_ + "/learning_rate");
  for (auto& v : state_) v.set_path(name_ + "/" + v.name());
  validate();
}

}  // namespace keras::optimizers
