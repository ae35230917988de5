// keras.layers.Softmax: exp(x) / sum(exp(x)) along `axis` (or several axes).
#pragma once

#include <vector>

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct SoftmaxOptions {
  int axis = -1;
  // Keras also accepts a list of axes: when non-empty this replaces `axis` and normalises over
  // all of them together (exp(x - logsumexp(x, axes))). Written to configs as a list.
  std::vector<int> axes;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class Softmax : public Layer {
 public:
  explicit Softmax(const SoftmaxOptions& options = {});
  KERAS_LAYER_CLONE(Softmax)

  Tensor call(const Tensor& x, bool training) override;
  // Keras's call(inputs, mask): positions where mask is false (0) get a large negative logit
  // (-1e9; -3e4 for float16) and so ~0 probability. mask broadcasts against x.
  Tensor call_with_mask(const Tensor& x, const Tensor& mask);
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  int axis() const { return axis_; }
  const std::vector<int>& axes() const { return axes_; }

 private:
  int axis_;
  std::vector<int> axes_;
};

// Registers the activations that live outside ops::activation's built-in table under their
// keras.activations names: "softmax" and "log_softmax" (axis -1). ops::activation() already
// knows them without this call (its registry pulls them in when first used); calling it again
// restores them if a program re-registered those names. Idempotent and thread-safe.
void register_builtin_activations();

}  // namespace keras::layers
