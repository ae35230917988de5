#include "keras/layers/merging/concatenate.hpp"

#include "keras/ops/array.hpp"

namespace keras::layers {

namespace {

std::string shapes_str(const std::vector<Shape>& shapes) {
  std::string s = "[";
  for (size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
  return s + "]";
}

}  // namespace

Concatenate::Concatenate(const ConcatenateOptions& options)
    : Merge({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "Concatenate"),
      axis_(options.axis) {}

void Concatenate::build(const std::vector<Shape>& input_shapes) {
  compute_output_shape(input_shapes);
}

std::vector<Shape> Concatenate::compute_output_shape(const std::vector<Shape>& input_shapes) {
  auto fail = [&](const std::string& why) {
    throw ValueError("A `Concatenate` layer ('" + name() +
                     "') requires inputs with matching "
                     "shapes except for the concatenation axis (axis=" +
                     std::to_string(axis_) + "): " + why +
                     ". Received: input_shape=" + shapes_str(input_shapes));
  };
  if (input_shapes.empty())
    throw ValueError("A `Concatenate` layer ('" + name() +
                     "') should be called on a list of at "
                     "least 1 input. Received 0 inputs.");
  const int rank = static_cast<int>(input_shapes[0].size());
  for (const auto& s : input_shapes)
    if (static_cast<int>(s.size()) != rank) fail("the ranks differ");
  const int axis = axis_ < 0 ? axis_ + rank : axis_;
  if (axis < 0 || axis >= rank) fail("the axis is out of range for rank " + std::to_string(rank));
  Shape out = input_shapes[0];
  for (size_t k = 1; k < input_shapes.size(); ++k) {
    const Shape& s = input_shapes[k];
    for (int i = 0; i < rank; ++i) {
      if (i == axis) {
        out[i] = out[i] < 0 || s[i] < 0 ? -1 : out[i] + s[i];
      } else if (out[i] >= 0 && s[i] >= 0 && out[i] != s[i]) {
        fail("dimension " + std::to_string(i) + " differs");
      } else if (out[i] < 0) {
        out[i] = s[i];
      }
    }
  }
  if (!built()) set_built(true);
  return {out};
}

std::vector<Tensor> Concatenate::call(const std::vector<Tensor>& inputs, bool training) {
  (void)training;
  std::vector<Shape> shapes;
  for (const auto& t : inputs) shapes.push_back(t.shape());
  compute_output_shape(shapes);
  std::vector<Tensor> xs;
  xs.reserve(inputs.size());
  for (const auto& t : inputs)
    xs.push_back(is_floating(t.dtype()) && t.dtype() != dtype() ? t.astype(dtype()) : t);
  return {merge_function(xs)};
}

Tensor Concatenate::merge_function(const std::vector<Tensor>& inputs) {
  return ops::concatenate(inputs, axis_);
}

void Concatenate::config(ConfigIO& io) {
  Layer::config(io);
  io("axis", axis_);
}

KerasTensor concatenate(const std::vector<KerasTensor>& inputs, int axis,
                        const LayerOptions& options) {
  return keras::Layer(Concatenate({.axis = axis,
                                   .name = options.name,
                                   .trainable = options.trainable,
                                   .dtype = options.dtype}))(inputs)
      .at(0);
}

Tensor concatenate(const std::vector<Tensor>& inputs, int axis, const LayerOptions& options) {
  return Concatenate({.axis = axis,
                      .name = options.name,
                      .trainable = options.trainable,
                      .dtype = options.dtype})(inputs)
      .at(0);
}

}  // namespace keras::layers
