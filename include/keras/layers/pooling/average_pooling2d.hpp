// keras.layers.AveragePooling2D: Average-pools (batch, rows, cols, channels) inputs; with "same"
// padding a window averages its non-padded elements only.
#pragma once

#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

class AveragePooling2D : public BasePooling {
 public:
  explicit AveragePooling2D(const IntTuple& pool_size = {2, 2}, const PoolingOptions& options = {})
      : BasePooling(2, pool_size, options, "average", "AveragePooling2D") {}
  KERAS_LAYER_CLONE(AveragePooling2D)
};

}  // namespace keras::layers
