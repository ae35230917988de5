// Flatten, Reshape, Permute, RepeatVector: TF.js forward values, shapes, gradients, configs,
// errors.
#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "keras/layers/core_layers.hpp"
#include "layers/test_core_tfjs.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using namespace keras::layers;
using keras::testing::base_keys_and;
using keras::testing::config_keys;
using keras::testing::expect_gradients_match;
using keras::testing::max_abs_diff;
using keras::testing::sample;
using keras::testing::sample32;
using keras::testing::tfjs_cases;
using keras::testing::throws_value_error;

TEST(ReshapingLayers, MatchTensorFlowJs) {
  const Tensor x = sample32({2, 3, 4, 5}, -1, 1, 8), v = sample32({3, 6}, -1, 1, 9),
               w = sample32({3, 2, 5}, -1, 1, 10);
  auto cfg = [](const std::string& cls, json config = json::object()) {
    return json{{"class_name", cls}, {"config", config}};
  };
  std::vector<keras::testing::TfjsCase> cases = {
      {cfg("Flatten"), {x}},
      {cfg("Flatten", {{"data_format", "channels_first"}}), {x}},
      {cfg("Reshape", {{"target_shape", {6, -1}}}), {x}},
      {cfg("Reshape", {{"target_shape", {5, 4, 3}}}), {x}},
      {cfg("Permute", {{"dims", {3, 1, 2}}}), {x}},
      {cfg("Permute", {{"dims", {2, 1}}}), {w}},
      {cfg("RepeatVector", {{"n", 4}}), {v}},
  };
  std::vector<Tensor> ours = {
      Flatten()(x),          Flatten({.data_format = "channels_first"})(x),
      Reshape({6, -1})(x),   Reshape({5, 4, 3})(x),
      Permute({3, 1, 2})(x), Permute({2, 1})(w),
      RepeatVector(4)(v),
  };
  auto ref = tfjs_cases(cases);
  ASSERT_EQ(ref.size(), ours.size());
  for (size_t i = 0; i < ours.size(); ++i)
    EXPECT_LT(max_abs_diff(ours[i], ref[i]), 1e-7) << cases[i].layer.dump();
}

