// keras.layers.Subtract (and keras.layers.subtract): inputs[0] - inputs[1]; exactly two inputs.
#pragma once

#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

class Subtract : public Merge {
 public:
  explicit Subtract(const LayerOptions& options = {}) : Merge(options, "Subtract") {}
  KERAS_LAYER_CLONE(Subtract)

  // Also checks that there are exactly two inputs.
  void build(const std::vector<Shape>& input_shapes) override;

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};

// keras.layers.subtract(inputs): Subtract()(inputs).
KerasTensor subtract(const std::vector<KerasTensor>& inputs, const LayerOptions& options = {});
Tensor subtract(const std::vector<Tensor>& inputs, const LayerOptions& options = {});

}  // namespace keras::layers
