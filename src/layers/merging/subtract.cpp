#include "keras/layers/merging/subtract.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

void Subtract::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 2)
    throw ValueError("A `Subtract` layer ('" + name() +
                     "') should be called on exactly 2 inputs. "
                     "Received: " +
                     std::to_string(input_shapes.size()) + " inputs.");
  Merge::build(input_shapes);
}

Tensor Subtract::merge_function(const std::vector<Tensor>& inputs) {
  if (inputs.size() != 2)
    throw ValueError("A `Subtract` layer ('" + name() +
                     "') should be called on exactly 2 inputs. "
                     "Received: " +
                     std::to_string(inputs.size()) + " inputs.");
  return ops::subtract(inputs[0], inputs[1]);
}

KerasTensor subtract(const std::vector<KerasTensor>& inputs, const LayerOptions& options) {
  return keras::Layer(Subtract(options))(inputs).at(0);
}

Tensor subtract(const std::vector<Tensor>& inputs, const LayerOptions& options) {
  return Subtract(options)(inputs).at(0);
}

}  // namespace keras::layers
