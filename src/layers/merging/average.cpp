#include "keras/layers/merging/average.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

Tensor Average::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::add(out, inputs[i]);
  return out / static_cast<double>(inputs.size());
}

KerasTensor average(const std::vector<KerasTensor>& inputs, const LayerOptions& options) {
  return keras::Layer(Average(options))(inputs).at(0);
}

Tensor average(const std::vector<Tensor>& inputs, const LayerOptions& options) {
  return Average(options)(inputs).at(0);
}

}  // namespace keras::layers
