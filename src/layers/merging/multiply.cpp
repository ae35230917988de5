#include "keras/layers/merging/multiply.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

Tensor Multiply::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::multiply(out, inputs[i]);
  return out;
}

KerasTensor multiply(const std::vector<KerasTensor>& inputs, const LayerOptions& options) {
  return keras::Layer(Multiply(options))(inputs).at(0);
}

Tensor multiply(const std::vector<Tensor>& inputs, const LayerOptions& options) {
  return Multiply(options)(inputs).at(0);
}

}  // namespace keras::layers
