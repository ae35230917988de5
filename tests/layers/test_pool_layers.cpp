// MaxPooling1D/2D, AveragePooling1D/2D, GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D:
// forward values against TensorFlow.js and hand math, gradients against finite differences,
// configs against Keras 3's get_config(), bad arguments.
#include <gtest/gtest.h>

#include "keras/layers/conv_layers.hpp"
#include "layers/test_conv_helpers.hpp"

// GCC 12 warns about every option left out of a designated initializer (the API's keyword-
// argument style); the defaults are intended.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace keras;
using keras::testing::config_keys;
using keras::testing::expect_config_round_trip;
using keras::testing::expect_layer_gradients_match;
using keras::testing::expect_value_error;
using keras::testing::max_abs_diff;
using keras::testing::sample;
using keras::testing::sample32;
using keras::testing::tfjs_layer;
using layers::AveragePooling1D;
using layers::AveragePooling2D;
using layers::GlobalAveragePooling1D;
using layers::GlobalAveragePooling2D;
using layers::GlobalMaxPooling1D;
using layers::GlobalMaxPooling2D;
using layers::MaxPooling1D;
using layers::MaxPooling2D;

namespace {

json pool_cfg(const std::string& cls, json pool, json strides, const std::string& padding,
              const std::string& fmt = "channels_last") {
  return {
      {"class_name", cls},
      {"config",
       {{"pool_size", pool}, {"strides", strides}, {"padding", padding}, {"data_format", fmt}}}};
}

void expect_matches_tfjs(keras::layers::Layer& layer, const json& cfg, const Shape& in,
                         uint64_t seed) {
  Shape full = in;
  full.insert(full.begin(), 2);
  const Tensor x = sample32(full, seed);
  const Tensor y = layer(x);
  auto ref = tfjs_layer(cfg, {in}, {}, {x});
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_EQ(y.shape(), ref[0].shape()) << cfg.dump();
  EXPECT_LT(max_abs_diff(y, ref[0]), 1e-6) << cfg.dump();
}

}  // namespace

TEST(PoolLayers, Pooling2DMatchesTensorFlowJs) {
  MaxPooling2D a;
  expect_matches_tfjs(a, pool_cfg("MaxPooling2D", {2, 2}, {2, 2}, "valid"), {7, 6, 3}, 1);
  MaxPooling2D b({3, 2}, {.strides = {2, 1}, .padding = "same"});
  expect_matches_tfjs(b, pool_cfg("MaxPooling2D", {3, 2}, {2, 1}, "same"), {7, 6, 2}, 2);
  AveragePooling2D c(3, {.strides = 2, .padding = "same"});
  expect_matches_tfjs(c, pool_cfg("AveragePooling2D", {3, 3}, {2, 2}, "same"), {8, 7, 2}, 3);
  AveragePooling2D d({2, 3}, {.strides = 1});
  expect_matches_tfjs(d, pool_cfg("AveragePooling2D", {2, 3}, {1, 1}, "valid"), {5, 6, 2}, 4);
  MaxPooling2D e(2, {.data_format = "channels_first"});
  expect_matches_tfjs(e, pool_cfg("MaxPooling2D", {2, 2}, {2, 2}, "valid", "channels_first"),
                      {3, 6, 5}, 5);
}

TEST(PoolLayers, Pooling1DMatchesTensorFlowJs) {
  MaxPooling1D a(3, {.strides = 2, .padding = "same"});
  expect_matches_tfjs(a, pool_cfg("MaxPooling1D", {3}, {2}, "same"), {9, 3}, 11);
  AveragePooling1D b;
  expect_matches_tfjs(b, pool_cfg("AveragePooling1D", {2}, {2}, "valid"), {9, 3}, 12);
  AveragePooling1D c(4, {.strides = 3, .padding = "same"});
  expect_matches_tfjs(c, pool_cfg("AveragePooling1D", {4}, {3}, "same"), {10, 2}, 13);
}

