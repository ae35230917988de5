#include "keras/layers/pooling/base_pooling.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

BasePooling::BasePooling(int rank, const IntTuple& pool_size, const PoolingOptions& options,
                         std::string mode, std::string class_name)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            std::move(class_name)),
      rank_(rank),
      mode_(std::move(mode)),
      pool_size_arg_(pool_size),
      o_(options) {
  validate();
}

void BasePooling::validate() {
  const std::string who = class_name() + " '" + name() + "'";
  pool_size_ = standardize_tuple(pool_size_arg_, rank_, "pool_size", who);
  // Keras: strides = pool_size if strides is None.
  strides_ =
      standardize_tuple(o_.strides.empty() ? pool_size_arg_ : o_.strides, rank_, "strides", who);
  pool_size_arg_ = pool_size_;
  o_.strides = strides_;
  standardize_padding(o_.padding, who);  // Keras keeps the spelling given; validate it only
  o_.data_format = standardize_data_format(o_.data_format, who);
}

void BasePooling::check_input(const Shape& shape) const {
  if (static_cast<int>(shape.size()) != rank_ + 2)
    throw ValueError("Input 0 of layer '" + name() + "' (" + class_name() +
                     ") is incompatible: expected ndim=" + std::to_string(rank_ + 2) +
                     ", found ndim=" + std::to_string(shape.size()) +
                     ". Full shape received: " + shape_str(shape) + ".");
}

std::vector<Shape> BasePooling::compute_output_shape(const std::vector<Shape>& input_shapes) {
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

Shape BasePooling::output_shape(const Shape& in) const {
  check_input(in);
  const bool first = o_.data_format == "channels_first";
  const std::string padding = standardize_padding(o_.padding, name());
  Shape out = in;
  for (int i = 0; i < rank_; ++i) {
    const int axis = first ? i + 2 : i + 1;
    if (in[axis] < 0) continue;
    out[axis] = ops::conv_output_length(in[axis], pool_size_[i], padding, strides_[i]);
    if (out[axis] <= 0)
      throw ValueError(class_name() + " '" + name() +
                       "': computed output size would be "
                       "negative. Received inputs shape=" +
                       shape_str(in) + ", pool_size=" + tuple_str(pool_size_) +
                       ", strides=" + tuple_str(strides_) + ".");
  }
  return out;
}

Tensor BasePooling::call(const Tensor& x, bool training) {
  (void)training;
  output_shape(x.shape());  // Keras's shape checks (rank, windows larger than a "valid" input)
  const bool first = o_.data_format == "channels_first";
  Tensor in = first ? detail::to_channels_last(x) : x;
  const std::string padding = standardize_padding(o_.padding, name());
  Tensor y;
  if (rank_ == 1) {
    y = mode_ == "max" ? ops::max_pool1d(in, pool_size_[0], strides_[0], padding)
                       : ops::avg_pool1d(in, pool_size_[0], strides_[0], padding);
  } else {
    y = mode_ == "max" ? ops::max_pool2d(in, pool_size_, strides_, padding)
                       : ops::avg_pool2d(in, pool_size_, strides_, padding);
  }
  return first ? detail::to_channels_first(y) : y;
}

void BasePooling::config(ConfigIO& io) {
  Layer::config(io);
  io("pool_size", pool_size_arg_);
  io("padding", o_.padding);
  io("strides", o_.strides);
  io("data_format", o_.data_format);
  if (io.reading()) validate();
}

}  // namespace keras::layers
