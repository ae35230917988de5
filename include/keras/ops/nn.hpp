// Neural-network window ops (keras.ops.conv, depthwise_conv, max_pool, average_pool; tf.nn.*).
//
// Layout is channels_last, Keras's default: inputs are (N, W, C) for 1-D ops and (N, H, W, C) for
// 2-D ops. Kernels are laid out as Keras stores them: Conv1D (k, in, out), Conv2D
// (kh, kw, in, out), DepthwiseConv2D (kh, kw, in, depth_multiplier), Conv2DTranspose
// (kh, kw, out, in). Padding is "valid" or "same" (case-insensitive) with TensorFlow's arithmetic:
// "same" gives out = ceil(in / stride), pads pad_total = max((out-1)*stride + (k-1)*dilation + 1
// - in, 0) of which pad_total/2 go before and the rest after. 2-D window arguments take one value
// (used for both axes, as a Keras int) or two (height, width). Inputs are float32 or float64 and
// every op is differentiable wrt its input and kernel under a GradientTape. Bad shapes, channel
// mismatches and non-positive strides raise ValueError naming the op and the shapes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::ops {

// Output length of one spatial axis (Keras's conv_output_length with TF's arithmetic):
// "valid": ceil((in - (k-1)*dilation) / stride) (may be <= 0); "same" and "causal":
// ceil(in / stride). Throws ValueError for another padding or a non-positive stride/dilation.
int64_t conv_output_length(int64_t input_length, int64_t kernel_size, const std::string& padding,
                           int64_t stride, int64_t dilation = 1);

// tf.nn.conv1d / keras.ops.conv on (N, W, C) with a (k, C, out) kernel -> (N, outW, out).
// padding also accepts "causal" (Keras Conv1D): (k-1)*dilation zeros before, none after.
Tensor conv1d(const Tensor& x, const Tensor& kernel, int64_t strides = 1,
              const std::string& padding = "valid", int64_t dilation_rate = 1);

// tf.nn.conv2d / keras.ops.conv on (N, H, W, C) with a (kh, kw, C, out) kernel
// -> (N, outH, outW, out). Computed as im2col + one GEMM.
Tensor conv2d(const Tensor& x, const Tensor& kernel, const std::vector<int64_t>& strides = {1},
              const std::string& padding = "valid",
              const std::vector<int64_t>& dilation_rate = {1});

// tf.nn.depthwise_conv2d / keras.ops.depthwise_conv on (N, H, W, C) with a (kh, kw, C, M) kernel
// -> (N, outH, outW, C*M); output channel c*M + m is input channel c filtered by kernel[..., c, m].
Tensor depthwise_conv2d(const Tensor& x, const Tensor& kernel,
                        const std::vector<int64_t>& strides = {1},
                        const std::string& padding = "valid",
                        const std::vector<int64_t>& dilation_rate = {1});

// tf.nn.conv2d_transpose / keras.ops.conv_transpose on (N, H, W, in) with Keras's
// Conv2DTranspose kernel (kh, kw, out, in) -> (N, outH, outW, out), the gradient of conv2d wrt
// its input. Output size per axis as Keras's deconv_output_length without output_padding:
// "valid": in*stride + max(dilated_k - stride, 0); "same": in*stride.
Tensor conv2d_transpose(const Tensor& x, const Tensor& kernel,
                        const std::vector<int64_t>& strides = {1},
                        const std::string& padding = "valid",
                        const std::vector<int64_t>& dilation_rate = {1});

// tf.nn.max_pool1d / keras.ops.max_pool on (N, W, C). strides defaults to pool_size (Keras's
// strides=None). Padded positions never win; the gradient goes to the first maximum (TF).
Tensor max_pool1d(const Tensor& x, int64_t pool_size, std::optional<int64_t> strides = std::nullopt,
                  const std::string& padding = "valid");
// tf.nn.max_pool2d / keras.ops.max_pool on (N, H, W, C); empty strides means pool_size.
Tensor max_pool2d(const Tensor& x, const std::vector<int64_t>& pool_size,
                  const std::vector<int64_t>& strides = {}, const std::string& padding = "valid");

// tf.nn.avg_pool1d / keras.ops.average_pool on (N, W, C). With "same" padding each window is
// averaged over its non-padded elements only (TF semantics).
Tensor avg_pool1d(const Tensor& x, int64_t pool_size, std::optional<int64_t> strides = std::nullopt,
                  const std::string& padding = "valid");
// tf.nn.avg_pool2d / keras.ops.average_pool on (N, H, W, C); empty strides means pool_size.
Tensor avg_pool2d(const Tensor& x, const std::vector<int64_t>& pool_size,
                  const std::vector<int64_t>& strides = {}, const std::string& padding = "valid");

}  // namespace keras::ops
