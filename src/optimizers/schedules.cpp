// keras.optimizers.schedules: ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
// InverseTimeDecay, CosineDecay, with serialize/deserialize.
#include "keras/optimizers/schedules.hpp"

#include <cmath>
#include <numbers>

namespace keras::optimizers::schedules {

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

void check_decay_steps(double decay_steps, const char* arg = "decay_steps") {
  if (!(decay_steps > 0))
    throw ValueError(std::string("Argument `") + arg + "` must be > 0. Received: " + arg + "=" +
                     json(decay_steps).dump());
}

// Steps and boundaries are integers in Keras configs; a C++ double would otherwise be written as
// 1000.0.
json step_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9.0e15) return static_cast<int64_t>(v);
  return v;
}

void io_step_number(ConfigIO& io, const char* key, double& value) {
  if (io.writing()) {
    (*io.output())[key] = step_number(value);
  } else {
    io(key, value);
  }
}

}  // namespace

// ---------------------------------------------------------------- ExponentialDecay

ExponentialDecay::ExponentialDecay(double initial_learning_rate, double decay_steps,
                                   double decay_rate, bool staircase, std::string name)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      decay_rate_(decay_rate),
      staircase_(staircase),
      name_(std::move(name)) {
  check_decay_steps(decay_steps_);
}

double ExponentialDecay::operator()(int64_t step) const {
  double p = static_cast<double>(step) / decay_steps_;
  if (staircase_) p = std::floor(p);
  return initial_learning_rate_ * std::pow(decay_rate_, p);
}

void ExponentialDecay::config(ConfigIO& io) {
  io("initial_learning_rate", initial_learning_rate_);
  io_step_number(io, "decay_steps", decay_steps_);
  io("decay_rate", decay_rate_);
  io("staircase", staircase_);
  io("name", name_);
  if (io.reading()) check_decay_steps(decay_steps_);
}

// ---------------------------------------------------------------- PiecewiseConstantDecay

PiecewiseConstantDecay::PiecewiseConstantDecay(std::vector<double> boundaries,
                                               std::vector<double> values, std::string name)
    : boundaries_(std::move(boundaries)), values_(std::move(values)), name_(std::move(name)) {
  check();
}

void PiecewiseConstantDecay::check() const {
  if (boundaries_.size() + 1 != values_.size())
    throw ValueError(
        "The length of boundaries should be 1 less than the length of values. Received: "
        "boundaries=" +
        json(boundaries_).dump() + " of length " + std::to_string(boundaries_.size()) +
        ", and values=" + json(values_).dump() + " of length " + std::to_string(values_.size()) +
        ".");
}

double PiecewiseConstantDecay::operator()(int64_t step) const {
  const double s = static_cast<double>(step);
  for (size_t i = 0; i < boundaries_.size(); ++i)
    if (s <= boundaries_[i]) return values_[i];
  return values_.back();
}

void PiecewiseConstantDecay::config(ConfigIO& io) {
  if (io.writing()) {
    json b = json::array();
    for (double x : boundaries_) b.push_back(step_number(x));
    (*io.output())["boundaries"] = b;
  } else {
    io("boundaries", boundaries_);
  }
  io("values", values_);
  io("name", name_);
  if (io.reading()) check();
}

// ---------------------------------------------------------------- PolynomialDecay

PolynomialDecay::PolynomialDecay(double initial_learning_rate, double decay_steps,
                                 double end_learning_rate, double power, bool cycle,
                                 std::string name)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      end_learning_rate_(end_learning_rate),
      power_(power),
      cycle_(cycle),
      name_(std::move(name)) {
  check_decay_steps(decay_steps_);
}

double PolynomialDecay::operator()(int64_t step) const {
  double s = static_cast<double>(step), steps = decay_steps_;
  if (cycle_) {
    // The first multiple of decay_steps that is >= step (1 at step 0).
    steps *= s == 0 ? 1.0 : std::ceil(s / decay_steps_);
  } else {
    s = std::min(s, steps);
  }
  const double p = s / steps;
  return (initial_learning_rate_ - end_learning_rate_) * std::pow(1.0 - p, power_) +
         end_learning_rate_;
}

void PolynomialDecay::config(ConfigIO& io) {
  io("initial_learning_rate", initial_learning_rate_);
  io_step_number(io, "decay_steps", decay_steps_);
  io("end_learning_rate", end_learning_rate_);
  io("power", power_);
  io("cycle", cycle_);
  io("name", name_);
  if (io.reading()) check_decay_steps(decay_steps_);
}

// ---------------------------------------------------------------- InverseTimeDecay

InverseTimeDecay::InverseTimeDecay(double initial_learning_rate, double decay_steps,
                                   double decay_rate, bool staircase, std::string name)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      decay_rate_(decay_rate),
      staircase_(staircase),
      name_(std::move(name)) {
  check_decay_steps(decay_steps_);
}

