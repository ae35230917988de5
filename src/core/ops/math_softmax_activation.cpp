// The normalising activations (keras.activations.softmax / log_softmax) for ops::activation's
// registry. They are reductions (reduce_stats.cpp), so the registry in math_activations.cpp
// pulls them in from here when it is first built: no static initialisers, no call order to get
// right, and Dense(activation="softmax") works without any setup.
#include <string>
#include <utility>
#include <vector>

#include "keras/ops/math.hpp"
#include "keras/ops/reduce.hpp"

namespace keras::detail {

std::vector<std::pair<std::string, ops::ActivationFn>> softmax_activations() {
  // keras.activations.softmax(x, axis=-1) and log_softmax(x, axis=-1).
  return {{"softmax", [](const Tensor& t) { return ops::softmax(t, -1); }},
          {"log_softmax", [](const Tensor& t) { return ops::log_softmax(t, -1); }}};
}

}  // namespace keras::detail
