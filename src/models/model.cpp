#include "keras/models/model.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace keras {
namespace {

using TensorKey = std::tuple<const layers::Layer*, int, int>;

TensorKey key_of(const KerasTensor& t) {
  const auto& h = t.history();
  return {h.layer.get(), h.node_index, h.tensor_index};
}

}  // namespace

Model::Model(const ModelOptions& options, std::string class_name)
    : layers::Layer({.name = options.name, .trainable = options.trainable}, std::move(class_name)) {
}

Model::Model(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
             const ModelOptions& options)
    : layers::Layer({.name = options.name.empty() ? layers::unique_object_name("functional")
                                                  : options.name,
                     .trainable = options.trainable},
                    "Functional") {
  init_graph(inputs, outputs);
}

Model::Model(const KerasTensor& input, const KerasTensor& output, const ModelOptions& options)
    : Model(std::vector<KerasTensor>{input}, std::vector<KerasTensor>{output}, options) {}

void Model::clear_graph() {
  inputs_.clear();
  outputs_.clear();
  graph_.clear();
  graph_layers_.clear();
}

void Model::init_graph(const std::vector<KerasTensor>& inputs,
                       const std::vector<KerasTensor>& outputs) {
  clear_graph();
  for (const auto& t : inputs)
    if (!t.defined()) throw ValueError("Model '" + name() + "': an input is not a symbolic tensor.");
  for (const auto& t : outputs)
    if (!t.defined()) throw ValueError("Model '" + name() + "': an output is not a symbolic tensor.");
  inputs_ = inputs;
  outputs_ = outputs;

  std::set<TensorKey> input_keys;
  for (const auto& t : inputs) input_keys.insert(key_of(t));
  using NodeKey = std::pair<const layers::Layer*, int>;
  std::map<NodeKey, size_t> position;  // into graph_
  std::map<NodeKey, int> depth;

  // Depth-first from the outputs: a node comes after every node it reads from.
  std::function<void(const KerasTensor&)> visit = [&](const KerasTensor& t) {
    const auto& h = t.history();
    const NodeKey nk{h.layer.get(), h.node_index};
    if (position.count(nk)) return;
    const auto& node = h.layer->inbound_nodes().at(h.node_index);
    if (!input_keys.count(key_of(t))) {
      if (node.inputs.empty())
        throw ValueError("Graph disconnected: cannot obtain the value of tensor '" +
                         h.layer->name() + "' of model '" + name() +
                         "': it comes from an Input that is not among the model's inputs.");
      for (const auto& in : node.inputs) visit(in);
    }
    position[nk] = graph_.size();
    graph_.push_back({h.layer, h.node_index});
  };
  for (const auto& t : inputs) visit(t);
  for (const auto& t : outputs) visit(t);

  // Keras's depths: outputs at 0, each producer one deeper than its deepest consumer.
  for (auto it = graph_.rbegin(); it != graph_.rend(); ++it) {
    const NodeKey nk{it->layer.get(), it->node_index};
    const int d = depth[nk];
    const auto& node = it->layer->inbound_nodes()[it->node_index];
    if (input_keys.count({it->layer.get(), it->node_index, 0})) continue;  // a model input
    for (const auto& in : node.inputs) {
      const NodeKey ik{in.history().layer.get(), in.history().node_index};
      depth[ik] = std::max(depth[ik], d + 1);
    }
  }
  std::map<const layers::Layer*, int> layer_depth;
  std::vector<std::shared_ptr<layers::Layer>> first_seen;
  for (const auto& gn : graph_) {
    const int d = depth[{gn.layer.get(), gn.node_index}];
    auto [it, inserted] = layer_depth.try_emplace(gn.layer.get(), d);
    if (inserted) {
      first_seen.push_back(gn.layer);
    } else {
      it->second = std::max(it->second, d);
    }
  }
  graph_layers_ = first_seen;
  std::stable_sort(graph_layers_.begin(), graph_layers_.end(),
                   [&](const auto& a, const auto& b) {
                     return layer_depth[a.get()] > layer_depth[b.get()];
                   });
  std::vector<TrackablePtr> tracked(graph_layers_.begin(), graph_layers_.end());
  track_child("layers", tracked);
  set_built(true);
}

