// Test helper: runs models in TensorFlow.js (tests/tfjs/harness.js under node) so layer outputs can
// be compared with an independent Keras implementation.
#pragma once

#include <string>
#include <vector>

#include "keras/core/config.hpp"
#include "keras/core/tensor.hpp"

namespace keras::testing {

// True when node and @tensorflow/tfjs (installed by ./run test) are present.
bool tfjs_available();

// Loads a Keras-2-flavour model topology in TF.js, sets `weights` (model.weights order), applies
// it to `inputs` and returns the outputs (float32). Throws std::runtime_error with TF.js's message.
std::vector<Tensor> tfjs_predict(const json& model_topology, const std::vector<Tensor>& weights,
                                 const std::vector<Tensor>& inputs, bool training = false);

// Wraps one layer (Keras-2 {"class_name", "config"}) in a functional model with one InputLayer per
// input shape (without the batch dimension) and `num_outputs` outputs, then runs tfjs_predict
// (in training mode when `training`, e.g. BatchNormalization with batch statistics).
std::vector<Tensor> tfjs_layer(const json& layer, const std::vector<Shape>& input_shapes,
                               const std::vector<Tensor>& weights,
                               const std::vector<Tensor>& inputs, int num_outputs = 1,
                               const std::vector<std::string>& input_dtypes = {},
                               bool training = false);

// Max |a - b| (shapes must match; returns +inf when they do not).
double max_abs_diff(const Tensor& a, const Tensor& b);

}  // namespace keras::testing
