#include "keras/layers/pooling/base_global_pooling.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

BaseGlobalPooling::BaseGlobalPooling(int rank, const GlobalPoolingOptions& options,
                                     std::string mode, std::string class_name)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            std::move(class_name)),
      rank_(rank),
      mode_(std::move(mode)),
      o_(options) {
  o_.data_format =
      standardize_data_format(o_.data_format, this->class_name() + " '" + name() + "'");
}

std::vector<int> BaseGlobalPooling::spatial_axes() const {
  std::vector<int> axes;
  const int start = o_.data_format == "channels_first" ? 2 : 1;
  for (int i = 0; i < rank_; ++i) axes.push_back(start + i);
  return axes;
}

void BaseGlobalPooling::check_input(const Shape& shape) const {
  if (static_cast<int>(shape.size()) != rank_ + 2)
    throw ValueError("Input 0 of layer '" + name() + "' (" + class_name() +
                     ") is incompatible: expected ndim=" + std::to_string(rank_ + 2) +
                     ", found ndim=" + std::to_string(shape.size()) +
                     ". Full shape received: " + shape_str(shape) + ".");
}

std::vector<Shape> BaseGlobalPooling::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(class_name() + " '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  // Symbolic calls (Layer::operator()(KerasTensor)) build layers through this function.
  if (!built()) {
    Layer::build(input_shapes);
    set_built(true);
  }
  const Shape& in = input_shapes[0];
  check_input(in);
  Shape out;
  const auto axes = spatial_axes();
  for (int i = 0; i < static_cast<int>(in.size()); ++i) {
    const bool spatial = i >= axes.front() && i <= axes.back();
    if (!spatial) {
      out.push_back(in[i]);
    } else if (o_.keepdims) {
      out.push_back(1);
    }
  }
  return {out};
}

Tensor BaseGlobalPooling::call(const Tensor& x, bool training) {
  (void)training;
  check_input(x.shape());
  if (mode_ == "max") return ops::max(x, spatial_axes(), o_.keepdims);
  return ops::mean(x, spatial_axes(), o_.keepdims);
}

void BaseGlobalPooling::config(ConfigIO& io) {
  Layer::config(io);
  io("data_format", o_.data_format);
  io("keepdims", o_.keepdims);
  if (io.reading())
    o_.data_format = standardize_data_format(o_.data_format, class_name() + " '" + name() + "'");
}

}  // namespace keras::layers
