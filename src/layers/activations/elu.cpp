#include "keras/layers/activations/elu.hpp"

#include "keras/ops/math.hpp"

namespace keras::layers {

ELU::ELU(const ELUOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype}, "ELU"),
      alpha_(options.alpha) {
  set_built(true);
}

Tensor ELU::call(const Tensor& x, bool training) {
  (void)training;
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  return ops::elu(in, alpha_);
}

std::vector<Shape> ELU::compute_output_shape(const std::vector<Shape>& input_shapes) {
  return input_shapes;
}

void ELU::config(ConfigIO& io) {
  Layer::config(io);
  io("alpha", alpha_);
}

}  // namespace keras::layers
