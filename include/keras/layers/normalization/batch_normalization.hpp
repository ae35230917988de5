// keras.layers.BatchNormalization: normalises with batch statistics in training (and updates
// moving averages of them) and with the moving statistics in inference.
//
// Keras 3 semantics: training=true on a trainable layer uses the batch mean and the biased batch
// variance (keras.ops.moments) and sets moving = moving * momentum + batch * (1 - momentum) for
// both moving_mean and moving_variance; a frozen layer (trainable=false) always runs in inference
// mode, as Keras 3 documents. Weights, in Keras's order: gamma, beta (trainable; present when
// scale / center), moving_mean, moving_variance (non-trainable).
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct BatchNormalizationOptions {
  int axis = -1;  // the features axis (normalised per entry of it)
  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;  // beta
  bool scale = true;   // gamma
  InitializerArg beta_initializer = "zeros";
  InitializerArg gamma_initializer = "ones";
  InitializerArg moving_mean_initializer = "zeros";
  InitializerArg moving_variance_initializer = "ones";
  RegularizerArg beta_regularizer;
  RegularizerArg gamma_regularizer;
  ConstraintArg beta_constraint;
  ConstraintArg gamma_constraint;
  bool synchronized = false;  // cross-replica statistics: one replica here, so a no-op
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class BatchNormalization : public Layer {
 public:
  explicit BatchNormalization(const BatchNormalizationOptions& options = {});
  KERAS_LAYER_CLONE(BatchNormalization)

  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  using Layer::compute_output_shape;
  void config(ConfigIO& io) override;

  int axis() const { return o_.axis; }
  double momentum() const { return o_.momentum; }
  double epsilon() const { return o_.epsilon; }
  const Variable& gamma() const { return gamma_; }
  const Variable& beta() const { return beta_; }
  const Variable& moving_mean() const { return moving_mean_; }
  const Variable& moving_variance() const { return moving_variance_; }

 private:
  BatchNormalizationOptions o_;
  int ndim_ = 0;
  Variable gamma_, beta_, moving_mean_, moving_variance_;
};

}  // namespace keras::layers
