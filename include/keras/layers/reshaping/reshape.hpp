// keras.layers.Reshape: (batch, ...) -> (batch, *target_shape); one target dimension may be -1.
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

class Reshape : public Layer {
 public:
  // target_shape excludes the batch axis; at most one -1 (ValueError otherwise).
  explicit Reshape(Shape target_shape, const LayerOptions& options = {});
  KERAS_LAYER_CLONE(Reshape)

  // A ValueError naming the layer when the input's size does not fit target_shape.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  const Shape& target_shape() const { return target_shape_; }

 private:
  void validate() const;
  // Keras's compute_reshape_output_shape for the non-batch dimensions (-1 = unknown).
  Shape resolve(const Shape& input_shape) const;

  Shape target_shape_;
};

}  // namespace keras::layers
