#include "keras/core/trackable.hpp"

#include <algorithm>

namespace keras {

const TrackedChild* Trackable::find_child(const std::string& name) const {
  for (const auto& c : children_)
    if (c.name == name) return &c;
  return nullptr;
}

void Trackable::track_child(const std::string& name, TrackedValue value) {
  for (auto& c : children_) {
    if (c.name == name) {
      c.value = std::move(value);
      return;
    }
  }
  children_.push_back({name, std::move(value)});
}

void Trackable::untrack_child(const std::string& name) {
  children_.erase(std::remove_if(children_.begin(), children_.end(),
                                 [&](const TrackedChild& c) { return c.name == name; }),
                  children_.end());
}

}  // namespace keras
