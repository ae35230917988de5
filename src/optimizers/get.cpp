// keras.optimizers.get / deserialize / serialize: optimizers by Keras class name.
#include <algorithm>
#include <cctype>
#include <functional>

#include "keras/optimizers/optimizers.hpp"

namespace keras::optimizers {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Keras 3 looks built-in optimizers up by lowercased class name (ALL_OBJECTS_DICT).
std::shared_ptr<Optimizer> make(const std::string& identifier) {
  const std::string key = lower(identifier);
  if (key == "adam") return std::make_shared<Adam>();
  if (key == "sgd") return std::make_shared<SGD>();
  if (key == "rmsprop") return std::make_shared<RMSprop>();
  if (key == "adamw") return std::make_shared<AdamW>();
  if (key == "adagrad") return std::make_shared<Adagrad>();
  if (key == "adadelta") return std::make_shared<Adadelta>();
  if (key == "adamax") return std::make_shared<Adamax>();
  if (key == "nadam") return std::make_shared<Nadam>();
  if (key == "adafactor" || key == "ftrl" || key == "lion" || key == "lamb" || key == "muon" ||
      key == "lossscaleoptimizer")
    throw NotImplementedError("The Keras optimizer '" + identifier +
                              "' is not implemented by keras-cpp.");
  return nullptr;
}

}  // namespace

std::shared_ptr<Optimizer> get(const std::string& identifier) {
  auto opt = make(identifier);
  if (!opt)
    throw UnknownObjectError("Could not interpret optimizer identifier: '" + identifier +
                             "'. Known optimizers: adadelta, adagrad, adam, adamax, adamw, "
                             "nadam, rmsprop, sgd.");
  return opt;
}

std::shared_ptr<Optimizer> deserialize(const json& config) {
  if (config.is_string()) return get(config.get<std::string>());
  if (!config.is_object() || !config.contains("class_name") || !config["class_name"].is_string())
    throw ValueError(
        "Could not deserialize an optimizer: expected {\"class_name\": ..., "
        "\"config\": {...}} or a name, received " +
        config.dump());
  auto opt = get(config["class_name"].get<std::string>());
  if (config.contains("config") && !config["config"].is_null()) opt->apply_config(config["config"]);
  return opt;
}

json serialize(Optimizer& optimizer) {
  return json{{"class_name", optimizer.class_name()}, {"config", optimizer.get_config()}};
}

}  // namespace keras::optimizers
