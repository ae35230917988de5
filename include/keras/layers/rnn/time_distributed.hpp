// keras.layers.TimeDistributed: applies one layer to every temporal slice x[:, t] of its input.
//
// The wrapped layer is shared (not copied), tracked as "layer", and applied once to the input
// reshaped to (batch * time, ...): the same result as Keras's per-step loop for every layer whose
// output row depends only on its input row (BatchNormalization in training mode computes its
// statistics over all batch * time rows here, per step in Keras 3).
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

class TimeDistributed : public Layer {
 public:
  explicit TimeDistributed(keras::Layer layer, const LayerOptions& options = {});
  KERAS_LAYER_CLONE(TimeDistributed)

  void build(const Shape& input_shape) override;
  using Layer::call;
  Tensor call(const Tensor& x, bool training) override;
  using Layer::compute_output_shape;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  const keras::Layer& layer() const { return layer_; }

 private:
  keras::Layer layer_;
};

}  // namespace keras::layers
