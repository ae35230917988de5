// Fused normalization ops for the normalization layers (tf.nn.batch_normalization /
// keras.ops.batch_normalization, tf.raw_ops.FusedBatchNormV3 in training mode, and the
// layer-normalization kernel of keras.layers.LayerNormalization), each with its own backward.
//
// Internal to the library (declared here rather than in include/keras/ops/nn.hpp, which belongs
// to the ops owners); the layers use them. A composition of generic ops would sweep the input five
// to ten times and keep as many intermediates alive for the tape; these kernels make two sweeps
// forward and two backward and keep only the input and per-channel (per-row) statistics.
//
// Inputs are float32 or float64; the 1-D parameters are converted to the input's dtype. Sums run
// in double.
#pragma once

#include "keras/core/tensor.hpp"

namespace keras::ops {

// (x - mean) * rsqrt(variance + epsilon) * scale + offset along `axis` (every other axis is
// broadcast): mean, variance, offset and scale are 1-D of length x.shape[axis]; an undefined
// offset is 0 and an undefined scale 1. Differentiable wrt x, mean, variance, offset and scale.
Tensor batch_normalization(const Tensor& x, const Tensor& mean, const Tensor& variance, int axis,
                           const Tensor& offset, const Tensor& scale, double epsilon);

// Training-mode batch normalization: the mean and biased (population) variance of x over every
// axis but `axis` (keras.ops.moments), and x normalised with them, scaled and offset.
// The output's gradient flows to x (through the batch statistics too), scale and offset;
// `mean` and `variance` are plain values (for the moving averages) without gradient history.
struct BatchNormTrainingResult {
  Tensor output;
  Tensor mean;
  Tensor variance;
};
BatchNormTrainingResult batch_normalization_training(const Tensor& x, int axis,
                                                     const Tensor& offset, const Tensor& scale,
                                                     double epsilon);

// Layer normalization over the trailing axes [begin_axis, ndim): each row of x viewed as
// (rows, D) is normalised with its own mean and biased variance, then multiplied by scale and
// shifted by offset (both of the trailing shape, or undefined for 1 / 0). Differentiable wrt x,
// scale and offset.
Tensor layer_normalization(const Tensor& x, int begin_axis, const Tensor& offset,
                           const Tensor& scale, double epsilon);

}  // namespace keras::ops
