// keras.layers.GlobalMaxPooling2D: the maximum over rows and cols of (batch, rows, cols, channels)
// inputs.
#pragma once

#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

class GlobalMaxPooling2D : public BaseGlobalPooling {
 public:
  explicit GlobalMaxPooling2D(const GlobalPoolingOptions& options = {})
      : BaseGlobalPooling(2, options, "max", "GlobalMaxPooling2D") {}
  KERAS_LAYER_CLONE(GlobalMaxPooling2D)
};

}  // namespace keras::layers
