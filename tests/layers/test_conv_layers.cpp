// Conv1D, Conv2D, DepthwiseConv2D, ZeroPadding2D, UpSampling2D: forward values against
// TensorFlow.js, gradients against finite differences, configs against Keras 3's get_config(),
// weight names / shapes against Keras's build(), and bad arguments.
#include <gtest/gtest.h>

#include "keras/layers/conv_layers.hpp"
#include "keras/layers/core/dense.hpp"
#include "keras/models/sequential.hpp"
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
using layers::Conv1D;
using layers::Conv2D;
using layers::DepthwiseConv2D;
using layers::UpSampling2D;
using layers::ZeroPadding2D;

namespace {

// Sets a layer's bias (last weight) to non-zero values so that it matters in comparisons.
void randomize_bias(layers::Layer& layer, uint64_t seed) {
  auto w = layer.get_weights();
  w.back() = sample32(w.back().shape(), seed, -0.5, 0.5);
  layer.set_weights(w);
}

json conv2d_tfjs(int64_t filters, std::vector<int64_t> k, std::vector<int64_t> s,
                 const std::string& padding, std::vector<int64_t> d, const std::string& act,
                 bool bias, const std::string& fmt = "channels_last") {
  return {{"class_name", "Conv2D"},
          {"config",
           {{"filters", filters},
            {"kernel_size", k},
            {"strides", s},
            {"padding", padding},
            {"data_format", fmt},
            {"dilation_rate", d},
            {"activation", act},
            {"use_bias", bias}}}};
}

}  // namespace

// ---------------------------------------------------------------- Conv2D

TEST(ConvLayers, Conv2DMatchesTensorFlowJs) {
  struct Case {
    Conv2D layer;
    json tfjs;
    Shape in;  // without batch
  };
  std::vector<Case> cases;
  cases.push_back({Conv2D(4, 3, {.activation = "relu"}),
                   conv2d_tfjs(4, {3, 3}, {1, 1}, "valid", {1, 1}, "relu", true),
                   {7, 6, 3}});
  cases.push_back({Conv2D(3, {2, 3}, {.strides = 2, .padding = "same"}),
                   conv2d_tfjs(3, {2, 3}, {2, 2}, "same", {1, 1}, "linear", true),
                   {7, 8, 2}});
  cases.push_back({Conv2D(2, 3, {.padding = "SAME", .dilation_rate = 2, .use_bias = false}),
                   conv2d_tfjs(2, {3, 3}, {1, 1}, "same", {2, 2}, "linear", false),
                   {9, 7, 3}});
  cases.push_back(
      {Conv2D(3, {3, 2},
              {.strides = {1, 2}, .data_format = "channels_first", .activation = "tanh"}),
       conv2d_tfjs(3, {3, 2}, {1, 2}, "valid", {1, 1}, "tanh", true, "channels_first"),
       {2, 6, 7}});
  uint64_t seed = 10;
  for (auto& c : cases) {
    Shape full = c.in;
    full.insert(full.begin(), 2);
    const Tensor x = sample32(full, seed++);
    c.layer(x);
    if (c.layer.get_weights().size() == 2) randomize_bias(c.layer, seed++);
    const Tensor y = c.layer(x);
    auto ref = tfjs_layer(c.tfjs, {c.in}, c.layer.get_weights(), {x});
    ASSERT_EQ(ref.size(), 1u);
    EXPECT_EQ(y.shape(), ref[0].shape()) << c.tfjs.dump();
    EXPECT_LT(max_abs_diff(y, ref[0]), 1e-5) << c.tfjs.dump();
  }
}

