// Activation and Embedding: TF.js forward values, gradients, configs, weights, errors.
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

namespace {

// d(sum(layer(x) * w))/d(variable) against central differences of the variable's elements.
void expect_weight_gradients_match(keras::layers::Layer& layer, const Tensor& x) {
  Tensor y0 = layer(x);
  const Tensor w = sample(y0.shape(), 0.5, 1.5, 7);
  auto loss_value = [&] { return ops::sum(ops::multiply(layer(x), w)).item<double>(); };
  for (Variable v : layer.trainable_weights()) {
    Tensor analytic;
    {
      GradientTape tape;
      Tensor loss = ops::sum(ops::multiply(layer(x), w));
      analytic = tape.gradient(loss, std::vector<Variable>{v})[0];
    }
    ASSERT_TRUE(analytic.defined()) << v.name();
    const Tensor orig = v.value().clone();
    Tensor probe = orig.clone();
    double worst = 0;
    for (int64_t i = 0; i < probe.size(); ++i) {
      const double o = probe.data<double>()[i];
      probe.data<double>()[i] = o + 1e-6;
      v.assign(probe);
      const double fp = loss_value();
      probe.data<double>()[i] = o - 1e-6;
      v.assign(probe);
      const double fm = loss_value();
      probe.data<double>()[i] = o;
      v.assign(orig);
      worst = std::max(worst, std::abs((fp - fm) / 2e-6 - analytic.data<double>()[i]));
    }
    EXPECT_LT(worst, 1e-6) << v.name();
  }
}

}  // namespace

// ---------------------------------------------------------------- Activation

TEST(CoreActivationLayer, MatchesTensorFlowJsForSeveralActivations) {
  const Tensor x = sample32({3, 7}, -3, 3, 11);
  const std::vector<std::string> names = {"relu", "tanh",     "sigmoid",  "softmax", "elu",
                                          "selu", "softplus", "softsign", "linear",  "swish"};
  std::vector<keras::testing::TfjsCase> cases;
  std::vector<Tensor> ours;
  for (const auto& n : names) {
    cases.push_back({{{"class_name", "Activation"}, {"config", {{"activation", n}}}}, {x}});
    ours.push_back(Activation(n)(x));
  }
  auto ref = tfjs_cases(cases);
  ASSERT_EQ(ref.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i)
    EXPECT_LT(max_abs_diff(ours[i], ref[i]), 1e-5) << names[i];
}

TEST(CoreActivationLayer, SoftmaxIsARegisteredActivation) {
  // Dense(activation="softmax") and ops::activation("softmax") need no setup call: rows of
  // the result are the hand-computed softmax.
  Tensor x = Tensor::from_vector<float>({0.f, std::log(3.f), 1.f, 1.f}, {2, 2});
  Tensor y = ops::activation("softmax", x);
  EXPECT_NEAR(y.at<float>({0, 0}), 0.25f, 1e-6);
  EXPECT_NEAR(y.at<float>({0, 1}), 0.75f, 1e-6);
  EXPECT_NEAR(y.at<float>({1, 0}), 0.5f, 1e-6);
  Tensor ls = ops::activation("log_softmax", x);
  EXPECT_NEAR(ls.at<float>({0, 0}), std::log(0.25f), 1e-6);
  Dense d(3, {.activation = "softmax"});
  Tensor p = d(sample32({4, 5}));
  Tensor row_sums = ops::sum(p, {1});
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(row_sums.at<float>({i}), 1.0f, 1e-6);
  register_builtin_activations();  // idempotent
  EXPECT_NEAR(ops::activation("softmax", x).at<float>({0, 1}), 0.75f, 1e-6);
  auto names = ops::activation_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "softmax"), names.end());
}

TEST(CoreActivationLayer, GradientsConfigAndErrors) {
  for (std::string n : {"tanh", "softmax", "elu", "sigmoid"}) {
    Activation a(n, {.dtype = "float64"});
    expect_gradients_match([&](const std::vector<Tensor>& v) { return a(v[0]); },
                           {sample({3, 4}, -2, 2, 3)});
  }
  Activation a("relu", {.name = "act"});
  json c = a.get_config();
  EXPECT_EQ(config_keys(c), base_keys_and({"activation"}));
  EXPECT_EQ(c["activation"], "relu");
  EXPECT_EQ(c["name"], "act");
  Activation fresh("linear");
  fresh.apply_config(c);
  EXPECT_EQ(fresh.get_config(), c);
  EXPECT_TRUE(a.weights().empty());
  EXPECT_THROW(Activation("no_such_fn"), UnknownObjectError);
  EXPECT_THROW(fresh.apply_config({{"activation", "no_such_fn"}}), ValueError);
}

// ---------------------------------------------------------------- Embedding

TEST(CoreEmbedding, MatchesTensorFlowJsWithInt32Inputs) {
  random::set_seed(3);
  Embedding emb(10, 4);
  Tensor idx = Tensor::from_vector<int32_t>({0, 3, 9, 3, 1, 7, 2, 2, 0, 5}, {2, 5});
  Tensor y = emb(idx);
  EXPECT_EQ(y.shape(), (Shape{2, 5, 4}));
  EXPECT_EQ(y.dtype(), float32);
  json cfg = {{"class_name", "Embedding"},
              {"config", {{"input_dim", 10}, {"output_dim", 4}, {"mask_zero", false}}}};
  auto ref = keras::testing::tfjs_layer(cfg, {{5}}, emb.get_weights(), {idx}, 1, {"int32"});
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_LT(max_abs_diff(y, ref[0]), 1e-6);
  // Float indices are cast (Keras casts to int32); int64 works too.
  EXPECT_LT(max_abs_diff(emb(idx.astype(float32)), y), 0.0 + 1e-12);
  EXPECT_LT(max_abs_diff(emb(idx.astype(int64)), y), 1e-12);
}

