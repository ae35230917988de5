// The live object tree as TensorFlow's checkpointing sees it (tf.train.Checkpoint's
// ObjectGraphView): each object's checkpoint dependencies in order, the breadth-first node list
// with each object's first-discovered shortest path, and the bundle keys derived from it
// (spec/FORMATS.md sections 5.1 and 5.3). Layers and models stay format-free: the Keras-specific
// dependency order is decided here.
//
// Dependencies ("children") of each kind of object:
// - Sequential, and Model with is_functional(): for i, layer in enumerate(model.layers()):
//   `layer_with_weights-k` (k counting layers that have weights) then `layer-i`; then the model's
//   other tracked children except its raw "layers" list; then `optimizer` when compiled.
//   (Sequential's layers() excludes the InputLayer, a functional model's includes it.)
// - Other layers (subclassed models included): their Variable children by weight name, then the
//   other tracked children by attribute name (sublayers, lists...).
// - Any other object (Checkpoint: sorted keywords then save_counter): tracked children in order.
// - A list: its items under "0", "1", ... (TF's ListWrapper).
// - An optimizer (write scheme, TF >= 2.11 / Keras 2.11+ optimizers): `_variables` (a list:
//   the iterations variable then every slot variable in the optimizer's variables() order),
//   `_iterations`, `_learning_rate` (only for a constant learning rate). The BFS keys the counter
//   `optimizer/_iterations/...` and slot i `optimizer/_variables/i/...` (i >= 1).
// - A Variable: none; it saves one attribute VARIABLE_VALUE.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keras/core/trackable.hpp"
#include "keras/saving/tf_checkpoint/object_graph.hpp"

namespace keras::optimizers {
class Optimizer;
}

namespace keras::saving::tf_checkpoint {

// An optimizer's state in the order the checkpoint needs it.
struct OptimizerState {
  Variable iterations;
  Variable learning_rate;           // undefined when the learning rate is a schedule
  std::vector<Variable> variables;  // TF's `_variables`: iterations first, then every slot
  // Legacy (OptimizerV2) slot lookup: the slot variable named
  // "{original.path() with '/' -> '_'}_{keras 3 slot name}" for the legacy slot name
  // ("m" -> momentum, "v" -> velocity, "vhat" -> velocity_hat, "rms" -> velocity, "mg" ->
  // average_gradient, "momentum" -> momentum, ...); undefined when there is none.
  Variable slot_for(const Variable& original, const std::string& legacy_slot_name) const;
};

// The state of a keras optimizer: iterations(), the learning-rate variable (variables()[1] when
// the learning rate is constant) and the slots (the rest of variables()).
OptimizerState describe_optimizer(const optimizers::Optimizer& optimizer);

// One node of the live graph: an object, a variable, or a list (identified by its owner and
// attribute name, as lists are values here).
struct LiveObject {
  enum class Kind { object, variable, list };
  Kind kind = Kind::object;
  const Trackable* object = nullptr;  // the object; for a list, its owner
  Variable variable;
  std::string list_name;
  std::vector<LiveObject> items;                    // list items
  std::shared_ptr<const OptimizerState> optimizer;  // set on optimizer objects

  static LiveObject of(const Trackable* object) {
    LiveObject o;
    o.object = object;
    return o;
  }
  static LiveObject of(const Variable& v) {
    LiveObject o;
    o.kind = Kind::variable;
    o.variable = v;
    return o;
  }
  // The identity BFS deduplicates on.
  std::pair<const void*, std::string> identity() const {
    if (kind == Kind::variable) return {variable.id(), ""};
    if (kind == Kind::list) return {object, list_name};
    return {object, ""};
  }
};

using LiveEdge = std::pair<std::string, LiveObject>;

// The root and the rules above; extra root edges and optimizer registrations come from the
// caller (tf.train.Checkpoint's attached dependencies, optimizers passed by static type).
class ObjectTree {
 public:
  explicit ObjectTree(const Trackable& root);

  // Declares `object` an optimizer with this state (objects reached as a model's `optimizer`
  // are recognised without this).
  void add_optimizer(const Trackable* object, OptimizerState state);
  // An extra dependency of the root, listed after its own (TF's attached_dependencies:
  // Checkpoint(root=model) gives the model the edge `root` -> itself).
  void attach(std::string name, LiveObject child);

  LiveObject root() const;
  // The dependencies of a node in order.
  std::vector<LiveEdge> children(const LiveObject& node) const;

 private:
  LiveObject with_state(LiveObject o) const;

  const Trackable* root_;
  std::vector<LiveEdge> attached_;
  std::map<const Trackable*, std::shared_ptr<const OptimizerState>> optimizers_;
};

// The breadth-first view of a tree: what TF's saver writes.
struct ObjectGraphView {
  std::vector<LiveObject> nodes;   // node id = index, node 0 = the root
  std::vector<std::string> paths;  // escaped object paths ("" for the root)
  TrackableObjectGraph proto;      // children, attributes, has_checkpoint_values
  std::vector<std::pair<std::string, Variable>> tensors;  // (bundle key, variable), node order
};

// BFS from the root: node ids in discovery order, each node's path the first-discovered
// shortest one, every edge recorded (also to seen nodes), one VARIABLE_VALUE attribute per
// variable keyed "{path}/.ATTRIBUTES/VARIABLE_VALUE".
ObjectGraphView build_object_graph(const ObjectTree& tree);

// "{object_path}/.ATTRIBUTES/{escape(attribute)}".
std::string attribute_key(const std::string& object_path, const std::string& attribute);

}  // namespace keras::saving::tf_checkpoint
