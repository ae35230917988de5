#include "keras/layers/reshaping/up_sampling2d.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "keras/ops.hpp"

namespace keras::layers {

namespace {

// tf.image.resize(method="bilinear") along one axis with half-pixel centers (TF's
// compute_interpolation_weights with HalfPixelScaler): output i reads source position
// (i + 0.5) * in / out - 0.5 between rows floor and ceil of it, clamped to the image.
Tensor resize_linear_axis(const Tensor& x, int axis, int64_t out_size) {
  const int64_t in_size = x.dim(axis);
  const double scale = static_cast<double>(in_size) / static_cast<double>(out_size);
  std::vector<int64_t> lower(out_size), upper(out_size);
  std::vector<double> lerp(out_size);
  for (int64_t i = 0; i < out_size; ++i) {
    const double in = (static_cast<double>(i) + 0.5) * scale - 0.5;
    const double in_f = std::floor(in);
    lower[i] = std::max<int64_t>(static_cast<int64_t>(in_f), 0);
    upper[i] = std::min<int64_t>(static_cast<int64_t>(std::ceil(in)), in_size - 1);
    lerp[i] = in - in_f;
  }
  Shape wshape(x.ndim(), 1);
  wshape[axis] = out_size;
  const Tensor w = Tensor::from_vector(lerp, wshape).astype(x.dtype());
  const Tensor lo = ops::take(x, Tensor::from_vector(lower), axis);
  const Tensor hi = ops::take(x, Tensor::from_vector(upper), axis);
  return lo + (hi - lo) * w;
}

}  // namespace

UpSampling2D::UpSampling2D(const IntTuple& size, const UpSampling2DOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "UpSampling2D"),
      size_arg_(size),
      o_(options) {
  validate();
}

void UpSampling2D::validate() {
  const std::string who = "UpSampling2D '" + name() + "'";
  size_ = standardize_tuple(size_arg_, 2, "size", who);
  size_arg_ = size_;
  o_.data_format = standardize_data_format(o_.data_format, who);
  for (auto& c : o_.interpolation)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (o_.interpolation != "nearest" && o_.interpolation != "bilinear")
    throw ValueError(who +
                     ": `interpolation` must be \"nearest\" or \"bilinear\" (bicubic, "
                     "lanczos3 and lanczos5 are not supported). Received: interpolation=" +
                     o_.interpolation + ".");
}

std::vector<Shape> UpSampling2D::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1 || input_shapes[0].size() != 4)
    throw ValueError("Input 0 of layer '" + name() +
                     "' (UpSampling2D) is incompatible: "
                     "expected ndim=4, found shape " +
                     (input_shapes.empty() ? std::string("()") : shape_str(input_shapes[0])) + ".");
  // Symbolic calls (Layer::operator()(KerasTensor)) build layers through this function.
  if (!built()) {
    Layer::build(input_shapes);
    set_built(true);
  }
  Shape out = input_shapes[0];
  const int h = o_.data_format == "channels_first" ? 2 : 1;
  for (int i = 0; i < 2; ++i)
    if (out[h + i] >= 0) out[h + i] *= size_[i];
  return {out};
}

Tensor UpSampling2D::call(const Tensor& x, bool training) {
  (void)training;
  if (x.ndim() != 4)
    throw ValueError("Input 0 of layer '" + name() +
                     "' (UpSampling2D) is incompatible: "
                     "expected ndim=4, found shape " +
                     shape_str(x.shape()) + ".");
  const int h = o_.data_format == "channels_first" ? 2 : 1;
  if (o_.interpolation == "nearest")
    return ops::repeat(ops::repeat(x, size_[0], h), size_[1], h + 1);
  Tensor in = x.dtype() == dtype() ? x : x.astype(dtype());
  Tensor y = resize_linear_axis(in, h, in.dim(h) * size_[0]);
  return resize_linear_axis(y, h + 1, in.dim(h + 1) * size_[1]);
}

void UpSampling2D::config(ConfigIO& io) {
  Layer::config(io);
  io("size", size_arg_);
  io("data_format", o_.data_format);
  io("interpolation", o_.interpolation);
  if (io.reading()) validate();
}

}  // namespace keras::layers