TEST(ConvLayers, Conv2DWeightsAndOutputShape) {
  Conv2D conv(8, {3, 2}, {.padding = "same", .name = "c"});
  EXPECT_EQ(conv.compute_output_shape(Shape{-1, 10, 9, 5}), (Shape{-1, 10, 9, 8}));
  conv(Tensor::zeros({1, 10, 9, 5}));
  auto w = conv.weights();
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].name(), "kernel");
  EXPECT_EQ(w[0].path(), "c/kernel");
  EXPECT_EQ(w[0].shape(), (Shape{3, 2, 5, 8}));
  EXPECT_EQ(w[1].name(), "bias");
  EXPECT_EQ(w[1].shape(), (Shape{8}));
  Conv2D strided(2, 3, {.strides = 2});
  EXPECT_EQ(strided.compute_output_shape(Shape{-1, 9, 10, 1}), (Shape{-1, 4, 4, 2}));
  Conv2D first(4, 3, {.data_format = "channels_first"});
  EXPECT_EQ(first.compute_output_shape(Shape{-1, 3, 8, 8}), (Shape{-1, 4, 6, 6}));
  EXPECT_EQ(first.weights()[0].shape(), (Shape{3, 3, 3, 4}));
  Conv2D nobias(4, 1, {.use_bias = false});
  nobias(Tensor::zeros({1, 2, 2, 3}));
  EXPECT_EQ(nobias.weights().size(), 1u);
}

TEST(ConvLayers, Conv2DGroupsEqualBlockDiagonalKernel) {
  // groups=2: filters [0,2) see channels [0,2), filters [2,4) channels [2,4): the same as one
  // convolution whose kernel is zero off the diagonal blocks.
  Conv2D grouped(4, 3, {.padding = "same", .groups = 2});
  const Tensor x = sample32({2, 5, 5, 4}, 3);
  grouped(x);
  EXPECT_EQ(grouped.kernel().shape(), (Shape{3, 3, 2, 4}));
  randomize_bias(grouped, 4);
  const auto gk = grouped.kernel().value().to_vector<float>();
  std::vector<float> full(3 * 3 * 4 * 4, 0.f);
  for (int p = 0; p < 9; ++p)
    for (int ci = 0; ci < 2; ++ci)
      for (int f = 0; f < 4; ++f) {
        const int g = f / 2;
        full[(p * 4 + g * 2 + ci) * 4 + f] = gk[(p * 2 + ci) * 4 + f];
      }
  Conv2D dense(4, 3, {.padding = "same"});
  dense(x);
  dense.set_weights({Tensor::from_vector(full, {3, 3, 4, 4}), grouped.get_weights()[1]});
  EXPECT_LT(max_abs_diff(grouped(x), dense(x)), 1e-6);
}

TEST(ConvLayers, Conv2DGradients) {
  Conv2D a(3, {2, 3}, {.strides = 2, .padding = "same", .activation = "tanh", .dtype = "float64"});
  expect_layer_gradients_match(a, sample({2, 5, 6, 2}, -1, 1, 21));
  Conv2D b(2, 3, {.data_format = "channels_first", .dilation_rate = 2, .dtype = "float64"});
  expect_layer_gradients_match(b, sample({1, 2, 6, 6}, -1, 1, 22));
  Conv2D c(4, 2, {.groups = 2, .dtype = "float64"});
  expect_layer_gradients_match(c, sample({1, 4, 4, 2}, -1, 1, 23));
}