TEST(ReshapingLayers, ShapesByHand) {
  // Flatten of (batch,) adds a feature axis; channels_first moves channels last before
  // flattening: element (c, h, w) lands at (h * W + w) * C + c.
  EXPECT_EQ(Flatten()(Tensor::ones({4})).shape(), (Shape{4, 1}));
  Tensor cf = Tensor::arange(0.0, 12.0, 1.0).reshape({1, 2, 3, 2});  // C=2, H=3, W=2
  auto flat = Flatten({.data_format = "channels_first"})(cf).to_vector<float>();
  for (int c = 0; c < 2; ++c)
    for (int h = 0; h < 3; ++h)
      for (int w = 0; w < 2; ++w) EXPECT_EQ(flat[(h * 2 + w) * 2 + c], c * 6 + h * 2 + w);
  // RepeatVector: out[b, i, f] = in[b, f].
  Tensor v = Tensor::from_vector<float>({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(RepeatVector(3)(v).to_vector<float>(),
            (std::vector<float>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}));
  EXPECT_EQ(RepeatVector(0)(v).shape(), (Shape{2, 0, 2}));
  // Permute (2, 1) on (batch, 2, 3): out[b, j, i] = in[b, i, j].
  Tensor p = Tensor::arange(0.0, 6.0, 1.0).reshape({1, 2, 3});
  EXPECT_EQ(Permute({2, 1})(p).to_vector<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(ReshapingLayers, SymbolicShapes) {
  EXPECT_EQ(keras::Layer(Flatten())(Input({10, 64})).shape(), (Shape{-1, 640}));
  EXPECT_EQ(keras::Layer(Flatten())(Input({-1, 4})).shape(), (Shape{-1, -1}));
  EXPECT_EQ(keras::Layer(Reshape({3, 4}))(Input({12})).shape(), (Shape{-1, 3, 4}));
  EXPECT_EQ(keras::Layer(Reshape({-1, 2, 2}))(Input({12})).shape(), (Shape{-1, 3, 2, 2}));
  EXPECT_EQ(keras::Layer(Reshape({-1, 2}))(Input({-1, 4})).shape(), (Shape{-1, -1, 2}));
  EXPECT_EQ(keras::Layer(Permute({2, 1}))(Input({10, 64})).shape(), (Shape{-1, 64, 10}));
  EXPECT_EQ(keras::Layer(RepeatVector(3))(Input({32})).shape(), (Shape{-1, 3, 32}));
  // In a Sequential with Dense afterwards.
  Sequential model({Input({2, 3}), Flatten(), Dense(4), Reshape({2, 2}), Permute({2, 1})});
  EXPECT_EQ(model(Tensor::ones({5, 2, 3})).shape(), (Shape{5, 2, 2}));
}

TEST(ReshapingLayers, Gradients) {
  auto check = [](keras::layers::Layer&& l, const Shape& shape) {
    expect_gradients_match([&](const std::vector<Tensor>& v) { return l(v[0]); }, {sample(shape)});
  };
  const LayerOptions f64{.dtype = "float64"};
  check(Flatten({.data_format = "channels_first", .dtype = "float64"}), {2, 3, 2, 2});
  check(Reshape({-1, 3}, f64), {2, 2, 3});
  check(Permute({3, 1, 2}, f64), {2, 2, 3, 4});
  check(RepeatVector(3, f64), {2, 4});
}

TEST(ReshapingLayers, ConfigsHaveKerasFieldsAndRoundTrip) {
  json f = Flatten().get_config();
  EXPECT_EQ(config_keys(f), base_keys_and({"data_format"}));
  EXPECT_EQ(f["data_format"], "channels_last");
  json r = Reshape({3, -1}).get_config();
  EXPECT_EQ(config_keys(r), base_keys_and({"target_shape"}));
  EXPECT_EQ(r["target_shape"], json::parse("[3, -1]"));
  json p = Permute({2, 1}).get_config();
  EXPECT_EQ(config_keys(p), base_keys_and({"dims"}));
  EXPECT_EQ(p["dims"], json::parse("[2, 1]"));
  json n = RepeatVector(5).get_config();
  EXPECT_EQ(config_keys(n), base_keys_and({"n"}));
  EXPECT_EQ(n["n"], 5);
  Flatten f2({.data_format = "channels_first"});
  f2.apply_config(f);
  EXPECT_EQ(f2.get_config(), f);
  Reshape r2({1});
  r2.apply_config(r);
  EXPECT_EQ(r2.get_config(), r);
  Permute p2({1});
  p2.apply_config(p);
  EXPECT_EQ(p2.get_config(), p);
  RepeatVector n2(1);
  n2.apply_config(n);
  EXPECT_EQ(n2.get_config(), n);
  EXPECT_TRUE(n2.weights().empty());
}

TEST(ReshapingLayers, Errors) {
  EXPECT_TRUE(throws_value_error([] { Reshape({-1, -1}); }, {"target_shape", "(-1, -1)"}));
  Reshape r({5, 5}, {.name = "rs"});
  EXPECT_TRUE(throws_value_error(
      [&] {
        r(Tensor::ones({2, 12}));
      },
      {"'rs'", "total size", "(12,)", "(5, 5)"}));
  EXPECT_TRUE(throws_value_error(
      [] {
        Reshape({-1, 5})(Tensor::ones({2, 12}));
      },
      {"cannot be divided"}));
  EXPECT_TRUE(throws_value_error([] { keras::Layer(Reshape({5}))(Input({12})); }, {"total size"}));
  EXPECT_TRUE(throws_value_error([] { Permute({1, 3}); }, {"dims", "(1, 3)"}));
  EXPECT_TRUE(throws_value_error(
      [] {
        Permute({2, 1})(Tensor::ones({2, 3}));
      },
      {"expected ndim=3", "found ndim=2"}));
  EXPECT_TRUE(throws_value_error(
      [] {
        RepeatVector(2)(Tensor::ones({2, 3, 4}));
      },
      {"expected ndim=2", "(2, 3, 4)"}));
  EXPECT_TRUE(throws_value_error([] { RepeatVector(-1); }, {"n=-1"}));
  EXPECT_TRUE(throws_value_error([] { Flatten({.data_format = "NCHW"}); }, {"data_format"}));
  EXPECT_TRUE(throws_value_error([] { Flatten()(Tensor::scalar(1.0)); }, {"min_ndim=1"}));
}
