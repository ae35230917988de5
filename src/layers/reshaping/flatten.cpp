#include "keras/layers/reshaping/flatten.hpp"

#include "keras/ops/linalg.hpp"

namespace keras::layers {

namespace {

void check_data_format(const std::string& data_format) {
  if (data_format != "channels_last" && data_format != "channels_first")
    throw ValueError(
        "Flatten: the `data_format` argument must be one of \"channels_first\", "
        "\"channels_last\". Received: data_format=" +
        data_format);
}

}  // namespace

Flatten::Flatten(const FlattenOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "Flatten"),
      data_format_(options.data_format) {
  check_data_format(data_format_);
  set_built(true);
}

Tensor Flatten::call(const Tensor& x, bool training) {
  (void)training;
  if (x.ndim() < 1)
    throw ValueError("Input 0 of layer '" + name() +
                     "' is incompatible with the layer: "
                     "expected min_ndim=1, found ndim=0. Full shape received: ()");
  Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  if (data_format_ == "channels_first" && in.ndim() > 2) {
    // Move the channels axis last: (0, 2, ..., n-1, 1).
    std::vector<int> axes{0};
    for (int i = 2; i < in.ndim(); ++i) axes.push_back(i);
    axes.push_back(1);
    in = ops::transpose(in, axes);
  }
  int64_t flat = 1;  // (batch,) flattens to (batch, 1)
  for (int i = 1; i < in.ndim(); ++i) flat *= in.dim(i);
  return in.reshape({in.dim(0), flat});
}

std::vector<Shape> Flatten::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1 || input_shapes[0].empty())
    throw ValueError("Input 0 of layer '" + name() +
                     "' is incompatible with the layer: "
                     "expected one input with min_ndim=1.");
  const Shape& s = input_shapes[0];
  int64_t flat = 1;
  for (size_t i = 1; i < s.size(); ++i) flat = s[i] < 0 || flat < 0 ? -1 : flat * s[i];
  return {{s[0], flat}};
}

void Flatten::config(ConfigIO& io) {
  Layer::config(io);
  io("data_format", data_format_);
  if (io.reading()) check_data_format(data_format_);
}

}  // namespace keras::layers