TEST(ConvLayers, Conv2DConfigMatchesKeras3) {
  Conv2D conv(16, 3, {.name = "probe"});
  json c = conv.get_config();
  EXPECT_EQ(config_keys(c),
            (std::vector<std::string>{
                "name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding",
                "data_format", "dilation_rate", "groups", "activation", "use_bias",
                "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "bias_constraint"}));
  // Keras 3 defaults, tuples written as lists.
  EXPECT_EQ(c["filters"], 16);
  EXPECT_EQ(c["kernel_size"], json::array({3, 3}));
  EXPECT_EQ(c["strides"], json::array({1, 1}));
  EXPECT_EQ(c["padding"], "valid");
  EXPECT_EQ(c["data_format"], "channels_last");
  EXPECT_EQ(c["dilation_rate"], json::array({1, 1}));
  EXPECT_EQ(c["groups"], 1);
  EXPECT_EQ(c["activation"], "linear");
  EXPECT_EQ(c["use_bias"], true);
  EXPECT_EQ(c["kernel_initializer"]["class_name"], "GlorotUniform");
  EXPECT_EQ(c["bias_initializer"]["class_name"], "Zeros");
  EXPECT_TRUE(c["kernel_regularizer"].is_null());
  EXPECT_TRUE(c["bias_constraint"].is_null());

  Conv2D custom(8, {2, 3},
                {.strides = {2, 1},
                 .padding = "Same",
                 .activation = "relu",
                 .kernel_regularizer = "l2",
                 .name = "custom"});
  json cc = custom.get_config();
  EXPECT_EQ(cc["padding"], "same");  // Keras lower-cases padding
  EXPECT_EQ(cc["strides"], json::array({2, 1}));
  EXPECT_EQ(cc["kernel_size"], json::array({2, 3}));
  expect_config_round_trip(custom, Conv2D(1, 1));
  // A config with an int kernel_size (hand-written) reads as Keras's standardize_tuple does.
  Conv2D fresh(1, 1);
  json hand = cc;
  hand["kernel_size"] = 5;
  fresh.apply_config(hand);
  EXPECT_EQ(fresh.kernel_size(), (std::vector<int64_t>{5, 5}));
}

TEST(ConvLayers, Conv2DBadArguments) {
  expect_value_error([] { Conv2D(0, 3); }, {"filters", "filters=0"});
  expect_value_error([] { Conv2D(4, {3, 3, 3}); }, {"kernel_size", "(3, 3, 3)"});
  expect_value_error([] { Conv2D(4, {3, 0}); }, {"kernel_size"});
  expect_value_error([] { Conv2D(4, 3, {.padding = "causal"}); }, {"padding", "causal"});
  expect_value_error([] { Conv2D(4, 3, {.strides = 2, .dilation_rate = 2}); },
                     {"strides", "dilation_rate"});
  expect_value_error([] { Conv2D(3, 3, {.groups = 2}); }, {"groups=2", "filters=3"});
  expect_value_error([] { Conv2D(4, 3, {.data_format = "NHWC"}); }, {"data_format", "NHWC"});
  expect_value_error(
      [] {
        Conv2D(4, 3, {.groups = 4})(Tensor::zeros({1, 5, 5, 6}));
      },
      {"groups=4", "6 channels"});
  expect_value_error(
      [] {
        Conv2D(4, 3)(Tensor::zeros({1, 5, 5}));
      },
      {"expected ndim=4", "(1, 5, 5)"});
  expect_value_error([] { Conv2D(4, 5)(Tensor::zeros({1, 3, 3, 1})); }, {"negative"});
  Conv2D conv(4, 3);
  conv(Tensor::zeros({1, 5, 5, 2}));
  expect_value_error(
      [&] {
        conv(Tensor::zeros({1, 5, 5, 3}));
      },
      {"2 input channels", "(1, 5, 5, 3)"});
}

// ---------------------------------------------------------------- Conv1D

TEST(ConvLayers, Conv1DMatchesTensorFlowJs) {
  struct Case {
    Conv1D layer;
    json tfjs;
  };
  auto cfg = [](int64_t f, int64_t k, int64_t s, const std::string& p, int64_t d,
                const std::string& act) {
    return json{{"class_name", "Conv1D"},
                {"config",
                 {{"filters", f},
                  {"kernel_size", {k}},
                  {"strides", {s}},
                  {"padding", p},
                  {"dilation_rate", {d}},
                  {"activation", act},
                  {"use_bias", true}}}};
  };
  std::vector<Case> cases;
  cases.push_back({Conv1D(4, 3, {.strides = 2}), cfg(4, 3, 2, "valid", 1, "linear")});
  // TF.js 4.22 has no causal Conv1D ("not implemented yet"): it gets the input front-padded with
  // (k-1)*dilation = 2 zeros and "valid" padding, which is what causal padding means.
  cases.push_back({Conv1D(3, 2, {.padding = "causal", .dilation_rate = 2, .activation = "relu"}),
                   cfg(3, 2, 1, "valid", 2, "relu")});
  cases.push_back({Conv1D(2, 4, {.padding = "same"}), cfg(2, 4, 1, "same", 1, "linear")});
  uint64_t seed = 40;
  for (auto& c : cases) {
    const Tensor x = sample32({3, 9, 2}, seed++);
    c.layer(x);
    randomize_bias(c.layer, seed++);
    const Tensor y = c.layer(x);
    const bool causal = c.layer.padding() == "causal";
    const Tensor xin = causal ? ops::pad(x, {{0, 0}, {2, 0}, {0, 0}}) : x;
    auto ref = tfjs_layer(c.tfjs, {{causal ? 11 : 9, 2}}, c.layer.get_weights(), {xin});
    EXPECT_EQ(y.shape(), ref[0].shape()) << c.tfjs.dump();
    EXPECT_LT(max_abs_diff(y, ref[0]), 1e-5) << c.tfjs.dump();
  }
}

TEST(ConvLayers, Conv1DCausalSeesNoFuture) {
  Conv1D conv(1, 3, {.padding = "causal", .use_bias = false});
  Tensor x = Tensor::zeros({1, 6, 1});
  conv(x);
  conv.set_weights({Tensor::ones({3, 1, 1})});
  x = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {1, 6, 1});
  // y[t] = x[t-2] + x[t-1] + x[t] with zeros before the sequence.
  EXPECT_EQ(conv(x).to_vector<float>(), (std::vector<float>{1, 3, 6, 9, 12, 15}));
}

TEST(ConvLayers, Conv1DWeightsConfigGradientsErrors) {
  Conv1D conv(5, 3, {.padding = "causal", .name = "c1"});
  EXPECT_EQ(conv.compute_output_shape(Shape{-1, 10, 4}), (Shape{-1, 10, 5}));
  conv(Tensor::zeros({1, 10, 4}));
  EXPECT_EQ(conv.weights()[0].shape(), (Shape{3, 4, 5}));
  EXPECT_EQ(conv.weights()[1].shape(), (Shape{5}));
  json c = conv.get_config();
  EXPECT_EQ(c["kernel_size"], json::array({3}));
  EXPECT_EQ(c["strides"], json::array({1}));
  EXPECT_EQ(c["dilation_rate"], json::array({1}));
  EXPECT_EQ(c["padding"], "causal");
  expect_config_round_trip(conv, Conv1D(1, 1));

  Conv1D g(3, 3,
           {.padding = "causal", .dilation_rate = 2, .activation = "sigmoid", .dtype = "float64"});
  expect_layer_gradients_match(g, sample({2, 7, 2}, -1, 1, 50));
  Conv1D s(2, 2, {.strides = 3, .padding = "same", .dtype = "float64"});
  expect_layer_gradients_match(s, sample({1, 8, 3}, -1, 1, 51));

  expect_value_error([] { Conv1D(2, {3, 3}); }, {"kernel_size", "(3, 3)"});
  expect_value_error([] { Conv1D(2, 3, {.padding = "full"}); }, {"padding", "full"});
  expect_value_error([] { Conv1D(2, 3)(Tensor::zeros({2, 5, 5, 1})); }, {"expected ndim=3"});
}

// ---------------------------------------------------------------- DepthwiseConv2D

TEST(ConvLayers, DepthwiseConv2DMatchesTensorFlowJs) {
  auto cfg = [](std::vector<int64_t> k, std::vector<int64_t> s, const std::string& p, int64_t m,
                std::vector<int64_t> d, const std::string& act) {
    return json{{"class_name", "DepthwiseConv2D"},
                {"config",
                 {{"kernel_size", k},
                  {"strides", s},
                  {"padding", p},
                  {"depth_multiplier", m},
                  {"dilation_rate", d},
                  {"activation", act},
                  {"use_bias", true}}}};
  };
  struct Case {
    DepthwiseConv2D layer;
    json tfjs;
  };
  std::vector<Case> cases;
  cases.push_back({DepthwiseConv2D(3, {.strides = 2, .padding = "same", .depth_multiplier = 2}),
                   cfg({3, 3}, {2, 2}, "same", 2, {1, 1}, "linear")});
  // (TF.js 4.22's DepthwiseConv2D ignores dilation_rate; dilation is checked below by identity.)
  cases.push_back({DepthwiseConv2D({2, 3}, {.strides = {1, 2}, .activation = "relu"}),
                   cfg({2, 3}, {1, 2}, "valid", 1, {1, 1}, "relu")});
  uint64_t seed = 60;
  for (auto& c : cases) {
    const Tensor x = sample32({2, 7, 8, 3}, seed++);
    c.layer(x);
    randomize_bias(c.layer, seed++);
    const Tensor y = c.layer(x);
    auto ref = tfjs_layer(c.tfjs, {{7, 8, 3}}, c.layer.get_weights(), {x});
    EXPECT_EQ(y.shape(), ref[0].shape()) << c.tfjs.dump();
    EXPECT_LT(max_abs_diff(y, ref[0]), 1e-5) << c.tfjs.dump();
  }
}

TEST(ConvLayers, DepthwiseConv2DDilationEqualsZeroInsertedKernel) {
  // A (2, 3) kernel dilated by 2 reads the same pixels as a (3, 5) kernel with the taps at even
  // offsets and zeros between them.
  DepthwiseConv2D dilated({2, 3}, {.padding = "same", .depth_multiplier = 2, .dilation_rate = 2});
  const Tensor x = sample32({2, 7, 8, 3}, 64);
  dilated(x);
  randomize_bias(dilated, 65);
  const auto k = dilated.kernel().value().to_vector<float>();
  std::vector<float> wide(3 * 5 * 3 * 2, 0.f);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int cm = 0; cm < 6; ++cm) wide[((2 * i) * 5 + 2 * j) * 6 + cm] = k[(i * 3 + j) * 6 + cm];
  DepthwiseConv2D plain({3, 5}, {.padding = "same", .depth_multiplier = 2});
  plain(x);
  plain.set_weights({Tensor::from_vector(wide, {3, 5, 3, 2}), dilated.get_weights()[1]});
  EXPECT_LT(max_abs_diff(dilated(x), plain(x)), 1e-6);
}

TEST(ConvLayers, DepthwiseConv2DWeightsConfigGradientsErrors) {
  DepthwiseConv2D dw(3, {.depth_multiplier = 2, .name = "dw"});
  dw(Tensor::zeros({1, 5, 5, 4}));
  auto w = dw.weights();
  ASSERT_EQ(w.size(), 2u);
  // Keras 3 names the depthwise kernel "kernel" (tf.keras: "depthwise_kernel").
  EXPECT_EQ(w[0].name(), "kernel");
  EXPECT_EQ(w[0].shape(), (Shape{3, 3, 4, 2}));
  EXPECT_EQ(w[1].name(), "bias");
  EXPECT_EQ(w[1].shape(), (Shape{8}));
  EXPECT_EQ(dw.compute_output_shape(Shape{-1, 5, 5, 4}), (Shape{-1, 3, 3, 8}));

  json c = dw.get_config();
  EXPECT_EQ(config_keys(c), (std::vector<std::string>{
                                "name", "trainable", "dtype", "depth_multiplier", "kernel_size",
                                "strides", "padding", "data_format", "dilation_rate", "activation",
                                "use_bias", "depthwise_initializer", "bias_initializer",
                                "depthwise_regularizer", "bias_regularizer", "activity_regularizer",
                                "depthwise_constraint", "bias_constraint"}));
  EXPECT_EQ(c["depth_multiplier"], 2);
  EXPECT_EQ(c["kernel_size"], json::array({3, 3}));
  EXPECT_EQ(c["strides"], json::array({1, 1}));
  EXPECT_EQ(c["depthwise_initializer"]["class_name"], "GlorotUniform");
  expect_config_round_trip(dw, DepthwiseConv2D(1));

  DepthwiseConv2D g({2, 3}, {.strides = 2,
                             .padding = "same",
                             .depth_multiplier = 2,
                             .activation = "tanh",
                             .dtype = "float64"});
  expect_layer_gradients_match(g, sample({2, 5, 6, 2}, -1, 1, 70));
  DepthwiseConv2D f(3, {.data_format = "channels_first", .dtype = "float64"});
  expect_layer_gradients_match(f, sample({1, 2, 5, 5}, -1, 1, 71));
  EXPECT_EQ(f.compute_output_shape(Shape{-1, 2, 5, 5}), (Shape{-1, 2, 3, 3}));

  expect_value_error([] { DepthwiseConv2D(3, {.depth_multiplier = 0}); }, {"depth_multiplier=0"});
  expect_value_error([] { DepthwiseConv2D(3, {.padding = "causal"}); }, {"padding"});
  expect_value_error([] { DepthwiseConv2D(3)(Tensor::zeros({1, 5, 5})); }, {"ndim=4"});
}

// ---------------------------------------------------------------- ZeroPadding2D

TEST(ConvLayers, ZeroPadding2DFormsAndTensorFlowJs) {
  ZeroPadding2D pairs({{1, 2}, {0, 3}});
  const Tensor x = sample32({2, 3, 4, 2}, 80);
  const Tensor y = pairs(x);
  EXPECT_EQ(y.shape(), (Shape{2, 6, 7, 2}));
  json cfg = {{"class_name", "ZeroPadding2D"},
              {"config", {{"padding", {{1, 2}, {0, 3}}}, {"data_format", "channels_last"}}}};
  auto ref = tfjs_layer(cfg, {{3, 4, 2}}, {}, {x});
  EXPECT_LT(max_abs_diff(y, ref[0]), 1e-7);
  // Hand check of one corner and one interior element.
  EXPECT_EQ(y.at<float>({0, 0, 0, 0}), 0.f);
  EXPECT_EQ(y.at<float>({1, 1, 0, 1}), x.at<float>({1, 0, 0, 1}));

  EXPECT_EQ(ZeroPadding2D()(x).shape(), (Shape{2, 5, 6, 2}));
  EXPECT_EQ(ZeroPadding2D(2)(x).shape(), (Shape{2, 7, 8, 2}));
  EXPECT_EQ(ZeroPadding2D({1, 3})(x).shape(), (Shape{2, 5, 10, 2}));
  ZeroPadding2D first({{1, 0}, {2, 2}}, {.data_format = "channels_first"});
  EXPECT_EQ(first(x).shape(), (Shape{2, 3, 5, 6}));  // rows 4 + 1, cols 2 + 4
  EXPECT_EQ(first.compute_output_shape(Shape{-1, 3, -1, 4}), (Shape{-1, 3, -1, 8}));
}

TEST(ConvLayers, ZeroPadding2DConfigGradientsErrors) {
  ZeroPadding2D pad({1, 3});
  json c = pad.get_config();
  EXPECT_EQ(config_keys(c),
            (std::vector<std::string>{"name", "trainable", "dtype", "padding", "data_format"}));
  EXPECT_EQ(c["padding"], json::parse("[[1, 1], [3, 3]]"));
  EXPECT_EQ(c["data_format"], "channels_last");
  expect_config_round_trip(pad, ZeroPadding2D());
  ZeroPadding2D fresh;
  json hand = c;
  hand["padding"] = 2;
  fresh.apply_config(hand);
  EXPECT_EQ(fresh.get_config()["padding"], json::parse("[[2, 2], [2, 2]]"));
  hand["padding"] = json::parse("[1, 2]");
  fresh.apply_config(hand);
  EXPECT_EQ(fresh.get_config()["padding"], json::parse("[[1, 1], [2, 2]]"));

  ZeroPadding2D g({{0, 1}, {2, 1}}, {.dtype = "float64"});
  expect_layer_gradients_match(g, sample({1, 3, 2, 2}, -1, 1, 81));

  expect_value_error([] { ZeroPadding2D(-1); }, {"non-negative"});
  expect_value_error([] { ZeroPadding2D({1, 2, 3}); }, {"padding"});
  expect_value_error([] { ZeroPadding2D({{1, 2}, {3}}); }, {"padding"});
  expect_value_error([] { ZeroPadding2D(1)(Tensor::zeros({2, 3, 3})); }, {"ndim=4"});
  ZeroPadding2D bad;
  json h = bad.get_config();
  h["padding"] = json::parse("[[1, 2, 3], [1, 1]]");
  expect_value_error([&] { bad.apply_config(h); }, {"padding"});
}

// ---------------------------------------------------------------- UpSampling2D

TEST(ConvLayers, UpSampling2DNearestMatchesTensorFlowJs) {
  UpSampling2D up({2, 3});
  const Tensor x = sample32({2, 3, 4, 2}, 90);
  const Tensor y = up(x);
  EXPECT_EQ(y.shape(), (Shape{2, 6, 12, 2}));
  json cfg = {{"class_name", "UpSampling2D"},
              {"config",
               {{"size", {2, 3}}, {"data_format", "channels_last"}, {"interpolation", "nearest"}}}};
  auto ref = tfjs_layer(cfg, {{3, 4, 2}}, {}, {x});
  EXPECT_LT(max_abs_diff(y, ref[0]), 1e-7);
  EXPECT_EQ(up.compute_output_shape(Shape{-1, 3, -1, 2}), (Shape{-1, 6, -1, 2}));
  UpSampling2D first(2, {.data_format = "channels_first"});
  EXPECT_EQ(first(x).shape(), (Shape{2, 3, 8, 4}));  // (4, 2) images doubled
}

TEST(ConvLayers, UpSampling2DBilinearHalfPixelCenters) {
  // tf.image.resize([[1, 2], [3, 4]], (4, 4), "bilinear") with half-pixel centers: source rows
  // of outputs 0..3 are -0.25 (clamped), 0.25, 0.75, 1.25 (clamped), so each axis maps [a, b] to
  // [a, .75a + .25b, .25a + .75b, b].
  UpSampling2D up(2, {.interpolation = "bilinear"});
  const Tensor x = Tensor::from_vector<float>({1, 2, 3, 4}, {1, 2, 2, 1});
  const std::vector<float> expected = {1,   1.25, 1.75, 2,   1.5, 1.75, 2.25, 2.5,
                                       2.5, 2.75, 3.25, 3.5, 3,   3.25, 3.75, 4};
  const Tensor y = up(x);
  ASSERT_EQ(y.shape(), (Shape{1, 4, 4, 1}));
  const auto got = y.to_vector<float>();
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-6) << i;
  // Factor 3 along one axis: source positions (i + .5)/3 - .5 = -1/3, 0, 1/3, 2/3, 1, 4/3.
  UpSampling2D up3({1, 3}, {.interpolation = "bilinear"});
  const auto row = up3(Tensor::from_vector<float>({0, 3}, {1, 1, 2, 1})).to_vector<float>();
  const std::vector<float> expected_row = {0, 0, 1, 2, 3, 3};
  for (size_t i = 0; i < expected_row.size(); ++i) EXPECT_NEAR(row[i], expected_row[i], 1e-6);
}

