// Trackable: a node of the object tree every format is derived from (TensorFlow's
// tf.__internal__.tracking.Trackable / Keras 3's KerasSaveable).
//
// An object records its children under attribute names in assignment order: variables,
// other objects, and lists of objects. Saving walks this tree (a generic walk per format:
// TF checkpoint keys, Keras 3 `layers/dense/vars/0` paths...); layers never know file formats.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "keras/core/autograd.hpp"

namespace keras {

class Trackable;
using TrackablePtr = std::shared_ptr<Trackable>;

// One tracked attribute: a variable, an object, or a list of objects.
using TrackedValue = std::variant<Variable, TrackablePtr, std::vector<TrackablePtr>>;

struct TrackedChild {
  std::string name;  // the attribute name ("kernel", "cell", "layers", "optimizer"...)
  TrackedValue value;
};

class Trackable {
 public:
  virtual ~Trackable() = default;

  // Keras's class name of this object ("Dense", "Adam", "Sequential").
  virtual std::string class_name() const = 0;

  // Children in dependency (assignment) order. Re-tracking a name replaces it in place.
  const std::vector<TrackedChild>& tracked_children() const { return children_; }
  const TrackedChild* find_child(const std::string& name) const;

  // The variables this object saves itself, in Keras's order (layers: trainable then
  // non-trainable, each in creation order). Sub-objects' variables are not included.
  virtual std::vector<Variable> own_variables() const { return {}; }

 protected:
  Trackable() = default;
  Trackable(const Trackable&) = default;
  Trackable& operator=(const Trackable&) = default;

  void track_child(const std::string& name, TrackedValue value);
  void untrack_child(const std::string& name);

 private:
  std::vector<TrackedChild> children_;
};

}  // namespace keras
