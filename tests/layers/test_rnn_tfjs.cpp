// Recurrent layers against TensorFlow.js (an independent Keras implementation): SimpleRNN, LSTM,
// GRU (reset_after=false; TF.js has no reset_after=true) with return_sequences, return_state,
// go_backwards, use_bias=false; Bidirectional in every merge mode; TimeDistributed(Dense).
// Several layers run in parallel in one TF.js model per test, to keep node start-ups few.
#include <gtest/gtest.h>

#include "keras/core/random.hpp"
#include "keras/keras.hpp"
#include "keras/layers/core/dense.hpp"
#include "keras/layers/rnn_layers.hpp"
#include "testing/tfjs.hpp"

using namespace keras;
using namespace keras::layers;
using keras::testing::max_abs_diff;

namespace {

DenseOptions dense_options(const std::string& activation, const std::string& name = "",
                           const std::string& dtype = "float32") {
  DenseOptions o;
  o.activation = activation;
  o.name = name;
  o.dtype = dtype;
  return o;
}

// One TF.js model: an input of `input_shape` feeding every layer of `layers` (Keras-2 configs);
// the model's outputs are outputs 0..n-1 of each layer, n from `num_outputs`.
std::vector<Tensor> tfjs_parallel(const std::vector<json>& layers,
                                  const std::vector<int>& num_outputs, const Shape& input_shape,
                                  const std::vector<Tensor>& weights, const Tensor& x) {
  json all = json::array();
  json batch_shape = json::array({nullptr});
  for (auto d : input_shape) batch_shape.push_back(d);
  all.push_back({{"class_name", "InputLayer"},
                 {"name", "input_0"},
                 {"config",
                  {{"batch_input_shape", batch_shape},
                   {"dtype", "float32"},
                   {"sparse", false},
                   {"name", "input_0"}}},
                 {"inbound_nodes", json::array()}});
  json outputs = json::array();
  for (size_t i = 0; i < layers.size(); ++i) {
    json l = layers[i];
    const std::string name = "layer_" + std::to_string(i);
    l["config"]["name"] = name;
    l["name"] = name;
    l["inbound_nodes"] =
        json::array({json::array({json::array({"input_0", 0, 0, json::object()})})});
    all.push_back(l);
    for (int k = 0; k < num_outputs[i]; ++k) outputs.push_back({name, 0, k});
  }
  json model = {{"class_name", "Model"},
                {"config",
                 {{"name", "harness"},
                  {"layers", all},
                  {"input_layers", json::array({json::array({"input_0", 0, 0})})},
                  {"output_layers", outputs}}},
                {"keras_version", "2.2.4"},
                {"backend", "tensorflow"}};
  return keras::testing::tfjs_predict(model, weights, {x});
}

// Replaces every weight with values in [-0.5, 0.5) (non-zero biases, so that they matter).
void randomize(layers::Layer& layer, int64_t seed) {
  std::vector<Tensor> w;
  int64_t k = 0;
  for (const auto& v : layer.weights())
    w.push_back(random::uniform(v.shape(), -0.5, 0.5, float32, seed * 100 + k++));
  layer.set_weights(w);
}

struct Case {
  std::shared_ptr<layers::Layer> layer;
  json config;  // Keras-2 flavour for TF.js
  int outputs;
};

// Runs every case in C++ and in one TF.js model; compares every output.
void compare(std::vector<Case>& cases, const Shape& input_shape, const Tensor& x) {
  if (!keras::testing::tfjs_available()) GTEST_SKIP() << "TF.js is not installed";
  std::vector<json> configs;
  std::vector<int> counts;
  std::vector<Tensor> weights, expected;
  for (auto& c : cases) {
    std::vector<Tensor> y = (*c.layer)(std::vector<Tensor>{x});
    ASSERT_EQ(static_cast<int>(y.size()), c.outputs) << c.config.dump();
    for (auto& t : y) expected.push_back(t);
    for (auto& w : c.layer->get_weights()) weights.push_back(w);
    configs.push_back(c.config);
    counts.push_back(c.outputs);
  }
  auto got = tfjs_parallel(configs, counts, input_shape, weights, x);
  ASSERT_EQ(got.size(), expected.size());
  size_t k = 0;
  for (auto& c : cases) {
    for (int i = 0; i < c.outputs; ++i, ++k) {
      EXPECT_EQ(expected[k].shape(), got[k].shape()) << c.config.dump() << " output " << i;
      EXPECT_LT(max_abs_diff(expected[k], got[k]), 1e-5) << c.config.dump() << " output " << i;
    }
  }
}

json rnn_config(const std::string& cls, json fields) {
  fields["units"] = 3;
  if (!fields.contains("activation")) fields["activation"] = "tanh";
  if (cls != "SimpleRNN") fields["recurrent_activation"] = "sigmoid";  // TF.js defaults to hard
  if (cls == "GRU") fields["reset_after"] = false;
  return {{"class_name", cls}, {"config", fields}};
}

// The five variants of one recurrent class: last output, sequences, backwards sequences, states,
// and relu without bias.
template <typename L, typename O>
std::vector<Case> variants(const std::string& cls, O base, int num_states, int64_t seed) {
  std::vector<Case> cases;
  auto add = [&](O o, json fields, int outputs) {
    auto layer = std::make_shared<L>(3, o);
    layer->ensure_built({-1, 6, 4});
    randomize(*layer, seed + static_cast<int64_t>(cases.size()));
    cases.push_back({layer, rnn_config(cls, fields), outputs});
  };
  add(base, json::object(), 1);
  O seq = base;
  seq.return_sequences = true;
  add(seq, {{"return_sequences", true}}, 1);
  O back = seq;
  back.go_backwards = true;
  add(back, {{"return_sequences", true}, {"go_backwards", true}}, 1);
  O state = base;
  state.return_state = true;
  add(state, {{"return_state", true}}, 1 + num_states);
  O relu = seq;
  relu.activation = "relu";
  relu.use_bias = false;
  add(relu, {{"return_sequences", true}, {"activation", "relu"}, {"use_bias", false}}, 1);
  return cases;
}

}  // namespace

