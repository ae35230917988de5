// BatchNormalization and LayerNormalization: forward values against TensorFlow.js (inference and
// training mode), moving statistics against hand math, gradients against finite differences,
// configs against Keras 3's get_config(), weights against Keras's build(), bad arguments, and a
// real Keras 2.1.3 model (Conv2D + BatchNormalization) against its recorded predictions.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "keras/io/hdf5.hpp"
#include "keras/io/npy.hpp"
#include "keras/layers/conv_layers.hpp"
#include "keras/layers/core/dense.hpp"
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
using layers::BatchNormalization;
using layers::LayerNormalization;

namespace {

json bn_cfg(int axis, bool center = true, bool scale = true, double eps = 1e-3) {
  return {{"class_name", "BatchNormalization"},
          {"config",
           {{"axis", axis},
            {"momentum", 0.99},
            {"epsilon", eps},
            {"center", center},
            {"scale", scale}}}};
}

// Non-trivial gamma, beta, moving mean and moving variance (> 0) for a built layer.
void set_bn_weights(layers::Layer& bn, uint64_t seed) {
  auto w = bn.get_weights();
  for (size_t i = 0; i < w.size(); ++i) {
    const std::string name = bn.weights()[i].name();
    const bool positive = name == "gamma" || name == "moving_variance";
    w[i] = sample32(w[i].shape(), seed + i, positive ? 0.5 : -1.0, positive ? 2.0 : 1.0);
  }
  bn.set_weights(w);
}

// Per-channel mean and biased variance of a float tensor along `axis`, by plain loops.
void channel_moments(const Tensor& x, int axis, std::vector<double>& mean,
                     std::vector<double>& var) {
  const auto v = x.to_vector<double>();
  int64_t inner = 1;
  for (int i = axis + 1; i < x.ndim(); ++i) inner *= x.dim(i);
  const int64_t c = x.dim(axis);
  mean.assign(c, 0);
  var.assign(c, 0);
  std::vector<int64_t> count(c, 0);
  for (size_t i = 0; i < v.size(); ++i) {
    const int64_t ch = (static_cast<int64_t>(i) / inner) % c;
    mean[ch] += v[i];
    ++count[ch];
  }
  for (int64_t k = 0; k < c; ++k) mean[k] /= count[k];
  for (size_t i = 0; i < v.size(); ++i) {
    const int64_t ch = (static_cast<int64_t>(i) / inner) % c;
    var[ch] += (v[i] - mean[ch]) * (v[i] - mean[ch]);
  }
  for (int64_t k = 0; k < c; ++k) var[k] /= count[k];
}

}  // namespace

// ---------------------------------------------------------------- BatchNormalization

TEST(NormLayers, BatchNormInferenceMatchesTensorFlowJs) {
  struct Case {
    BatchNormalization layer;
    json tfjs;
    Shape in;
  };
  std::vector<Case> cases;
  cases.push_back({BatchNormalization(), bn_cfg(-1), {3, 4, 5}});
  cases.push_back({BatchNormalization({.epsilon = 0.01}), bn_cfg(-1, true, true, 0.01), {4, 5}});
  cases.push_back({BatchNormalization({.center = false}), bn_cfg(-1, false, true), {6}});
  // Not compared with TF.js: axis != -1, where TF.js 4.22's CPU batchNorm kernel cycles the
  // per-channel values along the last axis whatever the axis (see the hand-math test below).
  uint64_t seed = 100;
  for (auto& c : cases) {
    Shape full = c.in;
    full.insert(full.begin(), 2);
    const Tensor x = sample32(full, seed++, -2.0, 3.0);
    c.layer(x);
    set_bn_weights(c.layer, seed++);
    const Tensor y = c.layer(x);  // training=false: moving statistics
    auto ref = tfjs_layer(c.tfjs, {c.in}, c.layer.get_weights(), {x});
    EXPECT_LT(max_abs_diff(y, ref[0]), 1e-5) << c.tfjs.dump();
  }
}

