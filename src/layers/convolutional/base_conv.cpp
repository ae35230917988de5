#include "keras/layers/convolutional/base_conv.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

BaseConv::BaseConv(int rank, int64_t filters, const IntTuple& kernel_size,
                   const ConvOptions& options, std::string class_name)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            std::move(class_name)),
      rank_(rank),
      filters_(filters),
      kernel_size_(kernel_size.values),
      o_(options) {
  validate();
}

void BaseConv::validate() {
  const std::string who = class_name() + " '" + name() + "'";
  if (filters_ <= 0)
    throw ValueError(who +
                     ": invalid value for argument `filters`. Expected a strictly positive "
                     "value. Received filters=" +
                     std::to_string(filters_) + ".");
  if (o_.groups <= 0)
    throw ValueError(who + ": the number of groups must be a positive integer. Received: groups=" +
                     std::to_string(o_.groups) + ".");
  if (filters_ % o_.groups != 0)
    throw ValueError(who +
                     ": the number of filters must be evenly divisible by the number of "
                     "groups. Received: groups=" +
                     std::to_string(o_.groups) + ", filters=" + std::to_string(filters_) + ".");
  kernel_size_ = standardize_tuple(kernel_size_, rank_, "kernel_size", who);
  strides_ = standardize_tuple(o_.strides, rank_, "strides", who);
  dilation_rate_ = standardize_tuple(o_.dilation_rate, rank_, "dilation_rate", who);
  o_.strides = strides_;
  o_.dilation_rate = dilation_rate_;
  o_.padding = standardize_padding(o_.padding, who, /*allow_causal=*/rank_ == 1);
  o_.data_format = standardize_data_format(o_.data_format, who);
  bool any_stride = false, any_dilation = false;
  for (int i = 0; i < rank_; ++i) {
    any_stride |= strides_[i] > 1;
    any_dilation |= dilation_rate_[i] > 1;
  }
  if (any_stride && any_dilation)
    throw ValueError(who +
                     ": `strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                     "Received: strides=" +
                     tuple_str(strides_) + " and dilation_rate=" + tuple_str(dilation_rate_) + ".");
}

std::vector<Shape> BaseConv::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(class_name() + " '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  // Symbolic calls (Layer::operator()(KerasTensor)) build layers through this function.
  if (!built()) {
    Layer::build(input_shapes);
    set_built(true);
  }
  return {output_shape(input_shapes[0])};
}

Shape BaseConv::output_shape(const Shape& in) const {
  if (static_cast<int>(in.size()) != rank_ + 2)
    throw ValueError("Input 0 of layer '" + name() + "' (" + class_name() +
                     ") is incompatible: expected ndim=" + std::to_string(rank_ + 2) +
                     ", found ndim=" + std::to_string(in.size()) +
                     ". Full shape received: " + shape_str(in) + ".");
  const bool first = o_.data_format == "channels_first";
  Shape out = in;
  for (int i = 0; i < rank_; ++i) {
    const int axis = first ? i + 2 : i + 1;
    if (in[axis] < 0) continue;
    const int64_t n = ops::conv_output_length(in[axis], kernel_size_[i], o_.padding, strides_[i],
                                              dilation_rate_[i]);
    if (n <= 0)
      throw ValueError(class_name() + " '" + name() +
                       "': computed output size would be "
                       "negative. Received inputs shape=" +
                       shape_str(in) + ", kernel_size=" + tuple_str(kernel_size_) +
                       ", dilation_rate=" + tuple_str(dilation_rate_) + ".");
    out[axis] = n;
  }
  out[first ? 1 : rank_ + 1] = filters_;
  return out;
}