TEST(PoolLayers, GlobalPoolingMatchesTensorFlowJs) {
  struct Case {
    keras::Layer layer;
    std::string cls;
    Shape in;
  };
  std::vector<Case> cases = {{GlobalMaxPooling1D(), "GlobalMaxPooling1D", {7, 3}},
                             {GlobalAveragePooling1D(), "GlobalAveragePooling1D", {7, 3}},
                             {GlobalMaxPooling2D(), "GlobalMaxPooling2D", {4, 5, 3}},
                             {GlobalAveragePooling2D(), "GlobalAveragePooling2D", {4, 5, 3}}};
  uint64_t seed = 20;
  for (auto& c : cases)
    expect_matches_tfjs(*c.layer,
                        {{"class_name", c.cls}, {"config", {{"data_format", "channels_last"}}}},
                        c.in, seed++);
}

TEST(PoolLayers, HandValuesAndKeepdims) {
  // 1 x 2 x 4 x 1 image; 2x2 windows.
  const Tensor x = Tensor::from_vector<float>({1, 5, 2, 0, 3, -1, 7, 4}, {1, 2, 4, 1});
  EXPECT_EQ(MaxPooling2D()(x).to_vector<float>(), (std::vector<float>{5, 7}));
  EXPECT_EQ(AveragePooling2D()(x).to_vector<float>(), (std::vector<float>{2, 3.25}));
  // "same" average over a 3-wide window at the right edge counts only the real elements.
  const Tensor row = Tensor::from_vector<float>({1, 2, 3, 4}, {1, 4, 1});
  EXPECT_EQ(AveragePooling1D(3, {.strides = 2, .padding = "same"})(row).to_vector<float>(),
            (std::vector<float>{2, 3.5}));

  GlobalAveragePooling2D keep({.keepdims = true});
  const Tensor k = keep(x);
  EXPECT_EQ(k.shape(), (Shape{1, 1, 1, 1}));
  EXPECT_FLOAT_EQ(k.item<float>(), 21.f / 8.f);
  EXPECT_EQ(keep.compute_output_shape(Shape{-1, 4, 5, 3}), (Shape{-1, 1, 1, 3}));
  GlobalMaxPooling1D keep1({.keepdims = true});
  EXPECT_EQ(keep1(Tensor::from_vector<float>({1, 9, 2, 3, 0, 8}, {1, 3, 2})).to_vector<float>(),
            (std::vector<float>{2, 9}));
  EXPECT_EQ(keep1.compute_output_shape(Shape{-1, 3, 2}), (Shape{-1, 1, 2}));
  GlobalMaxPooling2D first({.data_format = "channels_first"});
  EXPECT_EQ(first(Tensor::zeros({2, 3, 4, 5})).shape(), (Shape{2, 3}));
  GlobalAveragePooling1D first1({.data_format = "channels_first", .keepdims = true});
  EXPECT_EQ(first1(Tensor::zeros({2, 3, 4})).shape(), (Shape{2, 3, 1}));
}

TEST(PoolLayers, OutputShapes) {
  EXPECT_EQ(MaxPooling2D().compute_output_shape(Shape{-1, 7, 6, 3}), (Shape{-1, 3, 3, 3}));
  EXPECT_EQ(
      MaxPooling2D(3, {.strides = 2, .padding = "same"}).compute_output_shape(Shape{-1, 7, -1, 3}),
      (Shape{-1, 4, -1, 3}));
  EXPECT_EQ(AveragePooling1D(2).compute_output_shape(Shape{4, 9, 3}), (Shape{4, 4, 3}));
  EXPECT_EQ(
      MaxPooling2D(2, {.data_format = "channels_first"}).compute_output_shape(Shape{-1, 3, 6, 5}),
      (Shape{-1, 3, 3, 2}));
}