TEST(NormLayers, BatchNormTrainingMatchesTensorFlowJs) {
  struct Case {
    BatchNormalization layer;
    json tfjs;
    Shape in;
  };
  std::vector<Case> cases;
  cases.push_back({BatchNormalization(), bn_cfg(-1), {3, 4, 5}});
  cases.push_back({BatchNormalization({.epsilon = 0.1}), bn_cfg(-1, true, true, 0.1), {7}});
  // (TF.js 4.22 crashes in training mode with scale=false, and mishandles axis != -1; both are
  // checked against hand math below.)
  uint64_t seed = 120;
  for (auto& c : cases) {
    Shape full = c.in;
    full.insert(full.begin(), 4);
    const Tensor x = sample32(full, seed++, -2.0, 3.0);
    c.layer(x);
    set_bn_weights(c.layer, seed++);
    const auto weights = c.layer.get_weights();
    const Tensor y = c.layer(x, /*training=*/true);  // batch statistics
    auto ref = tfjs_layer(c.tfjs, {c.in}, weights, {x}, 1, {}, /*training=*/true);
    EXPECT_LT(max_abs_diff(y, ref[0]), 1e-5) << c.tfjs.dump();
  }
}

TEST(NormLayers, BatchNormMovingStatisticsFollowKerasFormula) {
  BatchNormalization bn({.momentum = 0.9});
  const Tensor x = sample32({4, 3, 2, 5}, 130, -1.0, 4.0);
  bn(x);
  set_bn_weights(bn, 131);
  const auto mean0 = bn.moving_mean().value().to_vector<double>();
  const auto var0 = bn.moving_variance().value().to_vector<double>();
  std::vector<double> bm, bv;
  channel_moments(x, 3, bm, bv);
  const Tensor y = bn(x, /*training=*/true);
  const auto mean1 = bn.moving_mean().value().to_vector<double>();
  const auto var1 = bn.moving_variance().value().to_vector<double>();
  const auto gamma = bn.gamma().value().to_vector<double>();
  const auto beta = bn.beta().value().to_vector<double>();
  const auto xv = x.to_vector<double>(), yv = y.to_vector<double>();
  for (int c = 0; c < 5; ++c) {
    // Keras 3: moving = moving * momentum + batch * (1 - momentum), biased batch variance.
    EXPECT_NEAR(mean1[c], mean0[c] * 0.9 + bm[c] * 0.1, 1e-6) << c;
    EXPECT_NEAR(var1[c], var0[c] * 0.9 + bv[c] * 0.1, 1e-6) << c;
  }
  for (size_t i = 0; i < xv.size(); ++i) {
    const int c = static_cast<int>(i % 5);
    EXPECT_NEAR(yv[i], (xv[i] - bm[c]) / std::sqrt(bv[c] + 1e-3) * gamma[c] + beta[c], 1e-5);
  }
  // Inference afterwards uses the updated moving statistics and leaves them alone.
  const Tensor yi = bn(x);
  EXPECT_EQ(bn.moving_mean().value().to_vector<double>(), mean1);
  const auto yiv = yi.to_vector<double>();
  for (size_t i = 0; i < xv.size(); i += 7) {
    const int c = static_cast<int>(i % 5);
    EXPECT_NEAR(yiv[i], (xv[i] - mean1[c]) / std::sqrt(var1[c] + 1e-3) * gamma[c] + beta[c], 1e-5);
  }
  // A frozen layer runs in inference mode even with training=true (Keras 3) and updates nothing.
  bn.set_trainable(false);
  const Tensor yf = bn(x, /*training=*/true);
  EXPECT_LT(max_abs_diff(yf, yi), 1e-7);
  EXPECT_EQ(bn.moving_variance().value().to_vector<double>(), var1);
}

TEST(NormLayers, BatchNormChannelsFirstAxisMatchesHandMath) {
  // axis=1 of (N, C, H, W): every (n, h, w) element of channel c is normalised with channel c's
  // statistics, in inference (moving statistics) and training (batch statistics) mode.
  for (bool training : {false, true}) {
    BatchNormalization bn({.axis = 1, .momentum = 0.5, .epsilon = 0.01, .scale = !training});
    const Tensor x = sample32({3, 4, 2, 5}, 150, -2.0, 3.0);
    bn(x);
    set_bn_weights(bn, 151);
    const auto w = bn.get_weights();
    const auto gamma = training ? std::vector<double>(4, 1.0) : w[0].to_vector<double>();
    const auto beta = w[training ? 0 : 1].to_vector<double>();
    const auto mm = w[training ? 1 : 2].to_vector<double>();
    const auto mv = w[training ? 2 : 3].to_vector<double>();
    std::vector<double> bm, bv;
    channel_moments(x, 1, bm, bv);
    const auto& mean = training ? bm : mm;
    const auto& var = training ? bv : mv;
    const auto y = bn(x, training).to_vector<double>();
    const auto xv = x.to_vector<double>();
    for (size_t i = 0; i < xv.size(); ++i) {
      const int c = static_cast<int>((i / 10) % 4);
      EXPECT_NEAR(y[i], (xv[i] - mean[c]) / std::sqrt(var[c] + 0.01) * gamma[c] + beta[c], 1e-5)
          << i;
    }
    if (training) {
      const auto mm1 = bn.moving_mean().value().to_vector<double>();
      const auto mv1 = bn.moving_variance().value().to_vector<double>();
      for (int c = 0; c < 4; ++c) {
        EXPECT_NEAR(mm1[c], mm[c] * 0.5 + bm[c] * 0.5, 1e-6);
        EXPECT_NEAR(mv1[c], mv[c] * 0.5 + bv[c] * 0.5, 1e-6);
      }
    }
  }
}

