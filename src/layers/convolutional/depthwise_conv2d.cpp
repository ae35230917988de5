#include "keras/layers/convolutional/depthwise_conv2d.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

DepthwiseConv2D::DepthwiseConv2D(const IntTuple& kernel_size, const DepthwiseConv2DOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "DepthwiseConv2D"),
      kernel_size_(kernel_size.values),
      o_(options) {
  validate();
}

void DepthwiseConv2D::validate() {
  const std::string who = "DepthwiseConv2D '" + name() + "'";
  if (o_.depth_multiplier <= 0)
    throw ValueError(who +
                     ": invalid value for argument `depth_multiplier`. Expected a strictly "
                     "positive value. Received depth_multiplier=" +
                     std::to_string(o_.depth_multiplier) + ".");
  kernel_size_ = standardize_tuple(kernel_size_, 2, "kernel_size", who);
  strides_ = standardize_tuple(o_.strides, 2, "strides", who);
  dilation_rate_ = standardize_tuple(o_.dilation_rate, 2, "dilation_rate", who);
  o_.strides = strides_;
  o_.dilation_rate = dilation_rate_;
  o_.padding = standardize_padding(o_.padding, who);
  o_.data_format = standardize_data_format(o_.data_format, who);
  if ((strides_[0] > 1 || strides_[1] > 1) && (dilation_rate_[0] > 1 || dilation_rate_[1] > 1))
    throw ValueError(who +
                     ": `strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                     "Received: strides=" +
                     tuple_str(strides_) + " and dilation_rate=" + tuple_str(dilation_rate_) + ".");
}

std::vector<Shape> DepthwiseConv2D::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("DepthwiseConv2D '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  // Symbolic calls (Layer::operator()(KerasTensor)) build layers through this function.
  if (!built()) {
    Layer::build(input_shapes);
    set_built(true);
  }
  return {output_shape(input_shapes[0])};
}

Shape DepthwiseConv2D::output_shape(const Shape& in) const {
  if (in.size() != 4)
    throw ValueError("Input 0 of layer '" + name() +
                     "' (DepthwiseConv2D) is incompatible: "
                     "expected ndim=4, found shape " +
                     shape_str(in) + ".");
  const bool first = o_.data_format == "channels_first";
  Shape out = in;
  for (int i = 0; i < 2; ++i) {
    const int axis = first ? i + 2 : i + 1;
    if (in[axis] < 0) continue;
    out[axis] = ops::conv_output_length(in[axis], kernel_size_[i], o_.padding, strides_[i],
                                        dilation_rate_[i]);
    if (out[axis] <= 0)
      throw ValueError("DepthwiseConv2D '" + name() +
                       "': computed output size would be "
                       "negative. Received inputs shape=" +
                       shape_str(in) + ", kernel_size=" + tuple_str(kernel_size_) + ".");
  }
  const int caxis = first ? 1 : 3;
  if (in[caxis] >= 0) out[caxis] = in[caxis] * o_.depth_multiplier;
  return out;
}

void DepthwiseConv2D::build(const Shape& input_shape) {
  output_shape(input_shape);  // validates rank and sizes
  const int64_t channels = o_.data_format == "channels_first" ? input_shape[1] : input_shape[3];
  if (channels < 0)
    throw ValueError("DepthwiseConv2D '" + name() +
                     "': the channel dimension of the inputs must "
                     "be defined. Received input shape " +
                     shape_str(input_shape) + ".");
  // Keras 3's name; tf.keras called it "depthwise_kernel" (see the header).
  kernel_ = add_weight("kernel", {kernel_size_[0], kernel_size_[1], channels, o_.depth_multiplier},
                       {.initializer = o_.depthwise_initializer,
                        .trainable = true,
                        .dtype = std::nullopt,
                        .regularizer = o_.depthwise_regularizer,
                        .constraint = o_.depthwise_constraint});
  if (o_.use_bias)
    bias_ = add_weight("bias", {channels * o_.depth_multiplier},
                       {.initializer = o_.bias_initializer,
                        .trainable = true,
                        .dtype = std::nullopt,
                        .regularizer = o_.bias_regularizer,
                        .constraint = o_.bias_constraint});
}

Tensor DepthwiseConv2D::call(const Tensor& x, bool training) {
  (void)training;
  const bool first = o_.data_format == "channels_first";
  if (x.ndim() != 4 || (first ? x.dim(1) : x.dim(3)) != kernel_.shape()[2])
    throw ValueError("Input 0 of layer '" + name() +
                     "' (DepthwiseConv2D) is incompatible: "
                     "expected 4-D inputs with " +
                     std::to_string(kernel_.shape()[2]) + " channels, found shape " +
                     shape_str(x.shape()) + ".");
  Tensor in = x.dtype() == dtype() ? x : x.astype(dtype());
  if (first) in = detail::to_channels_last(in);
  Tensor y = ops::depthwise_conv2d(in, kernel_.value(), strides_, o_.padding, dilation_rate_);
  if (o_.use_bias) y = y + bias_.value();
  if (!o_.activation.empty() && o_.activation != "linear") y = ops::activation(o_.activation, y);
  if (first) y = detail::to_channels_first(y);
  if (o_.activity_regularizer) add_loss((*o_.activity_regularizer.get())(y));
  return y;
}

void DepthwiseConv2D::config(ConfigIO& io) {
  Layer::config(io);
  io("depth_multiplier", o_.depth_multiplier);
  IntTuple kernel_size(kernel_size_);
  io("kernel_size", kernel_size);
  io("strides", o_.strides);
  io("padding", o_.padding);
  io("data_format", o_.data_format);
  io("dilation_rate", o_.dilation_rate);
  std::string activation = activation_config_name(o_.activation);
  io("activation", activation);
  io("use_bias", o_.use_bias);
  io("depthwise_initializer", o_.depthwise_initializer);
  io("bias_initializer", o_.bias_initializer);
  io("depthwise_regularizer", o_.depthwise_regularizer);
  io("bias_regularizer", o_.bias_regularizer);
  io("activity_regularizer", o_.activity_regularizer);
  io("depthwise_constraint", o_.depthwise_constraint);
  io("bias_constraint", o_.bias_constraint);
  if (io.reading()) {
    o_.activation = activation_option(activation);
    kernel_size_ = kernel_size.values;
    validate();
  }
}

}  // namespace keras::layers
