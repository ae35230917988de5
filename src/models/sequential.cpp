#include "keras/models/sequential.hpp"

namespace keras {

Sequential::Sequential(std::vector<keras::Layer> layers, const ModelOptions& options)
    : Model({.name = options.name.empty() ? layers::unique_object_name("sequential") : options.name,
             .trainable = options.trainable},
            "Sequential") {
  for (auto& l : layers) add(std::move(l));
}

void Sequential::sync_tracking() {
  std::vector<TrackablePtr> tracked;
  for (const auto& l : layers_) tracked.push_back(l.ptr());
  track_child("layers", tracked);
}

void Sequential::add(keras::Layer layer) {
  if (!layer.defined()) throw ValueError("Sequential.add: the layer is undefined.");
  if (auto input = std::dynamic_pointer_cast<layers::InputLayer>(layer.ptr())) {
    if (!layers_.empty() || input_layer_)
      throw ValueError("Sequential model '" + name() +
                       "': an Input can only be the first element of the model.");
    input_layer_ = input;
    sync_tracking();
    return;
  }
  for (const auto& l : layers_)
    if (l->name() == layer->name())
      throw ValueError("All layers added to a Sequential model should have unique names. Name '" +
                       layer->name() + "' is already the name of a layer in this model.");
  layers_.push_back(layer);
  if (input_layer_) {
    // Extend the graph by one call instead of rebuilding it (layers keep one node each).
    KerasTensor x = outputs().empty() ? input_layer_->output_tensor() : outputs()[0];
    init_graph({input_layer_->output_tensor()}, {layer(x)});
  }
  sync_tracking();
}

void Sequential::pop() {
  if (layers_.empty()) throw ValueError("There are no layers in model '" + name() + "' to pop.");
  keras::Layer last = layers_.back();
  layers_.pop_back();
  if (input_layer_) {
    last->pop_inbound_node();
    KerasTensor x = layers_.empty() ? input_layer_->output_tensor() : layers_.back()->output();
    init_graph({input_layer_->output_tensor()}, {x});
  }
  sync_tracking();
}

std::vector<keras::Layer> Sequential::layers() const { return layers_; }

void Sequential::build(const Shape& input_shape) {
  if (input_layer_) return;
  input_layer_ = std::make_shared<layers::InputLayer>(input_shape);
  rebuild_graph();
}

void Sequential::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Sequential model '" + name() + "' takes exactly one input, received " +
                     std::to_string(input_shapes.size()) + ".");
  // Reached from the first eager call: the batch size of that call is not the model's.
  Shape s = input_shapes[0];
  if (!s.empty()) s[0] = -1;
  build(s);
}

void Sequential::rebuild_graph() {
  KerasTensor x = input_layer_->output_tensor();
  for (auto& l : layers_) x = l(x);
  init_graph({input_layer_->output_tensor()}, {x});
  sync_tracking();
}

Tensor Sequential::call(const Tensor& x, bool training) {
  if (!input_layer_) {
    Shape s = x.shape();
    if (!s.empty()) s[0] = -1;
    build(s);
  }
  Tensor y = x;
  for (auto& l : layers_) y = l(y, training);
  return y;
}

std::vector<Tensor> Sequential::call(const std::vector<Tensor>& inputs, bool training) {
  if (inputs.size() != 1)
    throw ValueError("Sequential model '" + name() + "' takes exactly one input, received " +
                     std::to_string(inputs.size()) + ".");
  return {call(inputs[0], training)};
}

std::vector<Shape> Sequential::compute_output_shape(const std::vector<Shape>& input_shapes) {
  std::vector<Shape> shapes = input_shapes;
  for (auto& l : layers_) shapes = l->compute_output_shape(shapes);
  return shapes;
}

}  // namespace keras
