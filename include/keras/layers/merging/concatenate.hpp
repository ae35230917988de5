// keras.layers.Concatenate (and keras.layers.concatenate): joins the inputs along `axis`.
#pragma once

#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct ConcatenateOptions {
  int axis = -1;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class Concatenate : public Merge {
 public:
  explicit Concatenate(const ConcatenateOptions& options = {});
  KERAS_LAYER_CLONE(Concatenate)

  // Inputs must have one rank and equal dimensions except along `axis` (unknown dimensions
  // match anything); ValueError naming the layer and the shapes otherwise.
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  int axis() const { return axis_; }

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;

 private:
  int axis_;
};

// keras.layers.concatenate(inputs, axis): Concatenate({.axis = axis})(inputs).
KerasTensor concatenate(const std::vector<KerasTensor>& inputs, int axis = -1,
                        const LayerOptions& options = {});
Tensor concatenate(const std::vector<Tensor>& inputs, int axis = -1,
                   const LayerOptions& options = {});

}  // namespace keras::layers
