// keras.layers.Average (and keras.layers.average): the elementwise mean of the inputs.
#pragma once

#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

class Average : public Merge {
 public:
  explicit Average(const LayerOptions& options = {}) : Merge(options, "Average") {}
  KERAS_LAYER_CLONE(Average)

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};

// keras.layers.average(inputs): Average()(inputs).
KerasTensor average(const std::vector<KerasTensor>& inputs, const LayerOptions& options = {});
Tensor average(const std::vector<Tensor>& inputs, const LayerOptions& options = {});

}  // namespace keras::layers
