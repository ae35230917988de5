// keras.layers.DepthwiseConv2D: each input channel convolved with its own depth_multiplier filters.
//
// Weight names: Keras 3 names the (kh, kw, channels, depth_multiplier) kernel "kernel" (the
// attribute `self.kernel` in base_depthwise_conv.py); tf.keras / Keras 2 named the same variable
// "depthwise_kernel" (so Keras 2 HDF5 files hold `depthwise_kernel:0` and tf.keras checkpoints
// the attribute `depthwise_kernel`). This layer follows Keras 3; the tf.keras spelling is mapped
// by the loaders in saving/.
#pragma once

#include "keras/layers/convolutional/conv_utils.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

// Keras 3's keyword arguments and defaults after kernel_size.
struct DepthwiseConv2DOptions {
  IntTuple strides = 1;
  std::string padding = "valid";
  int64_t depth_multiplier = 1;
  std::string data_format = "";  // Keras's None: "channels_last"
  IntTuple dilation_rate = 1;
  std::string activation;  // empty or "linear": none
  bool use_bias = true;
  InitializerArg depthwise_initializer = "glorot_uniform";
  InitializerArg bias_initializer = "zeros";
  RegularizerArg depthwise_regularizer;
  RegularizerArg bias_regularizer;
  RegularizerArg activity_regularizer;
  ConstraintArg depthwise_constraint;
  ConstraintArg bias_constraint;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class DepthwiseConv2D : public Layer {
 public:
  explicit DepthwiseConv2D(const IntTuple& kernel_size, const DepthwiseConv2DOptions& options = {});
  KERAS_LAYER_CLONE(DepthwiseConv2D)

  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  using Layer::compute_output_shape;
  void config(ConfigIO& io) override;

  int64_t depth_multiplier() const { return o_.depth_multiplier; }
  const std::vector<int64_t>& kernel_size() const { return kernel_size_; }
  // (kh, kw, channels, depth_multiplier).
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  void validate();
  Shape output_shape(const Shape& input_shape) const;

  std::vector<int64_t> kernel_size_, strides_, dilation_rate_;
  DepthwiseConv2DOptions o_;
  Variable kernel_, bias_;
};

}  // namespace keras::layers
