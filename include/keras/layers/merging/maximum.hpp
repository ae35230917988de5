// keras.layers.Maximum (and keras.layers.maximum): the elementwise maximum of the inputs.
#pragma once

#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

class Maximum : public Merge {
 public:
  explicit Maximum(const LayerOptions& options = {}) : Merge(options, "Maximum") {}
  KERAS_LAYER_CLONE(Maximum)

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};

// keras.layers.maximum(inputs): Maximum()(inputs).
KerasTensor maximum(const std::vector<KerasTensor>& inputs, const LayerOptions& options = {});
Tensor maximum(const std::vector<Tensor>& inputs, const LayerOptions& options = {});

}  // namespace keras::layers
