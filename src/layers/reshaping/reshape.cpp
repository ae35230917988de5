#include "keras/layers/reshaping/reshape.hpp"

#include <algorithm>

namespace keras::layers {

Reshape::Reshape(Shape target_shape, const LayerOptions& options)
    : Layer(options, "Reshape"), target_shape_(std::move(target_shape)) {
  validate();
  set_built(true);
}

void Reshape::validate() const {
  if (std::count(target_shape_.begin(), target_shape_.end(), -1) > 1)
    throw ValueError(
        "Reshape: the `target_shape` argument must not contain more than one `-1` "
        "value. Received: target_shape=" +
        shape_str(target_shape_));
  for (auto d : target_shape_)
    if (d < -1)
      throw ValueError(
          "Reshape: expected `target_shape` dimensions >= 0 or -1. Received: "
          "target_shape=" +
          shape_str(target_shape_));
}

Shape Reshape::resolve(const Shape& input_shape) const {
  // input_shape excludes the batch axis.
  const bool input_known =
      std::none_of(input_shape.begin(), input_shape.end(), [](int64_t d) { return d < 0; });
  if (!input_known) return target_shape_;  // -1 stays unknown
  int64_t input_size = 1;
  for (auto d : input_shape) input_size *= d;
  int64_t known = 1;
  int unknown_index = -1;
  for (size_t i = 0; i < target_shape_.size(); ++i) {
    if (target_shape_[i] == -1) {
      unknown_index = static_cast<int>(i);
    } else {
      known *= target_shape_[i];
    }
  }
  if (unknown_index < 0) {
    if (known != input_size)
      throw ValueError("Reshape '" + name() +
                       "': the total size of the tensor must be unchanged. "
                       "Received: input_shape=" +
                       shape_str(input_shape) + ", target_shape=" + shape_str(target_shape_));
    return target_shape_;
  }
  if (known == 0 || input_size % known != 0)
    throw ValueError("Reshape '" + name() +
                     "': the total size of the tensor must be unchanged, "
                     "however, the input size cannot be divided by the specified dimensions in "
                     "target_shape. Received: input_shape=" +
                     shape_str(input_shape) + ", target_shape=" + shape_str(target_shape_));
  Shape out = target_shape_;
  out[unknown_index] = input_size / known;
  return out;
}

Tensor Reshape::call(const Tensor& x, bool training) {
  (void)training;
  if (x.ndim() < 1)
    throw ValueError("Input 0 of layer '" + name() +
                     "' is incompatible with the layer: "
                     "expected a batch axis, found ndim=0.");
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  Shape out{in.dim(0)};
  const Shape rest = resolve(Shape(in.shape().begin() + 1, in.shape().end()));
  out.insert(out.end(), rest.begin(), rest.end());
  return in.reshape(out);
}

std::vector<Shape> Reshape::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1 || input_shapes[0].empty())
    throw ValueError("Input 0 of layer '" + name() +
                     "' is incompatible with the layer: "
                     "expected one input with a batch axis.");
  const Shape& s = input_shapes[0];
  Shape out{s[0]};
  const Shape rest = resolve(Shape(s.begin() + 1, s.end()));
  out.insert(out.end(), rest.begin(), rest.end());
  return {out};
}

void Reshape::config(ConfigIO& io) {
  Layer::config(io);
  io("target_shape", target_shape_);
  if (io.reading()) validate();
}

}  // namespace keras::layers
