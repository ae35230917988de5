// Registry: class name -> factory, one per object family (initializers, layers, losses...), so
// that Keras's {"class_name": ..., "config": {...}} dicts and identifiers become objects.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keras/core/config.hpp"

namespace keras {

template <typename Base>
class Registry {
 public:
  using Factory = std::function<std::shared_ptr<Base>()>;

  void add(const std::string& name, Factory factory) { factories_[name] = std::move(factory); }
  bool contains(const std::string& name) const { return factories_.count(name) != 0; }
  // A default-constructed object, or null when the name is unknown.
  std::shared_ptr<Base> create(const std::string& name) const {
    auto it = factories_.find(name);
    return it == factories_.end() ? nullptr : it->second();
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : factories_) out.push_back(k);
    return out;
  }

  // Builds an object from {"class_name": ..., "config": {...}} (Keras 2 or 3 flavour; a Keras 3
  // "registered_name" wins over class_name when registered). `family` names the kind of object
  // in errors ("initializer").
  std::shared_ptr<Base> deserialize(const json& j, const std::string& family) const {
    if (!j.is_object() || !j.contains("class_name") || !j["class_name"].is_string())
      throw ValueError("Could not deserialize " + family + ": expected a dict with a "
                       "'class_name', received " + j.dump() + ".");
    std::string name = j["class_name"].get<std::string>();
    if (j.contains("registered_name") && j["registered_name"].is_string() &&
        contains(j["registered_name"].get<std::string>()))
      name = j["registered_name"].get<std::string>();
    auto obj = create(name);
    if (!obj)
      throw UnknownObjectError("Unknown " + family + ": '" + name +
                               "'. Please ensure you are using a `keras.utils.custom_object_scope` "
                               "and that this object is included in the scope, or register it "
                               "with register_keras_serializable.");
    if (j.contains("config") && j["config"].is_object()) {
      ConfigIO io = ConfigIO::reader(j["config"]);
      obj->config(io);
    }
    return obj;
  }

 private:
  std::map<std::string, Factory> factories_;
};

}  // namespace keras
