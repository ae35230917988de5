#include "keras/layers/reshaping/repeat_vector.hpp"

#include "keras/ops/array.hpp"

namespace keras::layers {

RepeatVector::RepeatVector(int64_t n, const LayerOptions& options)
    : Layer(options, "RepeatVector"), n_(n) {
  if (n < 0)
    throw ValueError("RepeatVector: expected a non-negative integer for `n`. Received: n=" +
                     std::to_string(n));
  set_built(true);
}

void RepeatVector::check_rank(const Shape& input_shape) const {
  if (input_shape.size() != 2)
    throw ValueError("Input 0 of layer '" + name() +
                     "' is incompatible with the layer: expected "
                     "ndim=2, found ndim=" +
                     std::to_string(input_shape.size()) +
                     ". Full shape received: " + shape_str(input_shape));
}

Tensor RepeatVector::call(const Tensor& x, bool training) {
  (void)training;
  check_rank(x.shape());
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  return ops::repeat(in.reshape({in.dim(0), 1, in.dim(1)}), n_, 1);
}

std::vector<Shape> RepeatVector::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  check_rank(input_shapes[0]);
  return {{input_shapes[0][0], n_, input_shapes[0][1]}};
}

void RepeatVector::config(ConfigIO& io) {
  Layer::config(io);
  io("n", n_);
  if (io.reading() && n_ < 0)
    throw ValueError("RepeatVector: expected a non-negative integer for `n`. Received: n=" +
                     std::to_string(n_));
}

}  // namespace keras::layers
