#include "keras/layers/normalization/batch_normalization.hpp"

#include "core/ops/nn_batchnorm.hpp"
#include "keras/ops.hpp"

namespace keras::layers {

BatchNormalization::BatchNormalization(const BatchNormalizationOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "BatchNormalization"),
      o_(options) {}

std::vector<Shape> BatchNormalization::compute_output_shape(
    const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("BatchNormalization '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  // Symbolic calls (Layer::operator()(KerasTensor)) build layers through this function.
  if (!built()) {
    Layer::build(input_shapes);
    set_built(true);
  }
  return input_shapes;
}

void BatchNormalization::build(const Shape& input_shape) {
  const int nd = static_cast<int>(input_shape.size());
  if (o_.axis < -nd || o_.axis >= nd)
    throw ValueError("BatchNormalization '" + name() + "': axis " + std::to_string(o_.axis) +
                     " is out of range for inputs of shape " + shape_str(input_shape) +
                     "; expected an axis in [" + std::to_string(-nd) + ", " + std::to_string(nd) +
                     ").");
  const int64_t features = input_shape[o_.axis < 0 ? o_.axis + nd : o_.axis];
  if (features < 0)
    throw ValueError("BatchNormalization '" + name() + "': axis " + std::to_string(o_.axis) +
                     " of the inputs must have a known size; received input shape " +
                     shape_str(input_shape) + ".");
  ndim_ = nd;
  const Shape shape{features};
  if (o_.scale)
    gamma_ = add_weight("gamma", shape,
                        {.initializer = o_.gamma_initializer,
                         .trainable = true,
                         .dtype = std::nullopt,
                         .regularizer = o_.gamma_regularizer,
                         .constraint = o_.gamma_constraint});
  if (o_.center)
    beta_ = add_weight("beta", shape,
                       {.initializer = o_.beta_initializer,
                        .trainable = true,
                        .dtype = std::nullopt,
                        .regularizer = o_.beta_regularizer,
                        .constraint = o_.beta_constraint});
  moving_mean_ = add_weight("moving_mean", shape,
                            {.initializer = o_.moving_mean_initializer,
                             .trainable = false,
                             .dtype = std::nullopt,
                             .regularizer = {},
                             .constraint = {}});
  moving_variance_ = add_weight("moving_variance", shape,
                                {.initializer = o_.moving_variance_initializer,
                                 .trainable = false,
                                 .dtype = std::nullopt,
                                 .regularizer = {},
                                 .constraint = {}});
}

Tensor BatchNormalization::call(const Tensor& x, bool training) {
  const int axis = o_.axis < 0 ? o_.axis + ndim_ : o_.axis;
  if (x.ndim() != ndim_ || x.dim(axis) != moving_mean_.shape()[0])
    throw ValueError("Input 0 of layer '" + name() +
                     "' (BatchNormalization) is incompatible: "
                     "expected ndim=" +
                     std::to_string(ndim_) + " with axis " + std::to_string(o_.axis) + " of size " +
                     std::to_string(moving_mean_.shape()[0]) + ", found shape " +
                     shape_str(x.shape()) + ".");
  // Half-precision inputs are normalised in float32, as Keras does to avoid overflow.
  const Tensor in = x.dtype() == dtype() ? x : x.astype(dtype());
  const Tensor gamma = o_.scale ? gamma_.value() : Tensor();
  const Tensor beta = o_.center ? beta_.value() : Tensor();
  Tensor y;
  if (training && trainable()) {
    auto r = ops::batch_normalization_training(in, axis, beta, gamma, o_.epsilon);
    autograd::NoGradGuard guard;
    const double m = o_.momentum;
    moving_mean_.assign(moving_mean_.value() * m + r.mean.astype(moving_mean_.dtype()) * (1.0 - m));
    moving_variance_.assign(moving_variance_.value() * m +
                            r.variance.astype(moving_variance_.dtype()) * (1.0 - m));
    y = r.output;
  } else {
    y = ops::batch_normalization(in, moving_mean_.value(), moving_variance_.value(), axis, beta,
                                 gamma, o_.epsilon);
  }
  const bool half = x.dtype() == DType::float16 || x.dtype() == DType::bfloat16;
  return half ? y.astype(x.dtype()) : y;
}

void BatchNormalization::config(ConfigIO& io) {
  Layer::config(io);
  io("axis", o_.axis);
  io("momentum", o_.momentum);
  io("epsilon", o_.epsilon);
  io("center", o_.center);
  io("scale", o_.scale);
  io("beta_initializer", o_.beta_initializer);
  io("gamma_initializer", o_.gamma_initializer);
  io("moving_mean_initializer", o_.moving_mean_initializer);
  io("moving_variance_initializer", o_.moving_variance_initializer);
  io("beta_regularizer", o_.beta_regularizer);
  io("gamma_regularizer", o_.gamma_regularizer);
  io("beta_constraint", o_.beta_constraint);
  io("gamma_constraint", o_.gamma_constraint);
  io("synchronized", o_.synchronized);
}

}  // namespace keras::layers
