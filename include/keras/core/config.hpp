// Config declaration: each object lists its configuration fields once, in Keras's names and order,
// and that one list both writes get_config() and reads from_config() (Keras's get_config /
// from_config pair). Format-specific spellings (Keras 1 aliases, Keras 2 vs 3 flavours) are
// mapped in saving/, never here.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keras/core/errors.hpp"

namespace keras {

// Key order is kept as written, matching the order Keras emits.
using json = nlohmann::ordered_json;

// Reads or writes one config dict. Usage inside an object:
//   void config(ConfigIO& io) override { Base::config(io); io("units", units_); ... }
class ConfigIO {
 public:
  // Writing: every field is stored into `out`.
  static ConfigIO writer(json& out) { return ConfigIO(&out, nullptr); }
  // Reading: fields present in `in` overwrite the defaults; absent fields keep them.
  static ConfigIO reader(const json& in) { return ConfigIO(nullptr, &in); }

  bool writing() const { return out_ != nullptr; }
  bool reading() const { return in_ != nullptr; }

  template <typename T>
  void operator()(const char* key, T& value) {
    if (out_) {
      write_value((*out_)[key], value);
      return;
    }
    auto it = in_->find(key);
    if (it == in_->end()) return;
    consumed_.insert(key);
    try {
      read_value(*it, value);
    } catch (const nlohmann::json::exception& e) {
      throw ValueError(std::string("Invalid value for config field '") + key + "': " +
                       it->dump() + " (" + e.what() + ").");
    }
  }

  // Keys of the input that no field read (reported as warnings by loaders).
  std::vector<std::string> unconsumed() const {
    std::vector<std::string> out;
    if (in_)
      for (auto it = in_->begin(); it != in_->end(); ++it)
        if (!consumed_.count(it.key())) out.push_back(it.key());
    return out;
  }
  // Marks a key as handled by code outside the field list.
  void consume(const std::string& key) { consumed_.insert(key); }
  const json* input() const { return in_; }
  json* output() const { return out_; }

 private:
  ConfigIO(json* out, const json* in) : out_(out), in_(in) {}

  template <typename T>
  static void write_value(json& j, const T& value) {
    j = value;
  }
  template <typename T>
  static void write_value(json& j, const std::optional<T>& value) {
    if (value) {
      j = *value;
    } else {
      j = nullptr;
    }
  }
  template <typename T>
  static void read_value(const json& j, T& value) {
    value = j.get<T>();
  }
  template <typename T>
  static void read_value(const json& j, std::optional<T>& value) {
    if (j.is_null()) {
      value.reset();
    } else {
      value = j.get<T>();
    }
  }

  json* out_;
  const json* in_;
  std::set<std::string> consumed_;
};

}  // namespace keras
