#include "keras/layers/core/activation.hpp"

#include "keras/ops/math.hpp"

namespace keras::layers {

namespace {

void check_activation(const std::string& name) {
  // Resolving on a 0-d tensor raises UnknownObjectError, listing the known names, for an
  // unknown identifier; "linear" and "" (Keras's None) need no lookup.
  if (name.empty() || name == "linear") return;
  for (const auto& known : ops::activation_names())
    if (known == name) return;
  ops::activation(name, Tensor::zeros({}));
}

}  // namespace

Activation::Activation(std::string activation, const LayerOptions& options)
    : Layer(options, "Activation"), activation_(std::move(activation)) {
  if (activation_.empty()) activation_ = "linear";
  check_activation(activation_);
  set_built(true);
}

Tensor Activation::call(const Tensor& x, bool training) {
  (void)training;
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  if (activation_ == "linear") return in;
  return ops::activation(activation_, in);
}

std::vector<Shape> Activation::compute_output_shape(const std::vector<Shape>& input_shapes) {
  return input_shapes;
}

void Activation::config(ConfigIO& io) {
  Layer::config(io);
  io("activation", activation_);
  if (io.reading()) {
    if (activation_.empty()) activation_ = "linear";
    check_activation(activation_);
  }
}

}  // namespace keras::layers
