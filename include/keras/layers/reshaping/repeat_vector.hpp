// keras.layers.RepeatVector: (batch, features) -> (batch, n, features).
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

class RepeatVector : public Layer {
 public:
  // n >= 0 (ValueError otherwise); inputs must have rank 2.
  explicit RepeatVector(int64_t n, const LayerOptions& options = {});
  KERAS_LAYER_CLONE(RepeatVector)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  int64_t n() const { return n_; }

 private:
  void check_rank(const Shape& input_shape) const;

  int64_t n_;
};

}  // namespace keras::layers
