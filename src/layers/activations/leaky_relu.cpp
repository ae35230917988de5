#include "keras/layers/activations/leaky_relu.hpp"

#include "keras/ops/math.hpp"

namespace keras::layers {

namespace {

void check_slope(double slope) {
  if (!(slope >= 0.0))
    throw ValueError(
        "The negative_slope value of a Leaky ReLU layer cannot be None or negative "
        "value. Expected a float. Received: negative_slope=" +
        std::to_string(slope));
}

}  // namespace

LeakyReLU::LeakyReLU(const LeakyReLUOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "LeakyReLU"),
      negative_slope_(options.negative_slope) {
  check_slope(negative_slope_);
  set_built(true);
}

Tensor LeakyReLU::call(const Tensor& x, bool training) {
  (void)training;
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  return ops::leaky_relu(in, negative_slope_);
}

std::vector<Shape> LeakyReLU::compute_output_shape(const std::vector<Shape>& input_shapes) {
  return input_shapes;
}

void LeakyReLU::config(ConfigIO& io) {
  Layer::config(io);
  if (io.reading()) io("alpha", negative_slope_);  // Keras 2 (tf.keras) spelling
  io("negative_slope", negative_slope_);
  if (io.reading()) check_slope(negative_slope_);
}

}  // namespace keras::layers
