#include "keras/layers/merging/add.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

Tensor Add::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::add(out, inputs[i]);
  return out;
}

KerasTensor add(const std::vector<KerasTensor>& inputs, const LayerOptions& options) {
  return keras::Layer(Add(options))(inputs).at(0);
}

Tensor add(const std::vector<Tensor>& inputs, const LayerOptions& options) {
  return Add(options)(inputs).at(0);
}

}  // namespace keras::layers
