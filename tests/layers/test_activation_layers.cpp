// ReLU, LeakyReLU, ELU, Softmax layers: TF.js forward values, hand-derived values where TF.js
// lacks an option, gradients, configs, errors.
#include <gtest/gtest.h>

#include <cmath>

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

TEST(ActivationLayers, MatchTensorFlowJs) {
  const Tensor x = sample32({4, 3, 5}, -8, 8, 21);
  std::vector<keras::testing::TfjsCase> cases = {
      {{{"class_name", "ReLU"}, {"config", json::object()}}, {x}},
      {{{"class_name", "ReLU"}, {"config", {{"max_value", 6.0}}}}, {x}},
      // TF.js reads Keras 2's `alpha` for LeakyReLU.
      {{{"class_name", "LeakyReLU"}, {"config", json::object()}}, {x}},
      {{{"class_name", "LeakyReLU"}, {"config", {{"alpha", 0.05}}}}, {x}},
      {{{"class_name", "ELU"}, {"config", json::object()}}, {x}},
      // TF.js's default axis is 1, Keras's -1: pass it.
      {{{"class_name", "Softmax"}, {"config", {{"axis", -1}}}}, {x}},
      {{{"class_name", "Softmax"}, {"config", {{"axis", {1, 2}}}}}, {x}},
  };
  std::vector<Tensor> ours = {
      ReLU()(x),
      ReLU({.max_value = 6.0})(x),
      LeakyReLU()(x),  // the layer's default slope 0.3 is TF.js's default alpha too
      LeakyReLU({.negative_slope = 0.05})(x),
      ELU()(x),
      Softmax()(x),
      Softmax({.axes = {1, 2}})(x),
  };
  auto ref = tfjs_cases(cases);
  ASSERT_EQ(ref.size(), ours.size());
  for (size_t i = 0; i < ours.size(); ++i)
    EXPECT_LT(max_abs_diff(ours[i], ref[i]), 1e-5) << cases[i].layer.dump();
}

TEST(ActivationLayers, ReluOptionsTfjsLacksMatchTheFormula) {
  // Keras's documented example: ReLU(max_value=10, negative_slope=0.5, threshold=0) on
  // [-10, -5, 0, 5, 10] gives [-5, -2.5, 0, 5, 10].
  Tensor x = Tensor::from_vector<float>({-10, -5, 0, 5, 10});
  Tensor y = ReLU({.max_value = 10.0, .negative_slope = 0.5})(x);
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{-5, -2.5, 0, 5, 10}));
  // With a threshold t: x > t ? min(x, max) : slope * (x - t) (hand-evaluated; Keras's code
  // keeps x only where x > threshold, so x == t gives 0 whatever its docstring says).
  Tensor z = Tensor::from_vector<float>({-1, 0.5, 1, 1.5, 3, 7});
  Tensor r = ReLU({.max_value = 4.0, .negative_slope = 0.25, .threshold = 1.0})(z);
  const std::vector<float> expected = {0.25f * (-1 - 1), 0.25f * (0.5f - 1), 0, 1.5, 3, 4};
  const auto got = r.to_vector<float>();
  for (size_t i = 0; i < got.size(); ++i) EXPECT_FLOAT_EQ(got[i], expected[i]) << i;
  // LeakyReLU: x >= 0 ? x : 0.3 x by default.
  EXPECT_EQ(LeakyReLU()(Tensor::from_vector<float>({-2, 2})).to_vector<float>(),
            (std::vector<float>{-0.6f, 2}));
  // ELU: alpha * (e^x - 1) below zero (TF.js 4.22 supports only alpha = 1).
  EXPECT_FLOAT_EQ(ELU({.alpha = 2.0})(Tensor::from_vector<float>({-1})).item<float>(),
                  2.0f * (std::exp(-1.0f) - 1.0f));
}

TEST(ActivationLayers, SoftmaxOverSeveralAxesAndWithAMask) {
  // axis = [1, 2]: each sample's 2x3 block sums to 1 (numpy: exp(x) / exp(x).sum((1, 2))).
  Tensor x = sample32({2, 2, 3}, -2, 2, 4);
  Tensor y = Softmax({.axes = {1, 2}})(x);
  auto xv = x.to_vector<float>();
  for (int b = 0; b < 2; ++b) {
    double total = 0;
    for (int i = 0; i < 6; ++i) total += std::exp(static_cast<double>(xv[b * 6 + i]));
    for (int i = 0; i < 6; ++i)
      EXPECT_NEAR(y.to_vector<float>()[b * 6 + i], std::exp(xv[b * 6 + i]) / total, 1e-6);
  }
  // axis = 1 (TF.js 4.22 supports only the last axis): exp(x) / exp(x).sum(1) by hand.
  Tensor x3 = sample32({2, 3, 2}, -2, 2, 6);
  Tensor y3 = Softmax({.axis = 1})(x3);
  for (int b = 0; b < 2; ++b)
    for (int k = 0; k < 2; ++k) {
      double total = 0;
      for (int i = 0; i < 3; ++i) total += std::exp(static_cast<double>(x3.at<float>({b, i, k})));
      for (int i = 0; i < 3; ++i)
        EXPECT_NEAR(y3.at<float>({b, i, k}), std::exp(x3.at<float>({b, i, k})) / total, 1e-6);
    }
  // A mask zeroes the masked positions and renormalises the rest.
  Tensor logits = Tensor::from_vector<float>({1, 2, 3, 4}, {1, 4});
  Tensor mask = Tensor::from_vector<float>({1, 0, 1, 0}, {1, 4}).astype(DType::bool_);
  Tensor p = Softmax().call_with_mask(logits, mask);
  const double e1 = std::exp(1.0), e3 = std::exp(3.0);
  EXPECT_NEAR(p.at<float>({0, 0}), e1 / (e1 + e3), 1e-6);
  EXPECT_NEAR(p.at<float>({0, 1}), 0.0, 1e-7);
  EXPECT_NEAR(p.at<float>({0, 2}), e3 / (e1 + e3), 1e-6);
}

