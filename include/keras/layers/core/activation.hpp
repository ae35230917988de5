// keras.layers.Activation: applies a named activation function (keras.activations.get(name)).
#pragma once

#include <string>

#include "keras/layers/layer.hpp"

namespace keras::layers {

class Activation : public Layer {
 public:
  // `activation`: any name ops::activation() accepts ("relu", "softmax", "linear"...); an unknown
  // name is an UnknownObjectError (a ValueError) here, as Keras resolves it in __init__.
  explicit Activation(std::string activation, const LayerOptions& options = {});
  KERAS_LAYER_CLONE(Activation)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  const std::string& activation() const { return activation_; }

 private:
  std::string activation_;
};

}  // namespace keras::layers