TEST(NormLayers, BatchNormWeightsAndConfig) {
  BatchNormalization bn({.name = "bn"});
  bn(Tensor::zeros({2, 4, 3}));
  auto w = bn.weights();
  ASSERT_EQ(w.size(), 4u);
  const std::vector<std::string> names = {"gamma", "beta", "moving_mean", "moving_variance"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(w[i].name(), names[i]);
    EXPECT_EQ(w[i].path(), "bn/" + names[i]);
    EXPECT_EQ(w[i].shape(), (Shape{3}));
  }
  EXPECT_EQ(bn.trainable_weights().size(), 2u);
  EXPECT_EQ(bn.non_trainable_weights().size(), 2u);
  EXPECT_EQ(bn.gamma().value().to_vector<float>(), (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(bn.moving_variance().value().to_vector<float>(), (std::vector<float>{1, 1, 1}));
  BatchNormalization plain({.center = false, .scale = false});
  plain(Tensor::zeros({2, 3}));
  EXPECT_EQ(plain.weights().size(), 2u);
  EXPECT_EQ(plain.weights()[0].name(), "moving_mean");
  BatchNormalization axis1({.axis = 1});
  axis1(Tensor::zeros({2, 4, 3}));
  EXPECT_EQ(axis1.weights()[0].shape(), (Shape{4}));

  json c = bn.get_config();
  EXPECT_EQ(config_keys(c),
            (std::vector<std::string>{"name", "trainable", "dtype", "axis", "momentum", "epsilon",
                                      "center", "scale", "beta_initializer", "gamma_initializer",
                                      "moving_mean_initializer", "moving_variance_initializer",
                                      "beta_regularizer", "gamma_regularizer", "beta_constraint",
                                      "gamma_constraint", "synchronized"}));
  EXPECT_EQ(c["axis"], -1);
  EXPECT_EQ(c["momentum"], 0.99);
  EXPECT_EQ(c["epsilon"], 0.001);
  EXPECT_EQ(c["center"], true);
  EXPECT_EQ(c["beta_initializer"]["class_name"], "Zeros");
  EXPECT_EQ(c["gamma_initializer"]["class_name"], "Ones");
  EXPECT_EQ(c["moving_variance_initializer"]["class_name"], "Ones");
  EXPECT_EQ(c["synchronized"], false);
  BatchNormalization custom(
      {.axis = 1, .momentum = 0.9, .epsilon = 1e-5, .center = false, .gamma_regularizer = "l2"});
  expect_config_round_trip(custom, BatchNormalization());
}

TEST(NormLayers, BatchNormGradients) {
  for (bool training : {false, true}) {
    BatchNormalization last({.dtype = "float64"});
    const Tensor x = sample({4, 3, 3}, -1, 2, 140);
    last(x);
    auto w = last.get_weights();
    w[0] = sample({3}, 0.5, 1.5, 141);
    w[1] = sample({3}, -1, 1, 142);
    w[2] = sample({3}, -1, 1, 143);
    w[3] = sample({3}, 0.5, 1.5, 144);
    last.set_weights(w);
    expect_layer_gradients_match(last, x, training);
    BatchNormalization first({.axis = 1, .center = false, .dtype = "float64"});
    expect_layer_gradients_match(first, sample({3, 2, 4}, -1, 2, 145), training);
  }
}

TEST(NormLayers, BatchNormBadArguments) {
  expect_value_error(
      [] {
        BatchNormalization({.axis = 3})(Tensor::zeros({2, 3}));
      },
      {"axis 3", "(2, 3)"});
  expect_value_error(
      [] {
        BatchNormalization({.axis = -4})(Tensor::zeros({2, 3, 4}));
      },
      {"axis -4"});
  BatchNormalization bn;
  bn(Tensor::zeros({2, 3}));
  expect_value_error([&] { bn(Tensor::zeros({2, 4})); }, {"size 3", "(2, 4)"});
  expect_value_error([&] { bn(Tensor::zeros({2, 2, 3})); }, {"ndim=2"});
}

// A real Keras 2.1.3 model from the corpus (Conv2D -> BatchNormalization -> relu -> Conv2D ->
// Flatten -> Dense), run with its stored weights on its stored input: the predictions Keras made.
TEST(NormLayers, Keras213ConvBatchNormModelReproducesItsPredictions) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(KERAS_CORPUS_DIR) / "h5-keras2.1.3-cnn-bn-dl4j";
  if (!fs::exists(dir)) GTEST_SKIP() << "corpus not found at " << dir;
  auto file = io::h5::File::open((dir / "cnn_batch_norm.h5").string());
  auto read = [&](const std::string& layer, const std::string& weight) {
    return file.open_group("model_weights")
        .open_group(layer)
        .open_group(layer)
        .open_dataset(weight + ":0")
        .read();
  };
  const Tensor x = io::load_npy((dir / "input.npy").string()).astype(float32);
  const Tensor expected = io::load_npy((dir / "predictions.npy").string());
  layers::Conv2D conv1(1, 3), conv2(1, 3);
  BatchNormalization bn;
  layers::Dense dense(1);
  // Each layer is built by a first call, then given the file's weights.
  conv1(x);
  conv1.set_weights({read("conv2d_1", "kernel"), read("conv2d_1", "bias")});
  Tensor h = conv1(x);
  bn(h);
  bn.set_weights({read("batch_normalization_1", "gamma"), read("batch_normalization_1", "beta"),
                  read("batch_normalization_1", "moving_mean"),
                  read("batch_normalization_1", "moving_variance")});
  h = ops::relu(bn(h));
  conv2(h);
  conv2.set_weights({read("conv2d_2", "kernel"), read("conv2d_2", "bias")});
  h = conv2(h);
  h = h.reshape({h.dim(0), -1});
  dense(h);
  dense.set_weights({read("dense_1", "kernel"), read("dense_1", "bias")});
  const Tensor y = dense(h);
  ASSERT_EQ(y.shape(), (Shape{5, 1}));
  EXPECT_LT(max_abs_diff(y, expected.astype(float32)), 1e-6);
}

// ---------------------------------------------------------------- LayerNormalization

TEST(NormLayers, LayerNormMatchesTensorFlowJs) {
  struct Case {
    LayerNormalization layer;
    json axis;
    Shape in;
  };
  std::vector<Case> cases;
  cases.push_back({LayerNormalization(), -1, {3, 5}});
  cases.push_back({LayerNormalization({.axis = {-2, -1}, .epsilon = 1e-2}), {-2, -1}, {3, 4}});
  cases.push_back({LayerNormalization({.axis = 1}), 1, {3, 4}});  // not trailing: composed ops
  uint64_t seed = 200;
  for (auto& c : cases) {
    Shape full = c.in;
    full.insert(full.begin(), 2);
    const Tensor x = sample32(full, seed++, -2.0, 3.0);
    c.layer(x);
    auto w = c.layer.get_weights();
    w[0] = sample32(w[0].shape(), seed++, 0.5, 1.5);
    w[1] = sample32(w[1].shape(), seed++, -1, 1);
    c.layer.set_weights(w);
    const Tensor y = c.layer(x);
    json cfg = {
        {"class_name", "LayerNormalization"},
        {"config",
         {{"axis", c.axis}, {"epsilon", c.layer.epsilon()}, {"center", true}, {"scale", true}}}};
    auto ref = tfjs_layer(cfg, {c.in}, w, {x});
    EXPECT_LT(max_abs_diff(y, ref[0]), 1e-5) << cfg.dump();
  }
}

TEST(NormLayers, LayerNormHandValuesWithoutParametersAndRmsScaling) {
  const Tensor x = Tensor::from_vector<float>({1, 2, 3, 4, -1, 0, 0, 1}, {2, 4});
  LayerNormalization plain({.center = false, .scale = false});
  const auto y = plain(x).to_vector<float>();
  EXPECT_TRUE(plain.weights().empty());
  // Row 0: mean 2.5, variance 1.25; row 1: mean 0, variance 0.5.
  const double r0 = 1 / std::sqrt(1.25 + 1e-3), r1 = 1 / std::sqrt(0.5 + 1e-3);
  const std::vector<double> expected = {-1.5 * r0, -0.5 * r0, 0.5 * r0, 1.5 * r0,
                                        -1 * r1,   0,         0,        1 * r1};
  for (size_t i = 0; i < 8; ++i) EXPECT_NEAR(y[i], expected[i], 1e-6) << i;
  // Keras 3's rms_scaling: x * rsqrt(var(x) + epsilon) * gamma, gamma only.
  LayerNormalization rms({.rms_scaling = true});
  const auto yr = rms(x).to_vector<float>();
  ASSERT_EQ(rms.weights().size(), 1u);
  EXPECT_EQ(rms.weights()[0].name(), "gamma");
  EXPECT_NEAR(yr[3], 4 * r0, 1e-6);
  EXPECT_NEAR(yr[4], -1 * r1, 1e-6);
}

TEST(NormLayers, LayerNormWeightsConfigGradientsErrors) {
  LayerNormalization ln({.name = "ln"});
  json before = ln.get_config();
  EXPECT_EQ(config_keys(before),
            (std::vector<std::string>{"name", "trainable", "dtype", "axis", "epsilon", "center",
                                      "scale", "rms_scaling", "beta_initializer",
                                      "gamma_initializer", "beta_regularizer", "gamma_regularizer",
                                      "beta_constraint", "gamma_constraint"}));
  EXPECT_EQ(before["axis"], -1);
  EXPECT_EQ(before["epsilon"], 0.001);
  EXPECT_EQ(before["rms_scaling"], false);
  ln(Tensor::zeros({2, 3, 6}));
  EXPECT_EQ(ln.get_config()["axis"], json::array({-1}));  // Keras 3's build() makes it a list
  auto w = ln.weights();
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].name(), "gamma");
  EXPECT_EQ(w[1].name(), "beta");
  EXPECT_EQ(w[0].shape(), (Shape{6}));
  LayerNormalization two({.axis = {1, 2}});
  two(Tensor::zeros({2, 3, 4}));
  EXPECT_EQ(two.weights()[0].shape(), (Shape{3, 4}));
  EXPECT_EQ(two.get_config()["axis"], json::array({1, 2}));
  expect_config_round_trip(two, LayerNormalization());
  LayerNormalization fresh;
  fresh.apply_config(before);
  EXPECT_EQ(fresh.get_config(), before);

  LayerNormalization g({.dtype = "float64"});
  expect_layer_gradients_match(g, sample({3, 5}, -1, 2, 210));
  LayerNormalization g2({.axis = {-2, -1}, .dtype = "float64"});
  expect_layer_gradients_match(g2, sample({2, 2, 3}, -1, 2, 211));
  LayerNormalization g3({.axis = 1, .dtype = "float64"});
  expect_layer_gradients_match(g3, sample({2, 3, 2}, -1, 2, 212));
  LayerNormalization g4({.rms_scaling = true, .dtype = "float64"});
  expect_layer_gradients_match(g4, sample({2, 4}, -1, 2, 213));
  for (auto* layer : {&g, &g2}) {  // non-trivial gamma / beta, then again
    auto ws = layer->get_weights();
    for (size_t i = 0; i < ws.size(); ++i) ws[i] = sample(ws[i].shape(), 0.5, 1.5, 220 + i);
    layer->set_weights(ws);
  }
  expect_layer_gradients_match(g, sample({3, 5}, -1, 2, 214));
  expect_layer_gradients_match(g2, sample({2, 2, 3}, -1, 2, 215));

  expect_value_error(
      [] {
        LayerNormalization({.axis = 2})(Tensor::zeros({2, 3}));
      },
      {"axis 2", "rank 2"});
  expect_value_error([] { LayerNormalization({.axis = std::vector<int64_t>{}}); }, {"axis"});
  LayerNormalization built;
  built(Tensor::zeros({2, 3}));
  expect_value_error([&] { built(Tensor::zeros({2, 3, 3})); }, {"ndim=2"});
}
