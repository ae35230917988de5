#include "keras/layers/merging/minimum.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

Tensor Minimum::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::minimum(out, inputs[i]);
  return out;
}

KerasTensor minimum(const std::vector<KerasTensor>& inputs, const LayerOptions& options) {
  return keras::Layer(Minimum(options))(inputs).at(0);
}

Tensor minimum(const std::vector<Tensor>& inputs, const LayerOptions& options) {
  return Minimum(options)(inputs).at(0);
}

}  // namespace keras::layers
