// keras.layers.GlobalAveragePooling2D: the mean over rows and cols of (batch, rows, cols, channels)
// inputs.
#pragma once

#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

class GlobalAveragePooling2D : public BaseGlobalPooling {
 public:
  explicit GlobalAveragePooling2D(const GlobalPoolingOptions& options = {})
      : BaseGlobalPooling(2, options, "average", "GlobalAveragePooling2D") {}
  KERAS_LAYER_CLONE(GlobalAveragePooling2D)
};

}  // namespace keras::layers
