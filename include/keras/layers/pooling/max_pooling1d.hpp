// keras.layers.MaxPooling1D: Max-pools (batch, steps, channels) inputs over windows of pool_size
// steps.
#pragma once

#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

class MaxPooling1D : public BasePooling {
 public:
  explicit MaxPooling1D(const IntTuple& pool_size = 2, const PoolingOptions& options = {})
      : BasePooling(1, pool_size, options, "max", "MaxPooling1D") {}
  KERAS_LAYER_CLONE(MaxPooling1D)
};

}  // namespace keras::layers
