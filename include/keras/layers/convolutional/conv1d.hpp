// keras.layers.Conv1D: temporal convolution over (batch, steps, channels) inputs.
#pragma once

#include "keras/layers/convolutional/base_conv.hpp"

namespace keras::layers {

using Conv1DOptions = ConvOptions;

class Conv1D : public BaseConv {
 public:
  // kernel_size: an int or a 1-tuple. Padding may also be "causal" (zeros before the sequence
  // only, so output t never sees inputs after t).
  Conv1D(int64_t filters, const IntTuple& kernel_size, const Conv1DOptions& options = {})
      : BaseConv(1, filters, kernel_size, options, "Conv1D") {}
  KERAS_LAYER_CLONE(Conv1D)
};

}  // namespace keras::layers
