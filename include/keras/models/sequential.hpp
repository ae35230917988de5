// keras.Sequential: a plain stack of layers, each with one input and one output.
#pragma once

#include "keras/models/model.hpp"

namespace keras {

class Sequential : public Model {
 public:
  // The list may open with Input(...) to fix the input shape, as in Keras.
  explicit Sequential(std::vector<keras::Layer> layers = {}, const ModelOptions& options = {});
  KERAS_LAYER_CLONE(Sequential)

  void add(keras::Layer layer);
  // Removes the last layer (ValueError on an empty model).
  void pop();
  std::vector<keras::Layer> layers() const override;
  // Fixes the input shape (batch dimension included) and builds every layer.
  void build(const Shape& input_shape) override;
  void build(const std::vector<Shape>& input_shapes) override;
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;

 private:
  void rebuild_graph();
  void sync_tracking();

  std::vector<keras::Layer> layers_;                     // without the InputLayer
  std::shared_ptr<layers::InputLayer> input_layer_;  // when the input shape is known
};

}  // namespace keras
