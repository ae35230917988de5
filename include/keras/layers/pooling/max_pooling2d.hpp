// keras.layers.MaxPooling2D: Max-pools (batch, rows, cols, channels) inputs over pool_size windows.
#pragma once

#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

class MaxPooling2D : public BasePooling {
 public:
  explicit MaxPooling2D(const IntTuple& pool_size = {2, 2}, const PoolingOptions& options = {})
      : BasePooling(2, pool_size, options, "max", "MaxPooling2D") {}
  KERAS_LAYER_CLONE(MaxPooling2D)
};

}  // namespace keras::layers