TEST(ActivationLayers, Gradients) {
  const Tensor x = sample({3, 4, 2}, -2, 2, 5);
  auto check = [&](keras::layers::Layer& l) {
    expect_gradients_match([&](const std::vector<Tensor>& v) { return l(v[0]); }, {x});
  };
  ReLU a({.dtype = "float64"});
  ReLU b({.max_value = 1.2, .negative_slope = 0.1, .threshold = 0.3, .dtype = "float64"});
  LeakyReLU c({.negative_slope = 0.2, .dtype = "float64"});
  ELU d({.alpha = 0.6, .dtype = "float64"});
  Softmax e({.axis = 1, .dtype = "float64"});
  Softmax f({.axes = {1, 2}, .dtype = "float64"});
  check(a);
  check(b);
  check(c);
  check(d);
  check(e);
  check(f);
}

TEST(ActivationLayers, ConfigsHaveKerasFieldsAndRoundTrip) {
  ReLU relu({.max_value = 6.0, .negative_slope = 0.1});
  json c = relu.get_config();
  EXPECT_EQ(config_keys(c), base_keys_and({"max_value", "negative_slope", "threshold"}));
  EXPECT_EQ(c["max_value"], 6.0);
  EXPECT_TRUE(ReLU().get_config()["max_value"].is_null());
  EXPECT_EQ(ReLU().get_config()["negative_slope"], 0.0);
  EXPECT_EQ(ReLU().get_config()["threshold"], 0.0);
  ReLU r2;
  r2.apply_config(c);
  EXPECT_EQ(r2.get_config(), c);

  json l = LeakyReLU().get_config();
  EXPECT_EQ(config_keys(l), base_keys_and({"negative_slope"}));
  EXPECT_EQ(l["negative_slope"], 0.3);
  LeakyReLU l2({.negative_slope = 0.01});
  l2.apply_config(l);
  EXPECT_EQ(l2.get_config(), l);
  // A Keras 2 (tf.keras) config spells the slope `alpha`.
  LeakyReLU l3;
  l3.apply_config({{"name", "lr"}, {"trainable", true}, {"dtype", "float32"}, {"alpha", 0.2}});
  EXPECT_EQ(l3.negative_slope(), 0.2);

  json e = ELU({.alpha = 0.5}).get_config();
  EXPECT_EQ(config_keys(e), base_keys_and({"alpha"}));
  ELU e2;
  e2.apply_config(e);
  EXPECT_EQ(e2.alpha(), 0.5);

  json s = Softmax().get_config();
  EXPECT_EQ(config_keys(s), base_keys_and({"axis"}));
  EXPECT_EQ(s["axis"], -1);
  json s2 = Softmax({.axes = {1, 2}}).get_config();
  EXPECT_EQ(s2["axis"], json::parse("[1, 2]"));
  Softmax s3;
  s3.apply_config(s2);
  EXPECT_EQ(s3.get_config()["axis"], s2["axis"]);
  s3.apply_config(s);
  EXPECT_EQ(s3.get_config()["axis"], -1);
  for (auto* layer : std::initializer_list<keras::layers::Layer*>{&relu, &l2, &e2, &s3})
    EXPECT_TRUE(layer->weights().empty());
}

TEST(ActivationLayers, Errors) {
  EXPECT_TRUE(throws_value_error([] { ReLU({.max_value = -1.0}); }, {"max_value", "-1"}));
  EXPECT_TRUE(throws_value_error([] { ReLU({.negative_slope = -0.5}); }, {"negative_slope"}));
  EXPECT_TRUE(throws_value_error([] { ReLU({.threshold = -0.1}); }, {"threshold"}));
  EXPECT_TRUE(throws_value_error([] { LeakyReLU({.negative_slope = -1}); }, {"negative_slope"}));
  ReLU r;
  EXPECT_TRUE(throws_value_error([&] { r.apply_config({{"threshold", -2.0}}); }, {"threshold"}));
  EXPECT_THROW(Softmax({.axis = 3})(Tensor::ones({2, 2})), ValueError);
}