std::vector<keras::Layer> Model::layers() const {
  std::vector<keras::Layer> out;
  if (is_functional()) {
    for (const auto& l : graph_layers_) out.emplace_back(l);
  } else {
    for (const auto& l : sublayers()) out.emplace_back(l);
  }
  return out;
}

keras::Layer Model::get_layer(const std::string& layer_name) const {
  std::string existing;
  for (const auto& l : layers()) {
    if (l->name() == layer_name) return l;
    existing += (existing.empty() ? "" : ", ") + l->name();
  }
  throw ValueError("No such layer: " + layer_name + ". Existing layers are: [" + existing + "].");
}

keras::Layer Model::get_layer(int index) const {
  const auto all = layers();
  const int n = static_cast<int>(all.size());
  if (index < -n || index >= n)
    throw IndexError("Was asked to retrieve layer at index " + std::to_string(index) +
                     " but model only has " + std::to_string(n) + " layers.");
  return all[index < 0 ? index + n : index];
}

std::vector<Tensor> Model::call(const std::vector<Tensor>& inputs, bool training) {
  if (!is_functional()) {
    if (inputs.size() == 1) return {call(inputs[0], training)};
    throw NotImplementedError("Model '" + name() + "' (" + class_name() +
                              ") must override call() for " + std::to_string(inputs.size()) +
                              " inputs.");
  }
  if (inputs.size() != inputs_.size())
    throw ValueError("Model '" + name() + "' expects " + std::to_string(inputs_.size()) +
                     " input(s), but it received " + std::to_string(inputs.size()) +
                     " input tensors.");
  std::map<TensorKey, Tensor> values;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Shape& expected = inputs_[i].shape();
    const Shape& got = inputs[i].shape();
    bool ok = expected.size() == got.size();
    for (size_t k = 0; ok && k < got.size(); ++k) ok = expected[k] < 0 || expected[k] == got[k];
    if (!ok)
      throw ValueError("Input " + std::to_string(i) + " of model '" + name() +
                       "' is incompatible: expected shape " + shape_str(expected) +
                       ", found shape " + shape_str(got) + ".");
    values[key_of(inputs_[i])] = inputs[i];
  }
  for (const auto& gn : graph_) {
    const auto& node = gn.layer->inbound_nodes()[gn.node_index];
    // Model inputs (InputLayers, or the tensors a sub-model was cut at) are already set.
    if (node.inputs.empty() || values.count({gn.layer.get(), gn.node_index, 0})) continue;
    std::vector<Tensor> args;
    args.reserve(node.inputs.size());
    for (const auto& in : node.inputs) args.push_back(values.at(key_of(in)));
    std::vector<Tensor> outs = (*gn.layer)(args, training);
    for (size_t j = 0; j < outs.size(); ++j)
      values[{gn.layer.get(), gn.node_index, static_cast<int>(j)}] = std::move(outs[j]);
  }
  std::vector<Tensor> result;
  for (const auto& o : outputs_) result.push_back(values.at(key_of(o)));
  return result;
}

Tensor Model::call(const Tensor& x, bool training) {
  if (!is_functional())
    throw NotImplementedError("Model '" + name() + "' (" + class_name() +
                              ") is neither functional nor overrides call().");
  auto out = call(std::vector<Tensor>{x}, training);
  if (out.size() != 1)
    throw ValueError("Model '" + name() + "' has " + std::to_string(out.size()) +
                     " outputs; call it with a list of inputs to get them all.");
  return out[0];
}

Tensor Model::predict_on_batch(const Tensor& x) {
  autograd::NoGradGuard guard;
  return (*this)(x, /*training=*/false);
}

std::vector<Shape> Model::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (!is_functional()) return layers::Layer::compute_output_shape(input_shapes);
  std::vector<Shape> out;
  for (const auto& o : outputs_) {
    Shape s = o.shape();
    if (!s.empty() && !input_shapes.empty() && !input_shapes[0].empty()) s[0] = input_shapes[0][0];
    out.push_back(s);
  }
  return out;
}

}  // namespace keras