TEST(CoreEmbedding, WeightNamesShapesAndInitializer) {
  Embedding emb(50, 8, {.name = "emb"});
  EXPECT_TRUE(emb.weights().empty());  // built on first call, as Keras
  emb(Tensor::zeros({1, 2}, int32));
  ASSERT_EQ(emb.weights().size(), 1u);
  EXPECT_EQ(emb.weights()[0].name(), "embeddings");
  EXPECT_EQ(emb.weights()[0].path(), "emb/embeddings");
  EXPECT_EQ(emb.weights()[0].shape(), (Shape{50, 8}));
  EXPECT_EQ(emb.count_params(), 400);
  // Default initializer: RandomUniform(-0.05, 0.05).
  auto v = emb.get_weights()[0].to_vector<float>();
  float lo = 1, hi = -1;
  for (float f : v) lo = std::min(lo, f), hi = std::max(hi, f);
  EXPECT_GE(lo, -0.05f);
  EXPECT_LT(hi, 0.05f);
  EXPECT_LT(lo, -0.03f);  // 400 draws span most of the range
  EXPECT_GT(hi, 0.03f);
  // Symbolic call: (None, 7) -> (None, 7, 8).
  Embedding e2(50, 8);
  auto in = Input({7}, {.dtype = "int32"});
  KerasTensor out = keras::Layer(e2)(in);
  EXPECT_EQ(out.shape(), (Shape{-1, 7, 8}));
}

TEST(CoreEmbedding, GradientIsAScatterAddOfRepeatedIndices) {
  Embedding emb(6, 3, {.dtype = "float64"});
  Tensor idx = Tensor::from_vector<int32_t>({1, 4, 1, 1, 0, 5}, {2, 3});
  expect_weight_gradients_match(emb, idx);
  // Hand check: with loss = sum(output), row r of the gradient is (count of r) * ones.
  GradientTape tape;
  Tensor loss = ops::sum(emb(idx));
  Tensor g = tape.gradient(loss, std::vector<Variable>{emb.embeddings()})[0];
  const double counts[6] = {1, 3, 0, 0, 1, 1};
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(g.at<double>({r, c}), counts[r]) << r << "," << c;
}

TEST(CoreEmbedding, ComputeMaskWithMaskZero) {
  Embedding plain(5, 2);
  Tensor idx = Tensor::from_vector<int32_t>({3, 0, 2, 0}, {2, 2});
  EXPECT_FALSE(plain.compute_mask(idx).defined());  // Keras: None
  Embedding masked(5, 2, {.mask_zero = true});
  Tensor m = masked.compute_mask(idx);
  EXPECT_EQ(m.dtype(), DType::bool_);
  EXPECT_EQ(m.to_vector<int>(), (std::vector<int>{1, 0, 1, 0}));
  // The output itself is not masked (index 0 is an ordinary row).
  EXPECT_EQ(masked(idx).shape(), (Shape{2, 2, 2}));
}

TEST(CoreEmbedding, ConfigHasKerasFieldsAndRoundTrips) {
  Embedding emb(100, 16, {.embeddings_regularizer = "l2", .mask_zero = true, .name = "words"});
  json c = emb.get_config();
  EXPECT_EQ(config_keys(c), base_keys_and({"input_dim", "output_dim", "embeddings_initializer",
                                           "embeddings_regularizer", "activity_regularizer",
                                           "embeddings_constraint", "mask_zero"}));
  EXPECT_EQ(c["input_dim"], 100);
  EXPECT_EQ(c["output_dim"], 16);
  EXPECT_EQ(c["embeddings_initializer"]["class_name"], "RandomUniform");
  EXPECT_EQ(c["embeddings_initializer"]["config"]["minval"], -0.05);
  EXPECT_EQ(c["embeddings_initializer"]["config"]["maxval"], 0.05);
  EXPECT_EQ(c["embeddings_regularizer"]["class_name"], "L2");
  EXPECT_TRUE(c["activity_regularizer"].is_null());
  EXPECT_TRUE(c["embeddings_constraint"].is_null());
  EXPECT_EQ(c["mask_zero"], true);
  Embedding fresh(1, 1);
  fresh.apply_config(c);
  EXPECT_EQ(fresh.get_config(), c);
  EXPECT_EQ(fresh.input_dim(), 100);
  // A Keras 2 config's input_length is accepted and ignored.
  json k2 = c;
  k2["input_length"] = 12;
  Embedding from_k2(1, 1);
  from_k2.apply_config(k2);
  EXPECT_EQ(from_k2.get_config(), c);
  // The regularizer contributes a loss once built.
  emb(Tensor::zeros({1, 1}, int32));
  EXPECT_EQ(emb.losses().size(), 1u);
}

TEST(CoreEmbedding, Errors) {
  EXPECT_TRUE(throws_value_error([] { Embedding(0, 4); }, {"input_dim=0", "output_dim=4"}));
  EXPECT_TRUE(throws_value_error([] { Embedding(4, -1); }, {"output_dim=-1"}));
  Embedding emb(5, 2, {.name = "lookup"});
  try {
    emb(Tensor::from_vector<int32_t>({1, 5}, {1, 2}));
    FAIL() << "no error for index 5";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("'lookup'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[0, 5)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(emb(Tensor::from_vector<int64_t>({-1}, {1, 1})), IndexError);
}