void BaseConv::build(const Shape& input_shape) {
  output_shape(input_shape);  // validates rank and sizes
  const int64_t channels = o_.data_format == "channels_first" ? input_shape[1] : input_shape.back();
  if (channels < 0)
    throw ValueError(class_name() + " '" + name() +
                     "': the channel dimension of the inputs "
                     "must be defined. Received input shape " +
                     shape_str(input_shape) + ".");
  if (channels % o_.groups != 0)
    throw ValueError(class_name() + " '" + name() +
                     "': the number of input channels must be "
                     "evenly divisible by the number of groups. Received groups=" +
                     std::to_string(o_.groups) + ", but the input has " + std::to_string(channels) +
                     " channels (full input shape is " + shape_str(input_shape) + ").");
  Shape kshape(kernel_size_.begin(), kernel_size_.end());
  kshape.push_back(channels / o_.groups);
  kshape.push_back(filters_);
  kernel_ = add_weight("kernel", kshape,
                       {.initializer = o_.kernel_initializer,
                        .trainable = true,
                        .dtype = std::nullopt,
                        .regularizer = o_.kernel_regularizer,
                        .constraint = o_.kernel_constraint});
  if (o_.use_bias)
    bias_ = add_weight("bias", {filters_},
                       {.initializer = o_.bias_initializer,
                        .trainable = true,
                        .dtype = std::nullopt,
                        .regularizer = o_.bias_regularizer,
                        .constraint = o_.bias_constraint});
}

Tensor BaseConv::convolve(const Tensor& x, const Tensor& kernel) const {
  if (rank_ == 1) return ops::conv1d(x, kernel, strides_[0], o_.padding, dilation_rate_[0]);
  return ops::conv2d(x, kernel, strides_, o_.padding, dilation_rate_);
}

Tensor BaseConv::call(const Tensor& x, bool training) {
  (void)training;
  if (x.ndim() != rank_ + 2)
    throw ValueError("Input 0 of layer '" + name() + "' (" + class_name() +
                     ") is incompatible: expected ndim=" + std::to_string(rank_ + 2) +
                     ", found ndim=" + std::to_string(x.ndim()) +
                     ". Full shape received: " + shape_str(x.shape()) + ".");
  const bool first = o_.data_format == "channels_first";
  Tensor in = x.dtype() == dtype() ? x : x.astype(dtype());
  if (first) in = detail::to_channels_last(in);
  const int64_t in_channels = kernel_.shape()[rank_] * o_.groups;
  if (in.dim(-1) != in_channels)
    throw ValueError("Input 0 of layer '" + name() + "' (" + class_name() +
                     ") is incompatible: expected " + std::to_string(in_channels) +
                     " input channels, found shape " + shape_str(x.shape()) + ".");
  Tensor y;
  if (o_.groups == 1) {
    y = convolve(in, kernel_.value());
  } else {
    // Group g sees input channels [g*C/G, (g+1)*C/G) and produces filters [g*F/G, (g+1)*F/G).
    const auto xs = ops::split(in, o_.groups, -1);
    const auto ks = ops::split(kernel_.value(), o_.groups, -1);
    std::vector<Tensor> ys;
    for (int64_t g = 0; g < o_.groups; ++g) ys.push_back(convolve(xs[g], ks[g]));
    y = ops::concatenate(ys, -1);
  }
  if (o_.use_bias) y = y + bias_.value();
  if (!o_.activation.empty() && o_.activation != "linear") y = ops::activation(o_.activation, y);
  if (first) y = detail::to_channels_first(y);
  if (o_.activity_regularizer) add_loss((*o_.activity_regularizer.get())(y));
  return y;
}

void BaseConv::config(ConfigIO& io) {
  Layer::config(io);
  io("filters", filters_);
  IntTuple kernel_size(kernel_size_);
  io("kernel_size", kernel_size);
  io("strides", o_.strides);
  io("padding", o_.padding);
  io("data_format", o_.data_format);
  io("dilation_rate", o_.dilation_rate);
  io("groups", o_.groups);
  std::string activation = activation_config_name(o_.activation);
  io("activation", activation);
  io("use_bias", o_.use_bias);
  io("kernel_initializer", o_.kernel_initializer);
  io("bias_initializer", o_.bias_initializer);
  io("kernel_regularizer", o_.kernel_regularizer);
  io("bias_regularizer", o_.bias_regularizer);
  io("activity_regularizer", o_.activity_regularizer);
  io("kernel_constraint", o_.kernel_constraint);
  io("bias_constraint", o_.bias_constraint);
  if (io.reading()) {
    o_.activation = activation_option(activation);
    kernel_size_ = kernel_size.values;
    validate();
  }
}

}  // namespace keras::layers
