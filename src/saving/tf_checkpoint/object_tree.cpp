// The checkpoint view of the live object tree (rules in
// keras/saving/tf_checkpoint/object_tree.hpp).
#include "keras/saving/tf_checkpoint/object_tree.hpp"

#include <map>

#include "keras/core/errors.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"

namespace keras::saving::tf_checkpoint {
namespace {

// Keras 3 slot names for a legacy (OptimizerV2) slot name; the name itself is tried first.
const std::map<std::string, std::vector<std::string>>& legacy_slot_aliases() {
  static const std::map<std::string, std::vector<std::string>> aliases = {
      {"m", {"momentum", "m"}},
      {"v", {"velocity", "u"}},
      {"vhat", {"velocity_hat"}},
      {"rms", {"velocity"}},
      {"mg", {"average_gradient"}},
      {"accumulator", {"accumulator"}},
      {"accum_grad", {"accumulated_grad"}},
      {"accum_var", {"accumulated_delta_var"}},
      {"linear", {"linear"}},
  };
  return aliases;
}

std::string join_path(const std::string& parent, const std::string& escaped) {
  return parent.empty() ? escaped : parent + "/" + escaped;
}

// A Trackable child value as a live node (null objects are skipped by the caller).
LiveObject live_value(const Trackable* owner, const TrackedChild& child) {
  if (const auto* v = std::get_if<Variable>(&child.value)) return LiveObject::of(*v);
  if (const auto* p = std::get_if<TrackablePtr>(&child.value)) return LiveObject::of(p->get());
  const auto& list = std::get<std::vector<TrackablePtr>>(child.value);
  LiveObject l;
  l.kind = LiveObject::Kind::list;
  l.object = owner;
  l.list_name = child.name;
  for (const auto& item : list)
    if (item) l.items.push_back(LiveObject::of(item.get()));
  return l;
}

bool defined(const TrackedChild& c) {
  if (const auto* v = std::get_if<Variable>(&c.value)) return v->defined();
  if (const auto* p = std::get_if<TrackablePtr>(&c.value)) return *p != nullptr;
  return true;
}

}  // namespace

std::vector<Variable> own_variables_of(const Trackable& object);  // optimizer_state.cpp

Variable OptimizerState::slot_for(const Variable& original,
                                  const std::string& legacy_slot_name) const {
  std::string base = original.path();
  for (char& c : base)
    if (c == '/') c = '_';
  std::vector<std::string> candidates = {legacy_slot_name};
  auto it = legacy_slot_aliases().find(legacy_slot_name);
  if (it != legacy_slot_aliases().end())
    candidates.insert(candidates.end(), it->second.begin(), it->second.end());
  for (const auto& slot : candidates) {
    const std::string want = base + "_" + slot;
    for (size_t i = 1; i < variables.size(); ++i)
      if (variables[i].name() == want || variables[i].path() == want) return variables[i];
  }
  return Variable();
}

ObjectTree::ObjectTree(const Trackable& root) : root_(&root) {}

void ObjectTree::add_optimizer(const Trackable* object, OptimizerState state) {
  optimizers_[object] = std::make_shared<const OptimizerState>(std::move(state));
}

void ObjectTree::attach(std::string name, LiveObject child) {
  attached_.emplace_back(std::move(name), with_state(std::move(child)));
}

LiveObject ObjectTree::root() const { return with_state(LiveObject::of(root_)); }

LiveObject ObjectTree::with_state(LiveObject o) const {
  if (o.kind == LiveObject::Kind::object && !o.optimizer) {
    auto it = optimizers_.find(o.object);
    if (it != optimizers_.end()) o.optimizer = it->second;
  }
  for (auto& item : o.items) item = with_state(std::move(item));
  return o;
}

std::vector<LiveEdge> ObjectTree::children(const LiveObject& node) const {
  std::vector<LiveEdge> out;
  if (node.kind == LiveObject::Kind::variable) return out;
  if (node.kind == LiveObject::Kind::list) {
    for (size_t i = 0; i < node.items.size(); ++i)
      out.emplace_back(std::to_string(i), with_state(node.items[i]));
    return out;
  }
  if (node.optimizer) {
    // TF >= 2.11 optimizers: `_variables` is assigned first, then `_iterations` and
    // `_learning_rate`; BFS still keys the counter under `_iterations` (a shorter path).
    LiveObject list;
    list.kind = LiveObject::Kind::list;
    list.object = node.object;
    list.list_name = "_variables";
    for (const auto& v : node.optimizer->variables) list.items.push_back(LiveObject::of(v));
    out.emplace_back("_variables", std::move(list));
    if (node.optimizer->iterations.defined())
      out.emplace_back("_iterations", LiveObject::of(node.optimizer->iterations));
    if (node.optimizer->learning_rate.defined())
      out.emplace_back("_learning_rate", LiveObject::of(node.optimizer->learning_rate));
  } else {
    const auto* model = dynamic_cast<const Model*>(node.object);
    const bool keras_layer_edges =
        model && (model->is_functional() || dynamic_cast<const Sequential*>(model));
    if (keras_layer_edges) {
      // Keras 2 Functional._layer_checkpoint_dependencies.
      int with_weights = 0;
      int index = 0;
      for (const auto& layer : model->layers()) {
        LiveObject l = with_state(LiveObject::of(layer.ptr().get()));
        if (!layer->weights().empty())
          out.emplace_back("layer_with_weights-" + std::to_string(with_weights++), l);
        out.emplace_back("layer-" + std::to_string(index++), l);
      }
    }
    // Layers: weights first (Keras tracks them in add_weight), then sublayers and the rest; other
    // objects (Checkpoint, modules): plain assignment order.
    const bool weights_first = dynamic_cast<const layers::Layer*>(node.object) != nullptr;
    const auto& tracked = node.object->tracked_children();
    if (weights_first)
      for (const auto& c : tracked)
        if (std::holds_alternative<Variable>(c.value) && defined(c))
          out.emplace_back(c.name, live_value(node.object, c));
    for (const auto& c : tracked) {
      if (!defined(c) || (weights_first && std::holds_alternative<Variable>(c.value))) continue;
      if (keras_layer_edges && c.name == "layers") continue;
      out.emplace_back(c.name, with_state(live_value(node.object, c)));
    }
    if (model && model->compiled() && model->optimizer() && !node.object->find_child("optimizer")) {
      const auto& opt = model->optimizer();
      LiveObject o = LiveObject::of(static_cast<const Trackable*>(opt.get()));
      o.optimizer = std::make_shared<const OptimizerState>(describe_optimizer(*opt));
      out.emplace_back("optimizer", std::move(o));
    }
  }
  if (node.kind == LiveObject::Kind::object && node.object == root_)
    for (const auto& e : attached_) out.push_back(e);
  return out;
}

std::string attribute_key(const std::string& object_path, const std::string& attribute) {
  return join_path(object_path, std::string(kAttributes) + "/" + escape_local_name(attribute));
}

ObjectGraphView build_object_graph(const ObjectTree& tree) {
  ObjectGraphView view;
  std::map<std::pair<const void*, std::string>, int32_t> ids;
  view.nodes.push_back(tree.root());
  view.paths.emplace_back();
  ids[view.nodes[0].identity()] = 0;
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    TrackableObject proto;
    // Copy what we need: view.nodes grows (and reallocates) inside the loop.
    const LiveObject node = view.nodes[i];
    const std::string path = view.paths[i];
    for (auto& [name, child] : tree.children(node)) {
      auto [it, inserted] =
          ids.try_emplace(child.identity(), static_cast<int32_t>(view.nodes.size()));
      if (inserted) {
        view.nodes.push_back(std::move(child));
        view.paths.push_back(join_path(path, escape_local_name(name)));
      }
      proto.children.push_back({it->second, name});
    }
    if (node.kind == LiveObject::Kind::variable) {
      const std::string key = attribute_key(path, kVariableValue);
      proto.attributes.push_back({kVariableValue, node.variable.path(), key, false});
      view.tensors.emplace_back(key, node.variable);
    }
    view.proto.nodes.push_back(std::move(proto));
  }
  // has_checkpoint_values: the node or anything reachable from it saves a tensor (a fixpoint:
  // edges may point back to earlier nodes).
  const size_t n = view.proto.nodes.size();
  std::vector<char> has(n, 0);
  for (size_t i = 0; i < n; ++i) has[i] = !view.proto.nodes[i].attributes.empty();
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = n; i-- > 0;) {
      if (has[i]) continue;
      for (const auto& c : view.proto.nodes[i].children) {
        if (has[c.node_id]) {
          has[i] = 1;
          changed = true;
          break;
        }
      }
    }
  }
  for (size_t i = 0; i < n; ++i) view.proto.nodes[i].has_checkpoint_values = has[i] != 0;
  return view;
}

}  // namespace keras::saving::tf_checkpoint