TEST(ConvLayers, UpSampling2DConfigGradientsErrors) {
  UpSampling2D up(3, {.interpolation = "Bilinear"});
  json c = up.get_config();
  EXPECT_EQ(config_keys(c), (std::vector<std::string>{"name", "trainable", "dtype", "size",
                                                      "data_format", "interpolation"}));
  EXPECT_EQ(c["size"], json::array({3, 3}));
  EXPECT_EQ(c["interpolation"], "bilinear");
  EXPECT_EQ(UpSampling2D().get_config()["size"], json::array({2, 2}));
  EXPECT_EQ(UpSampling2D().get_config()["interpolation"], "nearest");
  expect_config_round_trip(up, UpSampling2D());

  UpSampling2D n({2, 3}, {.dtype = "float64"});
  expect_layer_gradients_match(n, sample({1, 2, 3, 2}, -1, 1, 91));
  UpSampling2D b({3, 2}, {.interpolation = "bilinear", .dtype = "float64"});
  expect_layer_gradients_match(b, sample({2, 3, 2, 1}, -1, 1, 92));

  expect_value_error([] { UpSampling2D(2, {.interpolation = "bicubic"}); }, {"bicubic"});
  expect_value_error([] { UpSampling2D({2, 2, 2}); }, {"size"});
  expect_value_error([] { UpSampling2D(0); }, {"size"});
}

