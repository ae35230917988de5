// keras.layers.Permute: reorders the non-batch axes; dims are 1-based as in Keras ((2, 1) swaps
// the two axes after the batch axis).
#pragma once

#include <vector>

#include "keras/layers/layer.hpp"

namespace keras::layers {

class Permute : public Layer {
 public:
  // dims must be a permutation of 1..dims.size() (ValueError otherwise); inputs must have rank
  // dims.size() + 1.
  explicit Permute(std::vector<int> dims, const LayerOptions& options = {});
  KERAS_LAYER_CLONE(Permute)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  const std::vector<int>& dims() const { return dims_; }

 private:
  void validate() const;
  void check_rank(const Shape& input_shape) const;

  std::vector<int> dims_;
};

}  // namespace keras::layers
