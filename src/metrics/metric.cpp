// Metric base (state variables, config), the by-name registry (keras.metrics.get /
// deserialize) and compile()'s contextual resolution of "accuracy" (compile_utils.get_metric).
#include "keras/metrics/metric.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "keras/losses/losses.hpp"
#include "keras/metrics/metrics.hpp"

namespace keras::metrics {

Metric::Metric(std::string class_name, std::string name, DType dtype)
    : class_name_(std::move(class_name)), name_(std::move(name)), dtype_(dtype) {
  if (dtype_ != DType::float32 && dtype_ != DType::float64)
    throw ValueError("Metric '" + name_ + "': dtype must be float32 or float64, received " +
                     std::string(dtype_name(dtype_)) + ".");
}

void Metric::set_name(const std::string& name) {
  name_ = name;
  for (auto& v : variables_) v.set_path(name_ + "/" + v.name());
}

void Metric::reset_state() {
  for (auto& v : variables_) v.assign(Tensor::zeros(v.shape(), v.dtype()));
}

Variable Metric::add_variable(const std::string& name, const Shape& shape,
                              std::optional<DType> dtype) {
  Variable v(Tensor::zeros(shape, dtype.value_or(dtype_)), name, /*trainable=*/false);
  v.set_path(name_ + "/" + name);
  track_child(name, v);
  variables_.push_back(v);
  return v;
}

void Metric::config(ConfigIO& io) {
  io("name", name_);
  if (io.writing()) {
    std::string d(dtype_name(dtype_));
    io("dtype", d);
    return;
  }
  auto it = io.input()->find("dtype");
  if (it == io.input()->end()) return;
  io.consume("dtype");
  std::string d = "float32";
  if (it->is_string()) {
    d = it->get<std::string>();
  } else if (it->is_object() && it->contains("config") && (*it)["config"].contains("name")) {
    d = (*it)["config"]["name"].get<std::string>();  // Keras 3's DTypePolicy dict
  } else if (!it->is_null()) {
    throw ValueError("Metric '" + name_ + "': invalid dtype in config: " + it->dump());
  }
  dtype_ = dtype_from_name(d);
  if (dtype_ != DType::float32 && dtype_ != DType::float64)
    throw ValueError("Metric '" + name_ + "': dtype must be float32 or float64, received " + d +
                     ".");
}

json Metric::get_config() {
  json out = json::object();
  ConfigIO io = ConfigIO::writer(out);
  config(io);
  return out;
}

// ---- registry ----

namespace {

using Factory = std::function<std::shared_ptr<Metric>()>;

template <typename T>
Factory make() {
  return [] { return std::make_shared<T>(); };
}

template <typename L>
Factory loss_metric(const char* class_name, const char* default_name) {
  return [=] {
    return std::make_shared<LossMetric>(class_name, MetricOptions{}, default_name,
                                        std::make_shared<L>());
  };
}

const std::map<std::string, Factory>& classes() {
  static const std::map<std::string, Factory> m = {
      {"Mean", make<Mean>()},
      {"Sum", make<Sum>()},
      {"Accuracy", make<Accuracy>()},
      {"BinaryAccuracy", make<BinaryAccuracy>()},
      {"CategoricalAccuracy", make<CategoricalAccuracy>()},
      {"SparseCategoricalAccuracy", make<SparseCategoricalAccuracy>()},
      {"TopKCategoricalAccuracy", make<TopKCategoricalAccuracy>()},
      {"SparseTopKCategoricalAccuracy", make<SparseTopKCategoricalAccuracy>()},
      {"Precision", make<Precision>()},
      {"Recall", make<Recall>()},
      {"AUC", make<AUC>()},
      {"MeanSquaredError", make<MeanSquaredError>()},
      {"RootMeanSquaredError", make<RootMeanSquaredError>()},
      {"MeanAbsoluteError", make<MeanAbsoluteError>()},
      {"BinaryCrossentropy", [] { return BinaryCrossentropy(); }},
      {"CategoricalCrossentropy", [] { return CategoricalCrossentropy(); }},
      {"SparseCategoricalCrossentropy", [] { return SparseCategoricalCrossentropy(); }},
      {"KLDivergence", loss_metric<losses::KLDivergence>("KLDivergence", "kl_divergence")},
      {"Poisson", loss_metric<losses::Poisson>("Poisson", "poisson")},
      {"Hinge", loss_metric<losses::Hinge>("Hinge", "hinge")},
      {"SquaredHinge", loss_metric<losses::SquaredHinge>("SquaredHinge", "squared_hinge")},
      {"CategoricalHinge",
       loss_metric<losses::CategoricalHinge>("CategoricalHinge", "categorical_hinge")},
      {"MeanAbsolutePercentageError",
       loss_metric<losses::MeanAbsolutePercentageError>("MeanAbsolutePercentageError",
                                                        "mean_absolute_percentage_error")},
      {"MeanSquaredLogarithmicError",
       loss_metric<losses::MeanSquaredLogarithmicError>("MeanSquaredLogarithmicError",
                                                        "mean_squared_logarithmic_error")},
      {"LogCoshError", loss_metric<losses::LogCosh>("LogCoshError", "logcosh")},
  };
  return m;
}

// snake_case class names, metric functions and Keras's aliases.
const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> m = {
      {"mean", "Mean"},
      {"sum", "Sum"},
      {"accuracy", "Accuracy"},
      {"binary_accuracy", "BinaryAccuracy"},
      {"categorical_accuracy", "CategoricalAccuracy"},
      {"sparse_categorical_accuracy", "SparseCategoricalAccuracy"},
      {"top_k_categorical_accuracy", "TopKCategoricalAccuracy"},
      {"sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy"},
      {"precision", "Precision"},
      {"recall", "Recall"},
      {"auc", "AUC"},
      {"mean_squared_error", "MeanSquaredError"},
      {"mse", "MeanSquaredError"},
      {"MSE", "MeanSquaredError"},
      {"root_mean_squared_error", "RootMeanSquaredError"},
      {"mean_absolute_error", "MeanAbsoluteError"},
      {"mae", "MeanAbsoluteError"},
      {"MAE", "MeanAbsoluteError"},
      {"binary_crossentropy", "BinaryCrossentropy"},
      {"bce", "BinaryCrossentropy"},
      {"BCE", "BinaryCrossentropy"},
      {"categorical_crossentropy", "CategoricalCrossentropy"},
      {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
      {"kl_divergence", "KLDivergence"},
      {"kld", "KLDivergence"},
      {"KLD", "KLDivergence"},
      {"poisson", "Poisson"},
      {"hinge", "Hinge"},
      {"squared_hinge", "SquaredHinge"},
      {"categorical_hinge", "CategoricalHinge"},
      {"mean_absolute_percentage_error", "MeanAbsolutePercentageError"},
      {"mape", "MeanAbsolutePercentageError"},
      {"MAPE", "MeanAbsolutePercentageError"},
      {"mean_squared_logarithmic_error", "MeanSquaredLogarithmicError"},
      {"msle", "MeanSquaredLogarithmicError"},
      {"MSLE", "MeanSquaredLogarithmicError"},
      {"log_cosh_error", "LogCoshError"},
      {"log_cosh", "LogCoshError"},
      {"logcosh", "LogCoshError"},
  };
  return m;
}

[[noreturn]] void unknown(const std::string& identifier) {
  throw UnknownObjectError("Could not interpret metric identifier: '" + identifier +
                           "'. Expected a Keras metric class or function name such as "
                           "'sparse_categorical_accuracy', 'mae' or 'AUC'.");
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::shared_ptr<Metric> get(const std::string& identifier) {
  std::shared_ptr<Metric> m;
  if (auto it = classes().find(identifier); it != classes().end()) {
    m = it->second();
  } else if (auto a = aliases().find(identifier); a != aliases().end()) {
    m = classes().at(a->second)();
  } else {
    unknown(identifier);
  }
  m->set_name(identifier);  // compile_utils.get_metric: metric_obj.name = identifier
  return m;
}

std::shared_ptr<Metric> deserialize(const json& config) {
  if (config.is_string()) return get(config.get<std::string>());
  if (!config.is_object() || !config.contains("class_name") || !config["class_name"].is_string())
    throw ValueError(
        "metrics::deserialize: expected a string or {\"class_name\": ..., "
        "\"config\": {...}}, received " +
        config.dump());
  const std::string class_name = config["class_name"].get<std::string>();
  const json inner = config.contains("config") ? config["config"] : json::object();
  if (class_name == "function" && inner.is_string()) return get(inner.get<std::string>());
  auto it = classes().find(class_name);
  if (it == classes().end()) unknown(class_name);
  if (!inner.is_object())
    throw ValueError("metrics::deserialize: the config of '" + class_name +
                     "' must be an object, received " + inner.dump());
  auto m = it->second();
  ConfigIO io = ConfigIO::reader(inner);
  m->config(io);
  m->set_name(m->name());  // variable paths follow a name read from the config
  return m;
}

std::shared_ptr<Metric> make_mean(const std::string& name) {
  return std::make_shared<Mean>(MetricOptions{name, DType::float32});
}

std::shared_ptr<Metric> resolve_contextual(const std::string& identifier, const Tensor& y_true,
                                           const Tensor& y_pred, const losses::Loss* loss) {
  const std::string id = lower(identifier);
  const bool accuracy = id == "accuracy" || id == "acc";
  const bool crossentropy = id == "crossentropy" || id == "ce";
  if (!accuracy && !crossentropy) return get(identifier);
  if (!y_true.defined() || !y_pred.defined())
    throw ValueError("Metric '" + identifier +
                     "' is resolved from y_true and y_pred; received "
                     "an undefined tensor.");
  // compile_utils.is_binary_or_sparse_categorical.
  const int64_t t_rank = y_true.ndim(), p_rank = y_pred.ndim();
  const int64_t t_last = t_rank ? y_true.shape().back() : 1;
  const int64_t p_last = p_rank ? y_pred.shape().back() : 1;
  const bool is_binary = p_last == 1;
  const bool is_sparse = t_rank < p_rank || (t_last == 1 && p_last > 1);
  std::shared_ptr<Metric> m;
  if (accuracy) {
    if (is_binary) {
      m = std::make_shared<BinaryAccuracy>();
    } else if (is_sparse) {
      m = std::make_shared<SparseCategoricalAccuracy>();
    } else {
      m = std::make_shared<CategoricalAccuracy>();
    }
  } else {
    // The metric reads y_pred the way the loss does (logits or probabilities).
    bool from_logits = false;
    if (auto* b = dynamic_cast<const losses::BinaryCrossentropy*>(loss))
      from_logits = b->from_logits();
    if (auto* c = dynamic_cast<const losses::CategoricalCrossentropy*>(loss))
      from_logits = c->from_logits();
    if (auto* s = dynamic_cast<const losses::SparseCategoricalCrossentropy*>(loss))
      from_logits = s->from_logits();
    CrossentropyOptions o;
    o.from_logits = from_logits;
    if (is_binary) {
      m = BinaryCrossentropy(o);
    } else if (is_sparse) {
      m = SparseCategoricalCrossentropy(o);
    } else {
      m = CategoricalCrossentropy(o);
    }
  }
  m->set_name(identifier);
  return m;
}

}  // namespace keras::metrics
