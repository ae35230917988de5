// Logs: the ordered name -> value dict Keras passes to callbacks and returns from evaluate().
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/core/errors.hpp"

namespace keras {

class Logs {
 public:
  Logs() = default;
  Logs(std::initializer_list<std::pair<std::string, double>> items) : items_(items) {}

  // Inserts (at the end) or updates.
  void set(const std::string& name, double value) {
    for (auto& [k, v] : items_)
      if (k == name) {
        v = value;
        return;
      }
    items_.emplace_back(name, value);
  }
  std::optional<double> get(const std::string& name) const {
    for (const auto& [k, v] : items_)
      if (k == name) return v;
    return std::nullopt;
  }
  // The value by name; KeyError-like ValueError when absent.
  double at(const std::string& name) const {
    if (auto v = get(name)) return *v;
    throw ValueError("No log named '" + name + "'.");
  }
  double operator[](const std::string& name) const { return at(name); }
  // The value by position (evaluate()'s list: loss first, then metrics).
  double operator[](size_t index) const { return items_.at(index).second; }
  bool contains(const std::string& name) const { return get(name).has_value(); }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<std::pair<std::string, double>> items_;
};

}  // namespace keras
