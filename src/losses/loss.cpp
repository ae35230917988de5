// Loss base: weighting and reduction (Keras 3's reduce_weighted_values / apply_mask), config,
// and the by-name registry (keras.losses.get / deserialize).
#include "keras/losses/loss.hpp"

#include <functional>
#include <map>

#include "keras/losses/losses.hpp"
#include "keras/ops.hpp"

namespace keras::losses {

namespace {

bool valid_reduction(const std::string& r) {
  return r == "sum_over_batch_size" || r == "sum" || r == "mean" ||
         r == "mean_with_sample_weight" || r == "none";
}

void check_reduction(const std::string& r) {
  if (!valid_reduction(r))
    throw ValueError(
        "Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', 'sum', "
        "'mean', 'mean_with_sample_weight', 'none'}. Received: reduction=" +
        r);
}

}  // namespace

std::pair<Tensor, Tensor> squeeze_or_expand_to_same_rank(const Tensor& x1, const Tensor& x2,
                                                         bool expand_rank_1) {
  Tensor a = x1, b = x2;
  const int r1 = a.ndim(), r2 = b.ndim();
  if (r1 == r2) return {a, b};
  auto drop_last = [](const Tensor& t) {
    Shape s = t.shape();
    s.pop_back();
    return t.reshape(s);
  };
  auto add_last = [](const Tensor& t) {
    Shape s = t.shape();
    s.push_back(1);
    return t.reshape(s);
  };
  if (r1 == r2 + 1 && a.shape().back() == 1) {
    if (r2 == 1 && expand_rank_1) {
      b = add_last(b);
    } else {
      a = drop_last(a);
    }
  }
  if (r2 == r1 + 1 && x2.shape().back() == 1) {
    if (r1 == 1 && expand_rank_1) {
      a = add_last(a);
    } else {
      b = drop_last(b);
    }
  }
  return {a, b};
}

Loss::Loss(std::string class_name, const LossOptions& options, const std::string& default_name)
    : class_name_(std::move(class_name)),
      name_(options.name.empty() ? default_name : options.name),
      reduction_(options.reduction) {
  check_reduction(reduction_);
}

Tensor Loss::operator()(const Tensor& y_true, const Tensor& y_pred_in,
                        const Tensor& sample_weight) const {
  if (!y_true.defined() || !y_pred_in.defined())
    throw ValueError("Loss '" + name_ + "': y_true and y_pred must be defined tensors.");
  // Keras casts to the loss dtype (floatx); float64 models keep float64.
  const DType dt = y_pred_in.dtype() == DType::float64 ? DType::float64 : DType::float32;
  const Tensor y_pred = y_pred_in.dtype() == dt ? y_pred_in : y_pred_in.astype(dt);

  if (reduction_ == "sum" || reduction_ == "sum_over_batch_size" || reduction_ == "mean") {
    Tensor fused = fused_reduce(y_true, y_pred, sample_weight);
    if (fused.defined()) return fused;
  }

  Tensor mask;
  Tensor values = call_with_mask(y_true, y_pred, &mask);
  if (values.dtype() != dt) values = values.astype(dt);
  Tensor w = sample_weight.defined() ? sample_weight.astype(dt) : Tensor();
  try {
    if (mask.defined()) {  // Keras's apply_mask
      Tensor m = mask.astype(dt);
      if (reduction_ == "mean" || reduction_ == "sum_over_batch_size") {
        const double total = static_cast<double>(m.size());
        const double valid = ops::sum(m).item<double>();
        m = m * (valid != 0.0 ? total / valid : 0.0);
      }
      if (w.defined()) {
        auto [m2, w2] = squeeze_or_expand_to_same_rank(m, w);
        w = w2 * m2;
      } else {
        w = m;
      }
    }
    if (w.defined()) {
      auto [v2, w2] = squeeze_or_expand_to_same_rank(values, w);
      values = v2 * w2;
    }
  } catch (const ValueError& e) {
    throw ValueError("Loss '" + name_ + "': sample_weight of shape " +
                     shape_str(sample_weight.shape()) +
                     " cannot be applied to per-sample losses of shape " +
                     shape_str(values.shape()) + " (" + e.what() + ")");
  }
  // Keras's reduce_values.
  if (reduction_ == "none" || values.ndim() == 0 || (values.ndim() == 1 && values.dim(0) == 0))
    return values;
  Tensor loss = ops::sum(values);
  if (reduction_ == "sum") return loss;
  double divisor = static_cast<double>(values.size());
  if (reduction_ == "mean_with_sample_weight" && w.defined()) divisor = ops::sum(w).item<double>();
  return divisor != 0.0 ? loss / divisor : loss * 0.0;  // divide_no_nan
}

void Loss::config(ConfigIO& io) {
  io("name", name_);
  if (io.reading()) {
    // Keras writes reduction=None as null.
    auto it = io.input()->find("reduction");
    if (it != io.input()->end() && it->is_null()) {
      io.consume("reduction");
      reduction_ = "none";
    } else {
      io("reduction", reduction_);
    }
    check_reduction(reduction_);
  } else {
    io("reduction", reduction_);
  }
}

json Loss::get_config() {
  json out = json::object();
  ConfigIO io = ConfigIO::writer(out);
  config(io);
  return out;
}

// ---- registry ----

namespace {

using Factory = std::function<std::shared_ptr<Loss>()>;

template <typename T>
Factory make() {
  return [] { return std::make_shared<T>(); };
}

// Class names: instances with their default names.
const std::map<std::string, Factory>& classes() {
  static const std::map<std::string, Factory> m = {
      {"MeanSquaredError", make<MeanSquaredError>()},
      {"MeanAbsoluteError", make<MeanAbsoluteError>()},
      {"MeanAbsolutePercentageError", make<MeanAbsolutePercentageError>()},
      {"MeanSquaredLogarithmicError", make<MeanSquaredLogarithmicError>()},
      {"Huber", make<Huber>()},
      {"LogCosh", make<LogCosh>()},
      {"KLDivergence", make<KLDivergence>()},
      {"Poisson", make<Poisson>()},
      {"Hinge", make<Hinge>()},
      {"SquaredHinge", make<SquaredHinge>()},
      {"CategoricalHinge", make<CategoricalHinge>()},
      {"CosineSimilarity", make<CosineSimilarity>()},
      {"BinaryCrossentropy", make<BinaryCrossentropy>()},
      {"CategoricalCrossentropy", make<CategoricalCrossentropy>()},
      {"SparseCategoricalCrossentropy", make<SparseCategoricalCrossentropy>()},
  };
  return m;
}

// Function names and Keras's aliases (ALL_OBJECTS_DICT plus the keras._legacy spellings that
// Keras 2 files contain), mapped to the class computing the same function.
const std::map<std::string, std::string>& functions() {
  static const std::map<std::string, std::string> m = {
      {"mean_squared_error", "MeanSquaredError"},
      {"mse", "MeanSquaredError"},
      {"MSE", "MeanSquaredError"},
      {"mean_absolute_error", "MeanAbsoluteError"},
      {"mae", "MeanAbsoluteError"},
      {"MAE", "MeanAbsoluteError"},
      {"mean_absolute_percentage_error", "MeanAbsolutePercentageError"},
      {"mape", "MeanAbsolutePercentageError"},
      {"MAPE", "MeanAbsolutePercentageError"},
      {"mean_squared_logarithmic_error", "MeanSquaredLogarithmicError"},
      {"msle", "MeanSquaredLogarithmicError"},
      {"MSLE", "MeanSquaredLogarithmicError"},
      {"huber", "Huber"},
      {"log_cosh", "LogCosh"},
      {"logcosh", "LogCosh"},
      {"kl_divergence", "KLDivergence"},
      {"kld", "KLDivergence"},
      {"KLD", "KLDivergence"},
      {"kullback_leibler_divergence", "KLDivergence"},
      {"poisson", "Poisson"},
      {"hinge", "Hinge"},
      {"squared_hinge", "SquaredHinge"},
      {"categorical_hinge", "CategoricalHinge"},
      {"cosine_similarity", "CosineSimilarity"},
      {"binary_crossentropy", "BinaryCrossentropy"},
      {"bce", "BinaryCrossentropy"},
      {"BCE", "BinaryCrossentropy"},
      {"categorical_crossentropy", "CategoricalCrossentropy"},
      {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
  };
  return m;
}

[[noreturn]] void unknown(const std::string& identifier) {
  throw UnknownObjectError("Could not interpret loss identifier: '" + identifier +
                           "'. Expected a Keras loss class or function name such as "
                           "'mean_squared_error', 'mse' or 'SparseCategoricalCrossentropy'.");
}

}  // namespace

std::shared_ptr<Loss> get(const std::string& identifier) {
  if (auto it = classes().find(identifier); it != classes().end()) return it->second();
  if (auto it = functions().find(identifier); it != functions().end()) {
    auto loss = classes().at(it->second)();
    loss->set_name(identifier);  // Keras's get_loss: LossFunctionWrapper(fn, name=identifier)
    return loss;
  }
  unknown(identifier);
}

std::shared_ptr<Loss> deserialize(const json& config) {
  if (config.is_string()) return get(config.get<std::string>());
  if (!config.is_object() || !config.contains("class_name") || !config["class_name"].is_string())
    throw ValueError(
        "losses::deserialize: expected a string or {\"class_name\": ..., "
        "\"config\": {...}}, received " +
        config.dump());
  const std::string class_name = config["class_name"].get<std::string>();
  const json inner = config.contains("config") ? config["config"] : json::object();
  // Keras 3 serializes a plain loss function as {"class_name": "function", "config": name}.
  if (class_name == "function" && inner.is_string()) return get(inner.get<std::string>());
  auto it = classes().find(class_name);
  if (it == classes().end()) unknown(class_name);
  auto loss = it->second();
  if (!inner.is_object())
    throw ValueError("losses::deserialize: the config of '" + class_name +
                     "' must be an object, received " + inner.dump());
  ConfigIO io = ConfigIO::reader(inner);
  loss->config(io);
  return loss;
}

}  // namespace keras::losses
