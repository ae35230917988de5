// Writing and restoring object-based checkpoints; tf.keras's TF-format save_weights/load_weights.
#include "keras/saving/tf_checkpoint/tf_checkpoint.hpp"

#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "keras/core/errors.hpp"
#include "keras/io/tensor_bundle.hpp"
#include "keras/models/model.hpp"
#include "keras/train/checkpoint_state.hpp"

namespace keras::saving::tf_checkpoint {
namespace fs = std::filesystem;
namespace {

// Legacy (OptimizerV2) names of the optimizer's own variables, for restoring old checkpoints
// into the TF >= 2.11 layout.
const char* optimizer_alias(const std::string& legacy) {
  if (legacy == "iter") return "_iterations";
  if (legacy == "learning_rate" || legacy == "lr") return "_learning_rate";
  return nullptr;
}

// The serialized graph stored under _CHECKPOINTABLE_OBJECT_GRAPH.
std::string graph_bytes(const io::BundleReader& reader) {
  const io::BundleEntry& e = reader.entry(kObjectGraphKey);
  if (e.dtype != io::DataType::DT_STRING || !e.shape.empty())
    throw FileFormatError("Checkpoint '" + reader.prefix() + "': " + kObjectGraphKey +
                          " should be a scalar DT_STRING, found " + io::data_type_name(e.dtype) +
                          " of shape " + shape_str(e.shape) + ".");
  return reader.read(kObjectGraphKey).data<std::string>()[0];
}

// The value of `key` for `variable`, checked: dtype (TypeError) and shape (ValueError).
Tensor read_checked(const io::BundleReader& reader, const std::string& key,
                    const Variable& variable, const std::string& where) {
  const io::BundleEntry& e = reader.entry(key);
  const auto dtype = io::to_keras_dtype(e.dtype);
  if (!dtype || *dtype != variable.dtype())
    throw TypeError("Cannot restore variable '" + where + "' of dtype " +
                    std::string(dtype_name(variable.dtype())) + " from checkpoint key '" + key +
                    "' of dtype " + io::data_type_name(e.dtype) + " in '" + reader.prefix() + "'.");
  if (e.shape != variable.shape())
    throw ValueError("Received incompatible tensor with shape " + shape_str(e.shape) +
                     " when attempting to restore variable '" + where + "' with shape " +
                     shape_str(variable.shape()) + " from checkpoint key '" + key + "' in '" +
                     reader.prefix() + "'.");
  return reader.read(key);
}

std::string describe(const std::string& object_path, const Variable& v) {
  const std::string shown = object_path.empty() ? std::string("(root)") : object_path;
  return v.path() == shown ? shown : shown + " (" + v.path() + ")";
}

// The live variables nobody restored, by their object path.
std::vector<std::string> unmatched(const ObjectGraphView& view, const std::set<const void*>& done) {
  std::vector<std::string> out;
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    const auto& node = view.nodes[i];
    if (node.kind == LiveObject::Kind::variable && !done.count(node.variable.id()))
      out.push_back(describe(view.paths[i], node.variable));
  }
  return out;
}

LoadStatus restore_object_based(const io::BundleReader& reader, const ObjectTree& tree) {
  const std::string& prefix = reader.prefix();
  const TrackableObjectGraph graph =
      TrackableObjectGraph::parse(graph_bytes(reader), "'" + prefix + ".index'");
  const size_t n = graph.nodes.size();
  for (size_t i = 0; i < n; ++i)
    for (const auto& a : graph.nodes[i].attributes)
      if (!a.optional_restore && !reader.contains(a.checkpoint_key))
        throw FileFormatError("Checkpoint '" + prefix + "': the object graph names key '" +
                              a.checkpoint_key + "' (node " + std::to_string(i) +
                              ") which is not in the bundle.");

  // Walk the saved graph and the live tree together from their roots, matching children by
  // local name (TensorFlow's restore); the first match of a saved node wins.
  std::vector<std::optional<LiveObject>> match(n);
  match[0] = tree.root();
  std::deque<int32_t> queue{0};
  while (!queue.empty()) {
    const int32_t sid = queue.front();
    queue.pop_front();
    const LiveObject live = *match[sid];
    const std::vector<LiveEdge> kids = tree.children(live);
    auto find = [&](const std::string& name) -> const LiveObject* {
      for (const auto& [k, obj] : kids)
        if (k == name) return &obj;
      return nullptr;
    };
    for (const auto& ref : graph.nodes[sid].children) {
      if (match[ref.node_id]) continue;
      const LiveObject* found = find(ref.local_name);
      if (!found && live.optimizer)
        if (const char* alias = optimizer_alias(ref.local_name)) found = find(alias);
      if (!found) continue;
      match[ref.node_id] = *found;
      queue.push_back(ref.node_id);
    }
  }
  // OptimizerV2 slot variables: (original variable, slot name) on the optimizer node.
  for (size_t sid = 0; sid < n; ++sid) {
    if (!match[sid] || !match[sid]->optimizer) continue;
    for (const auto& s : graph.nodes[sid].slot_variables) {
      const auto& original = match[s.original_variable_node_id];
      if (!original || original->kind != LiveObject::Kind::variable ||
          match[s.slot_variable_node_id])
        continue;
      Variable slot = match[sid]->optimizer->slot_for(original->variable, s.slot_name);
      if (slot.defined()) match[s.slot_variable_node_id] = LiveObject::of(slot);
    }
  }

  const ObjectGraphView view = build_object_graph(tree);
  std::map<const void*, std::string> live_paths;
  for (size_t i = 0; i < view.nodes.size(); ++i)
    if (view.nodes[i].kind == LiveObject::Kind::variable)
      live_paths.emplace(view.nodes[i].variable.id(), view.paths[i]);

  // Read and check everything before assigning anything.
  std::vector<std::pair<Variable, Tensor>> assignments;
  std::vector<char> consumed(n, 0);
  std::set<const void*> restored;
  for (size_t sid = 0; sid < n; ++sid) {
    if (!match[sid] || match[sid]->kind != LiveObject::Kind::variable) continue;
    const Variable& v = match[sid]->variable;
    for (const auto& a : graph.nodes[sid].attributes) {
      if (a.name != kVariableValue || !reader.contains(a.checkpoint_key)) continue;
      auto it = live_paths.find(v.id());
      const std::string where = describe(it != live_paths.end() ? it->second : "", v);
      assignments.emplace_back(v, read_checked(reader, a.checkpoint_key, v, where));
      consumed[sid] = 1;
      restored.insert(v.id());
      break;
    }
  }
  for (auto& [v, value] : assignments) v.assign(value);

  std::vector<std::string> unused;
  for (size_t sid = 0; sid < n; ++sid)
    if (!consumed[sid])
      for (const auto& a : graph.nodes[sid].attributes) unused.push_back(a.checkpoint_key);
  return LoadStatus(prefix, false, std::move(unused), unmatched(view, restored),
                    static_cast<int>(assignments.size()));
}

LoadStatus restore_name_based(const io::BundleReader& reader, const ObjectTree& tree) {
  const ObjectGraphView view = build_object_graph(tree);
  std::vector<std::pair<Variable, Tensor>> assignments;
  std::set<std::string> used;
  std::set<const void*> restored;
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    const auto& node = view.nodes[i];
    if (node.kind != LiveObject::Kind::variable || restored.count(node.variable.id())) continue;
    const std::string key = node.variable.path();
    if (!reader.contains(key)) continue;
    assignments.emplace_back(node.variable, read_checked(reader, key, node.variable, key));
    used.insert(key);
    restored.insert(node.variable.id());
  }
  for (auto& [v, value] : assignments) v.assign(value);
  std::vector<std::string> unused;
  for (const auto& key : reader.keys())
    if (!used.count(key) && key != kObjectGraphKey) unused.push_back(key);
  return LoadStatus(reader.prefix(), true, std::move(unused), unmatched(view, restored),
                    static_cast<int>(assignments.size()));
}