// ---------------------------------------------------------------- a CNN

namespace {

// Stand-in for keras.layers.Flatten (owned by another part of the library) in the CNN test.
class FlattenForTest : public layers::Layer {
 public:
  FlattenForTest()
      : layers::Layer({.name = "flatten_for_test", .trainable = true, .dtype = "float32"},
                      "Flatten") {}
  KERAS_LAYER_CLONE(FlattenForTest)
  using layers::Layer::call;
  Tensor call(const Tensor& x, bool) override { return x.reshape({x.dim(0), -1}); }
};

}  // namespace

TEST(ConvLayers, MnistCnnShapesAndParameterCounts) {
  Sequential model({Input({28, 28, 1}), Conv2D(32, 3, {.activation = "relu", .name = "cnn_conv_a"}),
                    layers::MaxPooling2D(2, {.name = "cnn_pool_a"}),
                    Conv2D(64, {3, 3}, {.activation = "relu", .name = "cnn_conv_b"}),
                    layers::MaxPooling2D({2, 2}, {.name = "cnn_pool_b"}), FlattenForTest(),
                    layers::Dense(128, {.activation = "relu", .name = "cnn_dense_a"}),
                    layers::Dense(10, {.name = "cnn_dense_b"})},
                   {.name = "cnn"});
  const Tensor y = model(sample32({3, 28, 28, 1}, 99));
  EXPECT_EQ(y.shape(), (Shape{3, 10}));
  // 3*3*1*32 + 32; 3*3*32*64 + 64; 28 -> 26 -> 13 -> 11 -> 5, so 5*5*64 = 1600 inputs: 1600*128
  // + 128; 128*10 + 10.
  EXPECT_EQ(model.count_params(), 320 + 18496 + 204928 + 1290);
  const std::string s = model.summary();
  auto line_with = [&](const std::string& name) {
    const auto at = s.find(" " + name + " ");
    if (at == std::string::npos) return std::string();
    return s.substr(at, s.find('\n', at) - at);
  };
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"cnn_conv_a", "(None, 26, 26, 32)"}, {"cnn_pool_a", "(None, 13, 13, 32)"},
      {"cnn_conv_b", "(None, 11, 11, 64)"}, {"cnn_pool_b", "(None, 5, 5, 64)"},
      {"flatten_for_test", "(None, 1600)"}, {"cnn_dense_a", "(None, 128)"},
      {"cnn_dense_b", "(None, 10)"}};
  const std::vector<std::string> params = {"320", "0", "18496", "0", "0", "204928", "1290"};
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string line = line_with(rows[i].first);
    EXPECT_NE(line.find(rows[i].second), std::string::npos) << line << "\n" << s;
    EXPECT_NE(line.find(" " + params[i] + " "), std::string::npos) << line << "\n" << s;
  }
  EXPECT_NE(s.find("Total params: 225,034"), std::string::npos) << s;
  EXPECT_NE(s.find("(Conv2D)"), std::string::npos);
  EXPECT_NE(s.find("(MaxPooling2D)"), std::string::npos);
}
