#include "keras/layers/core/input_layer.hpp"

namespace keras::layers {

InputLayer::InputLayer(Shape batch_shape, const InputOptions& options)
    : Layer({.name = options.name, .trainable = true, .dtype = options.dtype}, "InputLayer"),
      batch_shape_(std::move(batch_shape)),
      sparse_(options.sparse) {
  set_built(true);
}

Tensor InputLayer::call(const Tensor& x, bool training) {
  (void)training;
  return x;
}

std::vector<Shape> InputLayer::compute_output_shape(const std::vector<Shape>& shapes) {
  // The node that creates the model input has no inputs of its own.
  return shapes.empty() ? std::vector<Shape>{batch_shape_} : shapes;
}

void InputLayer::config(ConfigIO& io) {
  // Keras 3 order: batch_shape, dtype, sparse, name (flavour differences are mapped by saving/).
  io("batch_shape", batch_shape_);
  std::string dtype(dtype_name(this->dtype()));
  io("dtype", dtype);
  io("sparse", sparse_);
  std::string name = this->name();
  io("name", name);
  if (io.reading()) {
    set_name(name);
    set_dtype(dtype_from_name(dtype));
  }
}

KerasTensor InputLayer::output_tensor() {
  if (inbound_nodes().empty()) {
    // An InputLayer's node has no inputs; its output is the model input.
    (*this)(std::vector<KerasTensor>{});
  }
  return output();
}

KerasTensor Input(const Shape& shape, const InputOptions& options) {
  Shape batch_shape;
  batch_shape.push_back(options.batch_size.value_or(-1));
  batch_shape.insert(batch_shape.end(), shape.begin(), shape.end());
  auto layer = std::make_shared<InputLayer>(batch_shape, options);
  return layer->output_tensor();
}

}  // namespace keras::layers