// Checkpoint(root=model): node 0 is the model, with `root` attached to it.
ObjectTree model_tree(const keras::Model& model) {
  ObjectTree tree(model);
  tree.attach("root", LiveObject::of(static_cast<const Trackable*>(&model)));
  return tree;
}

void require_index(const std::string& prefix) {
  std::error_code ec;
  if (!fs::exists(prefix + ".index", ec))
    throw IOError("Unable to open checkpoint '" + prefix + "': no such file '" + prefix +
                  ".index'.");
}

}  // namespace

void write_checkpoint(const ObjectTree& tree, const std::string& prefix) {
  const ObjectGraphView view = build_object_graph(tree);
  io::BundleWriter writer(prefix);
  for (const auto& [key, variable] : view.tensors) writer.add(key, variable.value());
  writer.add(kObjectGraphKey, Tensor::from_strings({view.proto.serialize()}));
  writer.finish();
}

LoadStatus restore_checkpoint(const ObjectTree& tree, const std::string& prefix) {
  require_index(prefix);
  io::BundleReader reader(prefix);
  if (!reader.contains(kObjectGraphKey))
    throw FileFormatError("Checkpoint '" + prefix + "' has no " + kObjectGraphKey +
                          " entry: it is a name-based (TF1 Saver) checkpoint, not an "
                          "object-based one. Read it with train::load_checkpoint() or restore "
                          "it by variable names.");
  return restore_object_based(reader, tree);
}

LoadStatus restore_by_name(const ObjectTree& tree, const std::string& prefix) {
  require_index(prefix);
  io::BundleReader reader(prefix);
  return restore_name_based(reader, tree);
}

void save_weights(const keras::Model& model, const std::string& prefix) {
  write_checkpoint(model_tree(model), prefix);
  train::CheckpointState state;
  state.model_checkpoint_path = prefix;
  state.all_model_checkpoint_paths = {prefix};
  train::update_checkpoint_state(fs::path(prefix).parent_path().string(), state);
}

LoadStatus load_weights(keras::Model& model, const std::string& prefix) {
  std::string path = prefix;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (fs::exists(fs::path(path) / "variables" / "variables.index", ec)) {
      path = (fs::path(path) / "variables" / "variables").string();
    } else {
      auto latest = train::latest_checkpoint(path);
      if (!latest)
        throw IOError("load_weights: no checkpoint found in directory '" + prefix +
                      "' (no usable 'checkpoint' file).");
      path = *latest;
    }
  }
  require_index(path);
  io::BundleReader reader(path);
  const ObjectTree tree = model_tree(model);
  if (!reader.contains(kObjectGraphKey)) return restore_name_based(reader, tree);
  return restore_object_based(reader, tree);
}

}  // namespace keras::saving::tf_checkpoint
