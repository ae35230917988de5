// Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate: TF.js forward values,
// broadcasting against numpy rules, gradients, configs, shape errors.
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

TEST(MergingLayers, MatchTensorFlowJs) {
  const Tensor a = sample32({3, 4, 2}, -2, 2, 1), b = sample32({3, 4, 2}, -2, 2, 2),
               c = sample32({3, 4, 2}, -2, 2, 3), d = sample32({3, 1, 2}, -2, 2, 4);
  auto cfg = [](const std::string& cls, json config = json::object()) {
    return json{{"class_name", cls}, {"config", config}};
  };
  std::vector<keras::testing::TfjsCase> cases = {
      {cfg("Add"), {a, b, c}},
      {cfg("Multiply"), {a, b, c}},
      {cfg("Average"), {a, b, c}},
      {cfg("Maximum"), {a, b, c}},
      {cfg("Minimum"), {a, b, c}},
      {cfg("Concatenate"), {a, b}},
      {cfg("Concatenate", {{"axis", 1}}), {a, d}},
      {cfg("Add"), {a, d}},  // broadcasting along a length-1 axis
  };
  std::vector<Tensor> ours = {
      Add()({a, b, c})[0],
      Multiply()({a, b, c})[0],
      Average()({a, b, c})[0],
      Maximum()({a, b, c})[0],
      Minimum()({a, b, c})[0],
      Concatenate()({a, b})[0],
      Concatenate({.axis = 1})({a, d})[0],
      Add()({a, d})[0],
  };
  auto ref = tfjs_cases(cases);
  ASSERT_EQ(ref.size(), ours.size());
  for (size_t i = 0; i < ours.size(); ++i)
    EXPECT_LT(max_abs_diff(ours[i], ref[i]), 1e-5) << cases[i].layer.dump();
}

