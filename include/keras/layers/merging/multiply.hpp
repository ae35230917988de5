// keras.layers.Multiply (and keras.layers.multiply): the elementwise product of the inputs.
#pragma once

#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

class Multiply : public Merge {
 public:
  explicit Multiply(const LayerOptions& options = {}) : Merge(options, "Multiply") {}
  KERAS_LAYER_CLONE(Multiply)

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};

// keras.layers.multiply(inputs): Multiply()(inputs).
KerasTensor multiply(const std::vector<KerasTensor>& inputs, const LayerOptions& options = {});
Tensor multiply(const std::vector<Tensor>& inputs, const LayerOptions& options = {});

}  // namespace keras::layers
