// ObjectArg: an option that takes either a Keras identifier ("he_normal", "l2", "max_norm") or an
// object, as Keras's `kernel_initializer=` / `kernel_regularizer=` arguments do. The identifier is
// resolved by the family's `get` function on first use. In configs it is written as Keras's
// {"class_name": ..., "config": {...}} and read back from that or from a plain identifier.
#pragma once

#include <concepts>
#include <memory>
#include <string>

#include "keras/core/config.hpp"

namespace keras {

template <typename Base, std::shared_ptr<Base> (*Resolve)(const std::string&),
          std::shared_ptr<Base> (*Deserialize)(const json&)>
class ObjectArg {
 public:
  ObjectArg() = default;
  ObjectArg(const char* identifier) : identifier_(identifier) {}            // NOLINT
  ObjectArg(std::string identifier) : identifier_(std::move(identifier)) {}  // NOLINT
  ObjectArg(std::shared_ptr<Base> ptr) : ptr_(std::move(ptr)) {}            // NOLINT
  template <typename T>
    requires std::derived_from<T, Base>
  ObjectArg(T object) : ptr_(std::make_shared<T>(std::move(object))) {}  // NOLINT

  // True when neither a name nor an object was given (Keras's None).
  bool empty() const { return !ptr_ && identifier_.empty(); }
  explicit operator bool() const { return !empty(); }
  // The object, resolved from the identifier on first use; null when empty.
  const std::shared_ptr<Base>& get() const {
    if (!ptr_ && !identifier_.empty()) ptr_ = Resolve(identifier_);
    return ptr_;
  }
  Base* operator->() const { return get().get(); }
  // The identifier given, if any ("accuracy" needs context to resolve: see compile()).
  const std::string& identifier() const { return identifier_; }

  // {"class_name": "GlorotUniform", "config": {...}} (the Keras 2 flavour; saving/ adds Keras 3's
  // module/registered_name), or null when empty.
  friend void to_json(json& j, const ObjectArg& arg) {
    if (arg.empty()) {
      j = nullptr;
      return;
    }
    const auto& p = arg.get();
    json config = json::object();
    ConfigIO io = ConfigIO::writer(config);
    p->config(io);
    j = json{{"class_name", p->class_name()}, {"config", config}};
  }
  friend void from_json(const json& j, ObjectArg& arg) {
    if (j.is_null()) {
      arg = ObjectArg();
    } else if (j.is_string()) {
      arg = ObjectArg(j.template get<std::string>());
    } else {
      arg = ObjectArg(Deserialize(j));
    }
  }

 private:
  std::string identifier_;
  mutable std::shared_ptr<Base> ptr_;
};

}  // namespace keras
