// keras.layers.Add (and keras.layers.add): the elementwise sum of the inputs.
#pragma once

#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

class Add : public Merge {
 public:
  explicit Add(const LayerOptions& options = {}) : Merge(options, "Add") {}
  KERAS_LAYER_CLONE(Add)

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};

// keras.layers.add(inputs): Add()(inputs).
KerasTensor add(const std::vector<KerasTensor>& inputs, const LayerOptions& options = {});
Tensor add(const std::vector<Tensor>& inputs, const LayerOptions& options = {});

}  // namespace keras::layers
