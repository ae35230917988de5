// keras.layers.Dense: output = activation(dot(input, kernel) + bias).
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct DenseOptions {
  std::string activation{};  // empty or "linear": none
  bool use_bias = true;
  InitializerArg kernel_initializer = "glorot_uniform";
  InitializerArg bias_initializer = "zeros";
  RegularizerArg kernel_regularizer{};
  RegularizerArg bias_regularizer{};
  RegularizerArg activity_regularizer{};
  ConstraintArg kernel_constraint{};
  ConstraintArg bias_constraint{};
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class Dense : public Layer {
 public:
  explicit Dense(int64_t units, const DenseOptions& options = {});
  KERAS_LAYER_CLONE(Dense)

  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  void config(ConfigIO& io) override;

  int64_t units() const { return units_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  int64_t units_;
  DenseOptions o_;
  Variable kernel_, bias_;
};

}  // namespace keras::layers
