// keras.layers.ELU: x > 0 ? x : alpha * (exp(x) - 1).
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct ELUOptions {
  double alpha = 1.0;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class ELU : public Layer {
 public:
  explicit ELU(const ELUOptions& options = {});
  KERAS_LAYER_CLONE(ELU)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  // Writes `alpha` after the base fields. Keras 3's ELU.get_config omits alpha (so Keras 3 loses
  // a non-default alpha on a round trip); Keras 2 wrote it, and Keras 3's __init__ accepts it, so
  // writing it loses nothing and keeps the value.
  void config(ConfigIO& io) override;

  double alpha() const { return alpha_; }

 private:
  double alpha_;
};

}  // namespace keras::layers
