// keras.layers.LayerNormalization: normalises each example over `axis` (by default the last
// axis) with its own mean and variance, then scales by gamma and shifts by beta.
//
// Keras 3 quirk kept for config fidelity: an int axis is written as an int before build and as a
// one-element list after build (Keras's build() replaces self.axis by [axis]).
#pragma once

#include "keras/layers/convolutional/conv_utils.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct LayerNormalizationOptions {
  IntTuple axis = -1;  // an int or a list of axes
  double epsilon = 1e-3;
  bool center = true;        // beta
  bool scale = true;         // gamma
  bool rms_scaling = false;  // Keras 3: x * rsqrt(var(x) + epsilon) * gamma, no beta
  InitializerArg beta_initializer = "zeros";
  InitializerArg gamma_initializer = "ones";
  RegularizerArg beta_regularizer;
  RegularizerArg gamma_regularizer;
  ConstraintArg beta_constraint;
  ConstraintArg gamma_constraint;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class LayerNormalization : public Layer {
 public:
  explicit LayerNormalization(const LayerNormalizationOptions& options = {});
  KERAS_LAYER_CLONE(LayerNormalization)

  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  using Layer::compute_output_shape;
  void config(ConfigIO& io) override;

  const std::vector<int64_t>& axis() const { return o_.axis.values; }
  double epsilon() const { return o_.epsilon; }
  const Variable& gamma() const { return gamma_; }
  const Variable& beta() const { return beta_; }

 private:
  std::vector<int> normalized_axes(int ndim) const;

  LayerNormalizationOptions o_;
  int ndim_ = 0;
  Variable gamma_, beta_;
};

}  // namespace keras::layers
