// keras.layers.InputLayer and keras.Input: the entry point of a functional model.
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct InputOptions {
  std::string name{};
  std::string dtype = "float32";
  std::optional<int64_t> batch_size{};
  bool sparse = false;
};

class InputLayer : public Layer {
 public:
  // batch_shape includes the batch dimension (-1 = None).
  InputLayer(Shape batch_shape, const InputOptions& options = {});
  KERAS_LAYER_CLONE(InputLayer)

  const Shape& batch_shape() const { return batch_shape_; }
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& shapes) override;
  void config(ConfigIO& io) override;
  // The symbolic tensor this layer produces.
  KerasTensor output_tensor();

 private:
  Shape batch_shape_;
  bool sparse_ = false;
};

// keras.Input(shape): a symbolic tensor of shape (None, *shape) from a new InputLayer.
KerasTensor Input(const Shape& shape, const InputOptions& options = {});

}  // namespace keras::layers

namespace keras {
using layers::Input;
}
