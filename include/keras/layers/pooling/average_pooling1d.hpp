// keras.layers.AveragePooling1D: Average-pools (batch, steps, channels) inputs; with "same" padding
// a window averages its non-padded steps only.
#pragma once

#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

class AveragePooling1D : public BasePooling {
 public:
  explicit AveragePooling1D(const IntTuple& pool_size = 2, const PoolingOptions& options = {})
      : BasePooling(1, pool_size, options, "average", "AveragePooling1D") {}
  KERAS_LAYER_CLONE(AveragePooling1D)
};

}  // namespace keras::layers