TEST(RnnTfjs, SimpleRNNMatches) {
  Tensor x = random::normal({2, 6, 4}, 0, 1, float32, 11);
  auto cases = variants<SimpleRNN>("SimpleRNN", SimpleRNNOptions{}, 1, 100);
  compare(cases, {6, 4}, x);
}

TEST(RnnTfjs, LSTMMatches) {
  Tensor x = random::normal({2, 6, 4}, 0, 1, float32, 12);
  auto cases = variants<LSTM>("LSTM", LSTMOptions{}, 2, 200);
  compare(cases, {6, 4}, x);
}

TEST(RnnTfjs, GRUResetBeforeMatches) {
  Tensor x = random::normal({2, 6, 4}, 0, 1, float32, 13);
  auto cases = variants<GRU>("GRU", GRUOptions{.reset_after = false}, 1, 300);
  compare(cases, {6, 4}, x);
}

TEST(RnnTfjs, BidirectionalEveryMergeMode) {
  Tensor x = random::normal({2, 5, 4}, 0, 1, float32, 14);
  std::vector<Case> cases;
  int64_t seed = 400;
  auto add = [&](std::shared_ptr<layers::Layer> layer, json inner, json merge, int outputs) {
    layer->compute_output_shape(std::vector<Shape>{{-1, 5, 4}});  // builds
    randomize(*layer, seed++);
    cases.push_back(
        {layer,
         {{"class_name", "Bidirectional"}, {"config", {{"layer", inner}, {"merge_mode", merge}}}},
         outputs});
  };
  for (const char* mode : {"concat", "sum", "mul", "ave"})
    add(std::make_shared<Bidirectional>(LSTM(3, {.return_sequences = true}),
                                        BidirectionalOptions{.merge_mode = mode}),
        rnn_config("LSTM", {{"return_sequences", true}}), mode, 1);
  add(std::make_shared<Bidirectional>(LSTM(3, {.return_sequences = true}),
                                      BidirectionalOptions{.merge_mode = std::nullopt}),
      rnn_config("LSTM", {{"return_sequences", true}}), nullptr, 2);
  // Last outputs only (no flip of the backward output), GRU and SimpleRNN inside.
  add(std::make_shared<Bidirectional>(GRU(3, {.reset_after = false})),
      rnn_config("GRU", json::object()), "concat", 1);
  add(std::make_shared<Bidirectional>(SimpleRNN(3, {.return_sequences = true}),
                                      BidirectionalOptions{.merge_mode = "sum"}),
      rnn_config("SimpleRNN", {{"return_sequences", true}}), "sum", 1);
  compare(cases, {5, 4}, x);
}

TEST(RnnTfjs, TimeDistributedDenseMatches) {
  Tensor x = random::normal({2, 5, 4}, 0, 1, float32, 15);
  std::vector<Case> cases;
  auto td = std::make_shared<TimeDistributed>(Dense(3, dense_options("tanh")));
  td->compute_output_shape(Shape{-1, 5, 4});
  randomize(*td, 500);
  cases.push_back({td,
                   {{"class_name", "TimeDistributed"},
                    {"config",
                     {{"layer",
                       {{"class_name", "Dense"},
                        {"config", {{"units", 3}, {"activation", "tanh"}, {"use_bias", true}}}}}}}},
                   1});
  compare(cases, {5, 4}, x);
}
