// keras.layers.Flatten: (batch, d1, d2, ...) -> (batch, d1 * d2 * ...); (batch,) -> (batch, 1).
#pragma once

#include <string>

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct FlattenOptions {
  // "channels_last" (Keras's default image_data_format) or "channels_first": channels-first
  // inputs are moved to channels-last order before flattening, so that a model converted
  // between the two layouts keeps the order of the Dense weights that follow.
  std::string data_format = "channels_last";
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class Flatten : public Layer {
 public:
  explicit Flatten(const FlattenOptions& options = {});
  KERAS_LAYER_CLONE(Flatten)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  const std::string& data_format() const { return data_format_; }

 private:
  std::string data_format_;
};

}  // namespace keras::layers
