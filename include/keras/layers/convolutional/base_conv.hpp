// keras.src.layers.convolutional.base_conv.BaseConv: the shared part of Conv1D and Conv2D.
#pragma once

#include "keras/layers/convolutional/conv_utils.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

// Keyword arguments of Conv1D / Conv2D after `filters` and `kernel_size`, Keras 3's defaults.
struct ConvOptions {
  IntTuple strides = 1;
  std::string padding = "valid";  // "valid", "same" (and "causal" for Conv1D)
  std::string data_format = "";   // Keras's None: "channels_last"
  IntTuple dilation_rate = 1;
  int64_t groups = 1;      // filters and input channels split into groups
  std::string activation;  // empty or "linear": none
  bool use_bias = true;
  InitializerArg kernel_initializer = "glorot_uniform";
  InitializerArg bias_initializer = "zeros";
  RegularizerArg kernel_regularizer;
  RegularizerArg bias_regularizer;
  RegularizerArg activity_regularizer;
  ConstraintArg kernel_constraint;
  ConstraintArg bias_constraint;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class BaseConv : public Layer {
 public:
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  using Layer::compute_output_shape;
  void config(ConfigIO& io) override;

  int rank() const { return rank_; }
  int64_t filters() const { return filters_; }
  const std::vector<int64_t>& kernel_size() const { return kernel_size_; }
  const std::vector<int64_t>& strides() const { return strides_; }
  const std::vector<int64_t>& dilation_rate() const { return dilation_rate_; }
  const std::string& padding() const { return o_.padding; }
  const std::string& data_format() const { return o_.data_format; }
  // (*kernel_size, input_channels / groups, filters), Keras's layout.
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }

 protected:
  BaseConv(int rank, int64_t filters, const IntTuple& kernel_size, const ConvOptions& options,
           std::string class_name);

 private:
  void validate();
  Shape output_shape(const Shape& input_shape) const;
  Tensor convolve(const Tensor& x, const Tensor& kernel) const;

  int rank_;
  int64_t filters_;
  std::vector<int64_t> kernel_size_, strides_, dilation_rate_;
  ConvOptions o_;
  Variable kernel_, bias_;
};

}  // namespace keras::layers
