#include "keras/layers/merging/maximum.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

Tensor Maximum::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::maximum(out, inputs[i]);
  return out;
}

KerasTensor maximum(const std::vector<KerasTensor>& inputs, const LayerOptions& options) {
  return keras::Layer(Maximum(options))(inputs).at(0);
}

Tensor maximum(const std::vector<Tensor>& inputs, const LayerOptions& options) {
  return Maximum(options)(inputs).at(0);
}

}  // namespace keras::layers
