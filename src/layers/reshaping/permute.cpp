#include "keras/layers/reshaping/permute.hpp"

#include <algorithm>

#include "keras/ops/linalg.hpp"

namespace keras::layers {

namespace {

std::string dims_str(const std::vector<int>& dims) {
  std::string s = "(";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + (dims.size() == 1 ? ",)" : ")");
}

}  // namespace

Permute::Permute(std::vector<int> dims, const LayerOptions& options)
    : Layer(options, "Permute"), dims_(std::move(dims)) {
  validate();
  set_built(true);
}

void Permute::validate() const {
  std::vector<int> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != static_cast<int>(i) + 1)
      throw ValueError(
          "Invalid permutation argument `dims` for Permute Layer. The set of "
          "indices in `dims` must be consecutive and start from 1. Received dims=" +
          dims_str(dims_));
}

void Permute::check_rank(const Shape& input_shape) const {
  if (input_shape.size() != dims_.size() + 1)
    throw ValueError("Input 0 of layer '" + name() +
                     "' is incompatible with the layer: expected "
                     "ndim=" +
                     std::to_string(dims_.size() + 1) +
                     ", found ndim=" + std::to_string(input_shape.size()) +
                     ". Full shape received: " + shape_str(input_shape));
}

Tensor Permute::call(const Tensor& x, bool training) {
  (void)training;
  check_rank(x.shape());
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  std::vector<int> axes{0};
  axes.insert(axes.end(), dims_.begin(), dims_.end());
  return ops::transpose(in, axes);
}

std::vector<Shape> Permute::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  check_rank(input_shapes[0]);
  Shape out{input_shapes[0][0]};
  for (int d : dims_) out.push_back(input_shapes[0][d]);
  return {out};
}

void Permute::config(ConfigIO& io) {
  Layer::config(io);
  io("dims", dims_);
  if (io.reading()) validate();
}

}  // namespace keras::layers
