#include "keras/layers/activations/softmax.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

Softmax::Softmax(const SoftmaxOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "Softmax"),
      axis_(options.axis),
      axes_(options.axes) {
  set_built(true);
}

Tensor Softmax::call(const Tensor& x, bool training) {
  (void)training;
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  if (axes_.size() > 1) return ops::exp(in - ops::logsumexp(in, axes_, /*keepdims=*/true));
  return ops::softmax(in, axes_.size() == 1 ? axes_[0] : axis_);
}

Tensor Softmax::call_with_mask(const Tensor& x, const Tensor& mask) {
  if (!mask.defined()) return (*this)(x);
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  const double large_negative = in.dtype() == DType::float16 ? -3e4 : -1e9;
  const Tensor adder = (1.0 - ops::cast(mask, in.dtype())) * large_negative;
  return (*this)(in + adder);
}

std::vector<Shape> Softmax::compute_output_shape(const std::vector<Shape>& input_shapes) {
  return input_shapes;
}

void Softmax::config(ConfigIO& io) {
  Layer::config(io);
  if (io.writing()) {
    if (axes_.empty()) {
      io("axis", axis_);
    } else {
      io("axis", axes_);
    }
    return;
  }
  if (auto it = io.input()->find("axis"); it != io.input()->end()) {
    if (it->is_array()) {
      io("axis", axes_);
    } else {
      axes_.clear();
      io("axis", axis_);
    }
  }
}

void register_builtin_activations() {
  ops::register_activation("softmax", [](const Tensor& t) { return ops::softmax(t, -1); });
  ops::register_activation("log_softmax", [](const Tensor& t) { return ops::log_softmax(t, -1); });
}

}  // namespace keras::layers
