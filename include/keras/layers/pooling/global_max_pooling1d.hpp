// keras.layers.GlobalMaxPooling1D: the maximum over the steps of (batch, steps, channels) inputs.
#pragma once

#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

class GlobalMaxPooling1D : public BaseGlobalPooling {
 public:
  explicit GlobalMaxPooling1D(const GlobalPoolingOptions& options = {})
      : BaseGlobalPooling(1, options, "max", "GlobalMaxPooling1D") {}
  KERAS_LAYER_CLONE(GlobalMaxPooling1D)
};

}  // namespace keras::layers
