// keras.layers.Conv2D: spatial convolution over (batch, rows, cols, channels) inputs.
#pragma once

#include "keras/layers/convolutional/base_conv.hpp"

namespace keras::layers {

using Conv2DOptions = ConvOptions;

class Conv2D : public BaseConv {
 public:
  // kernel_size: an int (square) or {rows, cols}; strides and dilation_rate likewise.
  Conv2D(int64_t filters, const IntTuple& kernel_size, const Conv2DOptions& options = {})
      : BaseConv(2, filters, kernel_size, options, "Conv2D") {}
  KERAS_LAYER_CLONE(Conv2D)
};

}  // namespace keras::layers
