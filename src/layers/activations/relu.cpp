#include "keras/layers/activations/relu.hpp"

#include "keras/ops/math.hpp"

namespace keras::layers {

ReLU::ReLU(const ReLUOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype}, "ReLU"),
      o_(options) {
  validate();
  set_built(true);
}

void ReLU::validate() const {
  if (o_.max_value && !(*o_.max_value >= 0.0))
    throw ValueError(
        "max_value of a ReLU layer cannot be a negative value. Received: "
        "max_value=" +
        std::to_string(*o_.max_value));
  if (!(o_.negative_slope >= 0.0))
    throw ValueError(
        "negative_slope of a ReLU layer cannot be a negative value. Received: "
        "negative_slope=" +
        std::to_string(o_.negative_slope));
  if (!(o_.threshold >= 0.0))
    throw ValueError(
        "threshold of a ReLU layer cannot be a negative value. Received: "
        "threshold=" +
        std::to_string(o_.threshold));
}

Tensor ReLU::call(const Tensor& x, bool training) {
  (void)training;
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  return ops::relu(in, o_.negative_slope, o_.max_value, o_.threshold);
}

std::vector<Shape> ReLU::compute_output_shape(const std::vector<Shape>& input_shapes) {
  return input_shapes;
}

void ReLU::config(ConfigIO& io) {
  Layer::config(io);
  io("max_value", o_.max_value);
  io("negative_slope", o_.negative_slope);
  io("threshold", o_.threshold);
  if (io.reading()) validate();
}

}  // namespace keras::layers
