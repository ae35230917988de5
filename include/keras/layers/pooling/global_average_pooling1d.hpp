// keras.layers.GlobalAveragePooling1D: the mean over the steps of (batch, steps, channels) inputs.
#pragma once

#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

class GlobalAveragePooling1D : public BaseGlobalPooling {
 public:
  explicit GlobalAveragePooling1D(const GlobalPoolingOptions& options = {})
      : BaseGlobalPooling(1, options, "average", "GlobalAveragePooling1D") {}
  KERAS_LAYER_CLONE(GlobalAveragePooling1D)
};

}  // namespace keras::layers
