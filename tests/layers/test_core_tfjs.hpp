// Test helper for the core/activation/merging/reshaping layer tests: runs several independent
// layers in ONE TensorFlow.js model (one node start), each on its own inputs.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "testing/tfjs.hpp"

namespace keras::testing {

struct TfjsCase {
  json layer;                         // Keras-2 {"class_name", "config"}
  std::vector<Tensor> inputs;         // with the batch axis; input shapes are taken from these
  std::vector<std::string> dtypes{};  // per input, default float32
  std::vector<Tensor> weights{};      // at most one case per run may have weights
};

// One output per case, in order.
inline std::vector<Tensor> tfjs_cases(const std::vector<TfjsCase>& cases) {
  json layers = json::array(), input_layers = json::array(), output_layers = json::array();
  std::vector<Tensor> weights, inputs;
  int weighted = 0;
  for (size_t c = 0; c < cases.size(); ++c) {
    json inbound = json::array();
    for (size_t k = 0; k < cases[c].inputs.size(); ++k) {
      const std::string name = "in_" + std::to_string(c) + "_" + std::to_string(k);
      json batch_shape = json::array({nullptr});
      const Shape& s = cases[c].inputs[k].shape();
      for (size_t i = 1; i < s.size(); ++i) batch_shape.push_back(s[i]);
      const std::string dtype = k < cases[c].dtypes.size() ? cases[c].dtypes[k] : "float32";
      layers.push_back({{"class_name", "InputLayer"},
                        {"name", name},
                        {"config",
                         {{"batch_input_shape", batch_shape},
                          {"dtype", dtype},
                          {"sparse", false},
                          {"name", name}}},
                        {"inbound_nodes", json::array()}});
      input_layers.push_back({name, 0, 0});
      inbound.push_back({name, 0, 0, json::object()});
      inputs.push_back(cases[c].inputs[k]);
    }
    json l = cases[c].layer;
    const std::string lname = "layer_" + std::to_string(c);
    l["config"]["name"] = lname;
    l["name"] = lname;
    l["inbound_nodes"] = json::array({inbound});
    layers.push_back(l);
    output_layers.push_back({lname, 0, 0});
    if (!cases[c].weights.empty()) ++weighted;
    for (const auto& w : cases[c].weights) weights.push_back(w);
  }
  EXPECT_LE(weighted, 1) << "TF.js orders the weights of parallel branches its own way";
  json model = {{"class_name", "Model"},
                {"config",
                 {{"name", "cases"},
                  {"layers", layers},
                  {"input_layers", input_layers},
                  {"output_layers", output_layers}}},
                {"keras_version", "2.2.4"},
                {"backend", "tensorflow"}};
  return tfjs_predict(model, weights, inputs);
}

// The keys of a config dict in order.
inline std::vector<std::string> config_keys(const json& config) {
  std::vector<std::string> keys;
  for (auto it = config.begin(); it != config.end(); ++it) keys.push_back(it.key());
  return keys;
}

// Keras's base Layer fields followed by `extra`.
inline std::vector<std::string> base_keys_and(std::vector<std::string> extra) {
  std::vector<std::string> keys{"name", "trainable", "dtype"};
  keys.insert(keys.end(), extra.begin(), extra.end());
  return keys;
}

// Keras-style float32 test inputs: a fixed pseudo-random sequence in [lo, hi).
inline Tensor sample32(const Shape& shape, double lo = -2.0, double hi = 2.0, uint64_t seed = 1) {
  Tensor t = Tensor::empty(shape, float64);
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  double* p = t.data<double>();
  for (int64_t i = 0; i < t.size(); ++i) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    p[i] = lo + (hi - lo) * static_cast<double>(s >> 11) / 9007199254740992.0;
  }
  return t.astype(float32);
}

// Whether the message of `f`'s ValueError contains every fragment.
template <typename F>
::testing::AssertionResult throws_value_error(F&& f, const std::vector<std::string>& fragments) {
  try {
    f();
  } catch (const ValueError& e) {
    const std::string msg = e.what();
    for (const auto& frag : fragments)
      if (msg.find(frag) == std::string::npos)
        return ::testing::AssertionFailure() << "message lacks '" << frag << "': " << msg;
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw another exception: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

}  // namespace keras::testing