TEST(PoolLayers, Gradients) {
  // Distinct values (no ties), so the max is differentiable everywhere it is evaluated.
  MaxPooling2D a({2, 3}, {.strides = {1, 2}, .padding = "same", .dtype = "float64"});
  expect_layer_gradients_match(a, sample({2, 4, 5, 2}, -1, 1, 31));
  AveragePooling2D b(3, {.strides = 2, .padding = "same", .dtype = "float64"});
  expect_layer_gradients_match(b, sample({1, 5, 6, 2}, -1, 1, 32));
  MaxPooling1D c(3, {.strides = 2, .dtype = "float64"});
  expect_layer_gradients_match(c, sample({2, 7, 2}, -1, 1, 33));
  AveragePooling1D d(2, {.padding = "same", .data_format = "channels_first", .dtype = "float64"});
  expect_layer_gradients_match(d, sample({1, 2, 7}, -1, 1, 34));
  GlobalMaxPooling2D e({.dtype = "float64"});
  expect_layer_gradients_match(e, sample({2, 3, 3, 2}, -1, 1, 35));
  GlobalAveragePooling1D f({.keepdims = true, .dtype = "float64"});
  expect_layer_gradients_match(f, sample({2, 4, 3}, -1, 1, 36));
}

TEST(PoolLayers, ConfigsMatchKeras3) {
  MaxPooling2D pool(3);
  json c = pool.get_config();
  EXPECT_EQ(config_keys(c), (std::vector<std::string>{"name", "trainable", "dtype", "pool_size",
                                                      "padding", "strides", "data_format"}));
  EXPECT_EQ(c["pool_size"], json::array({3, 3}));
  EXPECT_EQ(c["strides"], json::array({3, 3}));  // Keras: strides=None means pool_size
  EXPECT_EQ(c["padding"], "valid");
  EXPECT_EQ(c["data_format"], "channels_last");
  EXPECT_EQ(MaxPooling2D().get_config()["pool_size"], json::array({2, 2}));

  AveragePooling1D avg(4, {.strides = 1, .padding = "same"});
  json a = avg.get_config();
  EXPECT_EQ(a["pool_size"], json::array({4}));
  EXPECT_EQ(a["strides"], json::array({1}));
  EXPECT_EQ(a["padding"], "same");
  EXPECT_EQ(AveragePooling1D().get_config()["pool_size"], json::array({2}));
  expect_config_round_trip(avg, AveragePooling1D());
  expect_config_round_trip(pool, MaxPooling2D());
  AveragePooling2D av2({2, 3}, {.strides = {1, 2}});
  expect_config_round_trip(av2, AveragePooling2D());
  MaxPooling1D fresh;
  fresh.apply_config({{"pool_size", 3}, {"strides", nullptr}});  // hand-written: int, None
  EXPECT_EQ(fresh.pool_size(), (std::vector<int64_t>{3}));
  EXPECT_EQ(fresh.strides(), (std::vector<int64_t>{3}));

  GlobalAveragePooling2D g({.keepdims = true});
  json gc = g.get_config();
  EXPECT_EQ(config_keys(gc),
            (std::vector<std::string>{"name", "trainable", "dtype", "data_format", "keepdims"}));
  EXPECT_EQ(gc["keepdims"], true);
  EXPECT_EQ(GlobalMaxPooling1D().get_config()["keepdims"], false);
  expect_config_round_trip(g, GlobalAveragePooling2D());
}

TEST(PoolLayers, BadArguments) {
  expect_value_error([] { MaxPooling2D(0); }, {"pool_size"});
  expect_value_error([] { MaxPooling2D({2, 2, 2}); }, {"pool_size", "(2, 2, 2)"});
  expect_value_error([] { MaxPooling1D({2, 2}); }, {"pool_size", "(2, 2)"});
  expect_value_error([] { AveragePooling2D(2, {.padding = "full"}); }, {"padding", "full"});
  expect_value_error([] { AveragePooling1D(2, {.data_format = "NWC"}); }, {"data_format"});
  expect_value_error(
      [] {
        MaxPooling2D()(Tensor::zeros({1, 4, 4}));
      },
      {"expected ndim=4", "(1, 4, 4)"});
  expect_value_error([] { MaxPooling2D(5)(Tensor::zeros({1, 4, 4, 1})); }, {"negative"});
  expect_value_error(
      [] {
        GlobalAveragePooling1D()(Tensor::zeros({1, 4, 4, 1}));
      },
      {"expected ndim=3"});
  expect_value_error([] { GlobalMaxPooling2D({.data_format = "x"}); }, {"data_format"});
}
