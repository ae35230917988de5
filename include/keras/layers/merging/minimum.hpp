// keras.layers.Minimum (and keras.layers.minimum): the elementwise minimum of the inputs.
#pragma once

#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

class Minimum : public Merge {
 public:
  explicit Minimum(const LayerOptions& options = {}) : Merge(options, "Minimum") {}
  KERAS_LAYER_CLONE(Minimum)

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};

// keras.layers.minimum(inputs): Minimum()(inputs).
KerasTensor minimum(const std::vector<KerasTensor>& inputs, const LayerOptions& options = {});
Tensor minimum(const std::vector<Tensor>& inputs, const LayerOptions& options = {});

}  // namespace keras::layers