double InverseTimeDecay::operator()(int64_t step) const {
  double p = static_cast<double>(step) / decay_steps_;
  if (staircase_) p = std::floor(p);
  return initial_learning_rate_ / (1.0 + decay_rate_ * p);
}

void InverseTimeDecay::config(ConfigIO& io) {
  io("initial_learning_rate", initial_learning_rate_);
  io_step_number(io, "decay_steps", decay_steps_);
  io("decay_rate", decay_rate_);
  io("staircase", staircase_);
  io("name", name_);
  if (io.reading()) check_decay_steps(decay_steps_);
}

// ---------------------------------------------------------------- CosineDecay

CosineDecay::CosineDecay(double initial_learning_rate, double decay_steps, double alpha,
                         std::string name, std::optional<double> warmup_target, double warmup_steps)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      alpha_(alpha),
      name_(std::move(name)),
      warmup_target_(warmup_target),
      warmup_steps_(warmup_steps) {
  check_decay_steps(decay_steps_);
}

double CosineDecay::operator()(int64_t step) const {
  double s = static_cast<double>(step);
  auto decay = [&](double t, double from) {
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * (t / decay_steps_)));
    return from * ((1.0 - alpha_) * cosine + alpha_);
  };
  if (!warmup_target_) return decay(std::min(s, decay_steps_), initial_learning_rate_);
  s = std::min(s, decay_steps_ + warmup_steps_);
  if (s < warmup_steps_)
    return (*warmup_target_ - initial_learning_rate_) * (s / warmup_steps_) +
           initial_learning_rate_;
  return decay(s - warmup_steps_, *warmup_target_);
}

void CosineDecay::config(ConfigIO& io) {
  io("initial_learning_rate", initial_learning_rate_);
  io_step_number(io, "decay_steps", decay_steps_);
  io("alpha", alpha_);
  io("name", name_);
  io_optional(io, "warmup_target", warmup_target_);
  io_step_number(io, "warmup_steps", warmup_steps_);
  if (io.reading()) check_decay_steps(decay_steps_);
}

// ---------------------------------------------------------------- serialization

json serialize(LearningRateSchedule& schedule) {
  json config = json::object();
  ConfigIO io = ConfigIO::writer(config);
  schedule.config(io);
  return json{{"class_name", schedule.class_name()}, {"config", config}};
}

std::shared_ptr<LearningRateSchedule> deserialize(const json& j) {
  if (!j.is_object() || !j.contains("class_name") || !j["class_name"].is_string())
    throw ValueError(
        "Could not deserialize a learning rate schedule: expected an object with a "
        "string `class_name`, received " +
        j.dump());
  const std::string name = j["class_name"].get<std::string>();
  const json config = j.contains("config") ? j["config"] : json::object();
  if (!config.is_object())
    throw ValueError("Learning rate schedule '" + name +
                     "': `config` must be an object, received " + config.dump());
  // Each schedule is created with placeholder arguments that its config then overwrites; the
  // required arguments must be present.
  auto require = [&](std::initializer_list<const char*> keys) {
    for (const char* k : keys)
      if (!config.contains(k))
        throw ValueError("Learning rate schedule '" + name +
                         "': the config lacks the required "
                         "argument `" +
                         std::string(k) + "`. Received: " + config.dump());
  };
  std::shared_ptr<LearningRateSchedule> s;
  if (name == "ExponentialDecay") {
    require({"initial_learning_rate", "decay_steps", "decay_rate"});
    s = std::make_shared<ExponentialDecay>(0.0, 1.0, 1.0);
  } else if (name == "PiecewiseConstantDecay") {
    require({"boundaries", "values"});
    s = std::make_shared<PiecewiseConstantDecay>(std::vector<double>{}, std::vector<double>{0.0});
  } else if (name == "PolynomialDecay") {
    require({"initial_learning_rate", "decay_steps"});
    s = std::make_shared<PolynomialDecay>(0.0, 1.0);
  } else if (name == "InverseTimeDecay") {
    require({"initial_learning_rate", "decay_steps", "decay_rate"});
    s = std::make_shared<InverseTimeDecay>(0.0, 1.0, 0.0);
  } else if (name == "CosineDecay") {
    require({"initial_learning_rate", "decay_steps"});
    s = std::make_shared<CosineDecay>(0.0, 1.0);
  } else {
    throw UnknownObjectError("Could not locate class '" + name +
                             "'. Known learning rate schedules: ExponentialDecay, "
                             "PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, "
                             "CosineDecay.");
  }
  ConfigIO io = ConfigIO::reader(config);
  s->config(io);
  return s;
}

}  // namespace keras::optimizers::schedules
