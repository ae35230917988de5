#include "keras/layers/core/dense.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

Dense::Dense(int64_t units, const DenseOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "Dense"),
      units_(units),
      o_(options) {
  if (units <= 0)
    throw ValueError("Received an invalid value for `units`, expected a positive integer. "
                     "Received: units=" + std::to_string(units));
}

void Dense::build(const Shape& input_shape) {
  if (input_shape.empty() || input_shape.back() < 0)
    throw ValueError("Dense '" + name() + "': the last dimension of the inputs must be known; "
                     "received input shape " + shape_str(input_shape) + ".");
  const int64_t in = input_shape.back();
  kernel_ = add_weight("kernel", {in, units_},
                       {.initializer = o_.kernel_initializer,
                        .regularizer = o_.kernel_regularizer,
                        .constraint = o_.kernel_constraint});
  if (o_.use_bias)
    bias_ = add_weight("bias", {units_},
                       {.initializer = o_.bias_initializer,
                        .regularizer = o_.bias_regularizer,
                        .constraint = o_.bias_constraint});
}

Tensor Dense::call(const Tensor& x, bool training) {
  (void)training;
  if (x.ndim() == 0 || x.dim(-1) != kernel_.shape()[0])
    throw ValueError("Input of layer '" + name() + "' is incompatible: expected last axis " +
                     std::to_string(kernel_.shape()[0]) + ", found shape " + shape_str(x.shape()) +
                     ".");
  Tensor in = x.dtype() == dtype() ? x : x.astype(dtype());
  Tensor y;
  if (in.ndim() == 2) {
    y = ops::matmul(in, kernel_);
  } else {  // Dense applies to the last axis of any rank
    Shape out_shape = in.shape();
    out_shape.back() = units_;
    y = ops::matmul(in.reshape({-1, in.dim(-1)}), kernel_).reshape(out_shape);
  }
  if (o_.use_bias) y = y + bias_.value();
  if (!o_.activation.empty() && o_.activation != "linear") y = ops::activation(o_.activation, y);
  if (o_.activity_regularizer) add_loss((*o_.activity_regularizer.get())(y));
  return y;
}

void Dense::config(ConfigIO& io) {
  Layer::config(io);
  io("units", units_);
  std::string activation = o_.activation.empty() ? "linear" : o_.activation;
  io("activation", activation);
  if (io.reading()) o_.activation = activation == "linear" ? "" : activation;
  io("use_bias", o_.use_bias);
  io("kernel_initializer", o_.kernel_initializer);
  io("bias_initializer", o_.bias_initializer);
  io("kernel_regularizer", o_.kernel_regularizer);
  io("bias_regularizer", o_.bias_regularizer);
  io("activity_regularizer", o_.activity_regularizer);
  io("kernel_constraint", o_.kernel_constraint);
  io("bias_constraint", o_.bias_constraint);
}

}  // namespace keras::layers
