// keras.layers.ReLU: keras.activations.relu(x, negative_slope, max_value, threshold) as a layer.
#pragma once

#include <optional>

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct ReLUOptions {
  std::optional<double> max_value;  // >= 0; none: unbounded
  double negative_slope = 0.0;      // >= 0
  double threshold = 0.0;           // >= 0
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class ReLU : public Layer {
 public:
  // Negative max_value, negative_slope or threshold: ValueError (as Keras).
  explicit ReLU(const ReLUOptions& options = {});
  KERAS_LAYER_CLONE(ReLU)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  const ReLUOptions& options() const { return o_; }

 private:
  void validate() const;

  ReLUOptions o_;
};

}  // namespace keras::layers
