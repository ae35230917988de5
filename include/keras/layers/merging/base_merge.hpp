// keras.layers.Merge: the base of the elementwise merge layers (Add, Subtract, Multiply, Average,
// Maximum, Minimum) and of Concatenate.
//
// Merge layers take a list of inputs (call them with a std::vector). Elementwise merges follow
// Keras 3: non-batch dimensions broadcast where one of them is 1, inputs of lower rank get
// length-1 axes inserted after the batch axis, batch sizes must agree. Floating inputs are cast
// to the layer's dtype first (Keras's autocast). Masks are not merged (see Embedding).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "keras/layers/layer.hpp"

namespace keras::layers {

class Merge : public Layer {
 public:
  // Checks the input shapes (ValueError naming the layer and the shapes).
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;

 protected:
  Merge(const LayerOptions& options, std::string class_name)
      : Layer(options, std::move(class_name)) {}
  // The merge of inputs of equal rank (broadcastable).
  virtual Tensor merge_function(const std::vector<Tensor>& inputs) = 0;
  // The broadcast output shape; ValueError naming the layer when shapes are incompatible.
  Shape elementwise_output_shape(const std::vector<Shape>& input_shapes) const;
};

}  // namespace keras::layers
