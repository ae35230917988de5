// keras.layers.LeakyReLU: x >= 0 ? x : negative_slope * x (Keras 3 name; Keras 2 called the
// slope `alpha`).
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct LeakyReLUOptions {
  double negative_slope = 0.3;  // the layer's default (keras.activations.leaky_relu's is 0.2)
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class LeakyReLU : public Layer {
 public:
  // negative_slope < 0: ValueError (as Keras).
  explicit LeakyReLU(const LeakyReLUOptions& options = {});
  KERAS_LAYER_CLONE(LeakyReLU)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  // Writes Keras 3's `negative_slope`; reads it or Keras 2's `alpha` (files from tf.keras).
  void config(ConfigIO& io) override;

  double negative_slope() const { return negative_slope_; }

 private:
  double negative_slope_;
};

}  // namespace keras::layers