TEST(MergingLayers, SubtractAndRankBroadcastingByHand) {
  Tensor a = Tensor::from_vector<float>({5, 7, 9, 11}, {2, 2});
  Tensor b = Tensor::from_vector<float>({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(Subtract()({a, b})[0].to_vector<float>(), (std::vector<float>{4, 5, 6, 7}));
  EXPECT_EQ(subtract(std::vector<Tensor>{a, b}).to_vector<float>(),
            (std::vector<float>{4, 5, 6, 7}));
  // A (batch, 3) input merged with (batch, 2, 3): Keras inserts the axis after the batch axis,
  // so row r of each sample gets the whole 3-vector.
  Tensor m = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {2, 2, 3});
  Tensor v = Tensor::from_vector<float>({100, 200, 300, 400, 500, 600}, {2, 3});
  EXPECT_EQ(Add()({m, v})[0].to_vector<float>(),
            (std::vector<float>{101, 202, 303, 104, 205, 306, 407, 508, 609, 410, 511, 612}));
  EXPECT_EQ(Add()({v, m})[0].shape(), (Shape{2, 2, 3}));
  // Average of two: (a + b) / 2; a single input passes through.
  EXPECT_EQ(average(std::vector<Tensor>{a, b}).to_vector<float>(),
            (std::vector<float>{3, 4.5, 6, 7.5}));
  EXPECT_EQ(Add()(std::vector<Tensor>{a})[0].to_vector<float>(), a.to_vector<float>());
  EXPECT_EQ(concatenate(std::vector<Tensor>{a, b}, 0).shape(), (Shape{4, 2}));
}

TEST(MergingLayers, SymbolicShapesAndFunctionalHelpers) {
  auto x = Input({4, 3}), y = Input({1, 3}), z = Input({5});
  EXPECT_EQ(add({x, y}).shape(), (Shape{-1, 4, 3}));
  EXPECT_EQ(multiply({x, x}).shape(), (Shape{-1, 4, 3}));
  EXPECT_EQ(concatenate({x, y}, 1).shape(), (Shape{-1, 5, 3}));
  auto k = Input({-1, 3});
  EXPECT_EQ(concatenate({x, k}, 1).shape(), (Shape{-1, -1, 3}));
  auto out = concatenate({Input({2}), z});
  EXPECT_EQ(out.shape(), (Shape{-1, 7}));
  // A functional model over a merge.
  auto a = Input({3}), b = Input({3});
  auto s = subtract({a, b});
  Model model({a, b}, {s});
  auto r = model(std::vector<Tensor>{Tensor::ones({2, 3}), Tensor::zeros({2, 3})});
  EXPECT_EQ(r[0].to_vector<float>(), std::vector<float>(6, 1.0f));
}

TEST(MergingLayers, Gradients) {
  const Tensor a = sample({2, 3, 2}, -1, 1, 1), b = sample({2, 3, 2}, -1, 1, 2),
               c = sample({2, 1, 2}, -1, 1, 3);
  const LayerOptions f64{.dtype = "float64"};
  auto check3 = [&](keras::layers::Layer&& l) {
    expect_gradients_match([&](const std::vector<Tensor>& v) { return l(v).at(0); }, {a, b, c});
  };
  check3(Add(f64));
  check3(Multiply(f64));
  check3(Average(f64));
  check3(Maximum(f64));
  check3(Minimum(f64));
  Subtract sub(f64);
  expect_gradients_match([&](const std::vector<Tensor>& v) { return sub(v).at(0); }, {a, c});
  Concatenate cat({.axis = 1, .dtype = "float64"});
  expect_gradients_match([&](const std::vector<Tensor>& v) { return cat(v).at(0); }, {a, c});
  // Rank broadcasting: (2, 2) against (2, 3, 2).
  Add add_layer(f64);
  expect_gradients_match([&](const std::vector<Tensor>& v) { return add_layer(v).at(0); },
                         {a, sample({2, 2}, -1, 1, 4)});
}

TEST(MergingLayers, ConfigsHaveKerasFieldsAndRoundTrip) {
  for (json c : {Add().get_config(), Subtract().get_config(), Multiply().get_config(),
                 Average().get_config(), Maximum().get_config(), Minimum().get_config()})
    EXPECT_EQ(config_keys(c), base_keys_and({}));
  Add named({.name = "sum_here"});
  EXPECT_EQ(named.get_config()["name"], "sum_here");
  EXPECT_EQ(Add().class_name(), "Add");
  json c = Concatenate({.axis = 1}).get_config();
  EXPECT_EQ(config_keys(c), base_keys_and({"axis"}));
  EXPECT_EQ(c["axis"], 1);
  EXPECT_EQ(Concatenate().get_config()["axis"], -1);
  Concatenate fresh;
  fresh.apply_config(c);
  EXPECT_EQ(fresh.get_config(), c);
  EXPECT_TRUE(fresh.weights().empty());
}

TEST(MergingLayers, ShapeErrorsNameTheLayerAndTheShapes) {
  const Tensor a = Tensor::ones({2, 3}), b = Tensor::ones({2, 4}), c = Tensor::ones({5, 3});
  Add add_layer({.name = "adder"});
  EXPECT_TRUE(throws_value_error(
      [&] {
        add_layer({a, b});
      },
      {"'adder'", "incompatible shapes", "(2, 3)", "(2, 4)"}));
  EXPECT_TRUE(throws_value_error([&] { Multiply()({a, c}); }, {"batch sizes", "(5, 3)"}));
  EXPECT_TRUE(throws_value_error([&] { Subtract()({a, a, a}); }, {"exactly 2 inputs", "3"}));
  EXPECT_TRUE(throws_value_error([&] { Add()(std::vector<Tensor>{}); }, {"at least 1 input"}));
  Concatenate cat({.axis = 1, .name = "joiner"});
  EXPECT_TRUE(throws_value_error(
      [&] {
        cat({Tensor::ones({2, 3, 4}), Tensor::ones({2, 3, 5})});
      },
      {"'joiner'", "(2, 3, 4)", "(2, 3, 5)"}));
  EXPECT_TRUE(throws_value_error(
      [&] {
        Concatenate()({Tensor::ones({2, 3}), Tensor::ones({2})});
      },
      {"rank"}));
  EXPECT_TRUE(throws_value_error([&] { add({Input({3}), Input({4})}); }, {"incompatible"}));
}
