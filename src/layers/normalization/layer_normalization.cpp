#include "keras/layers/normalization/layer_normalization.hpp"

#include "core/ops/nn_batchnorm.hpp"
#include "keras/ops.hpp"

namespace keras::layers {

LayerNormalization::LayerNormalization(const LayerNormalizationOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "LayerNormalization"),
      o_(options) {
  if (o_.axis.empty())
    throw ValueError("LayerNormalization '" + name() +
                     "': `axis` must be an int or a non-empty "
                     "list of ints. Received: axis=().");
}

std::vector<int> LayerNormalization::normalized_axes(int ndim) const {
  std::vector<int> axes;
  for (int64_t a : o_.axis.values) {
    if (a < -ndim || a >= ndim)
      throw ValueError("LayerNormalization '" + name() + "': axis " + std::to_string(a) +
                       " is out of bounds for inputs of rank " + std::to_string(ndim) +
                       "; expected axes in [" + std::to_string(-ndim) + ", " +
                       std::to_string(ndim) + ").");
    axes.push_back(static_cast<int>(a < 0 ? a + ndim : a));
  }
  return axes;
}

std::vector<Shape> LayerNormalization::compute_output_shape(
    const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("LayerNormalization '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  // Symbolic calls (Layer::operator()(KerasTensor)) build layers through this function.
  if (!built()) {
    Layer::build(input_shapes);
    set_built(true);
  }
  normalized_axes(static_cast<int>(input_shapes[0].size()));
  return input_shapes;
}

void LayerNormalization::build(const Shape& input_shape) {
  const int nd = static_cast<int>(input_shape.size());
  Shape shape;
  for (int a : normalized_axes(nd)) {
    if (input_shape[a] < 0)
      throw ValueError("LayerNormalization '" + name() + "': axis " + std::to_string(a) +
                       " of the inputs must have a known size; received input shape " +
                       shape_str(input_shape) + ".");
    shape.push_back(input_shape[a]);
  }
  ndim_ = nd;
  if (o_.scale || o_.rms_scaling)
    gamma_ = add_weight("gamma", shape,
                        {.initializer = o_.gamma_initializer,
                         .trainable = true,
                         .dtype = std::nullopt,
                         .regularizer = o_.gamma_regularizer,
                         .constraint = o_.gamma_constraint});
  if (o_.center && !o_.rms_scaling)
    beta_ = add_weight("beta", shape,
                       {.initializer = o_.beta_initializer,
                        .trainable = true,
                        .dtype = std::nullopt,
                        .regularizer = o_.beta_regularizer,
                        .constraint = o_.beta_constraint});
}

Tensor LayerNormalization::call(const Tensor& x, bool training) {
  (void)training;
  if (x.ndim() != ndim_)
    throw ValueError("Input 0 of layer '" + name() +
                     "' (LayerNormalization) is incompatible: "
                     "expected ndim=" +
                     std::to_string(ndim_) + ", found shape " + shape_str(x.shape()) + ".");
  const std::vector<int> axes = normalized_axes(ndim_);
  const Tensor in = x.dtype() == dtype() ? x : x.astype(dtype());
  const Tensor gamma = gamma_.defined() ? gamma_.value() : Tensor();
  const Tensor beta = beta_.defined() ? beta_.value() : Tensor();
  // The fused kernel handles the usual case: axes are the trailing axes, in order.
  bool trailing = !o_.rms_scaling;
  for (size_t i = 0; i < axes.size(); ++i)
    trailing &= axes[i] == ndim_ - static_cast<int>(axes.size()) + static_cast<int>(i);
  if (gamma.defined() && gamma.shape() != Shape(x.shape().end() - axes.size(), x.shape().end()))
    trailing = false;
  Tensor y;
  if (trailing) {
    y = ops::layer_normalization(in, axes.front(), beta, gamma, o_.epsilon);
  } else {
    // Keras's composition, for other axes and rms_scaling.
    Shape bshape(ndim_, 1);
    for (int a : axes) bshape[a] = x.dim(a);
    auto broadcast = [&](const Tensor& v) { return v.reshape(bshape); };
    const Tensor variance = ops::var(in, axes, true);
    Tensor inv = ops::rsqrt(variance + o_.epsilon);
    if (o_.rms_scaling) {
      y = in * inv * broadcast(gamma);
    } else {
      const Tensor mean = ops::mean(in, axes, true);
      if (gamma.defined()) inv = inv * broadcast(gamma);
      Tensor res = -mean * inv;
      if (beta.defined()) res = res + broadcast(beta);
      y = in * inv + res;
    }
  }
  const bool half = x.dtype() == DType::float16 || x.dtype() == DType::bfloat16;
  return half ? y.astype(x.dtype()) : y;
}

void LayerNormalization::config(ConfigIO& io) {
  Layer::config(io);
  if (io.writing() && o_.axis.size() == 1 && !built()) {
    int64_t axis = o_.axis[0];
    io("axis", axis);
  } else {
    io("axis", o_.axis);
  }
  io("epsilon", o_.epsilon);
  io("center", o_.center);
  io("scale", o_.scale);
  io("rms_scaling", o_.rms_scaling);
  io("beta_initializer", o_.beta_initializer);
  io("gamma_initializer", o_.gamma_initializer);
  io("beta_regularizer", o_.beta_regularizer);
  io("gamma_regularizer", o_.gamma_regularizer);
  io("beta_constraint", o_.beta_constraint);
  io("gamma_constraint", o_.gamma_constraint);
  if (io.reading() && o_.axis.empty())
    throw ValueError("LayerNormalization '" + name() + "': `axis` must not be empty.");
}

}  // namespace keras::layers
