// Dropout: inference identity (vs TF.js), training statistics, seeding, the fused backward, the
// benchmark MLP, config and errors.
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
using keras::testing::throws_value_error;

TEST(CoreDropout, InferenceIsTheIdentityAsInTensorFlowJs) {
  Dropout d(0.5);
  const Tensor x = sample32({4, 6});
  Tensor y = d(x);  // training defaults to false
  json cfg = {{"class_name", "Dropout"}, {"config", {{"rate", 0.5}}}};
  auto ref = keras::testing::tfjs_layer(cfg, {{6}}, {}, {x});
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_LT(max_abs_diff(y, ref[0]), 1e-7);
  EXPECT_EQ(max_abs_diff(y, x), 0.0);
  EXPECT_EQ(max_abs_diff(Dropout(0.0)(x, true), x), 0.0);
  EXPECT_TRUE(d.weights().empty());
}

TEST(CoreDropout, TrainingZeroesAboutRateAndScalesTheRest) {
  for (double rate : {0.1, 0.3, 0.5, 0.8}) {
    Dropout d(rate, {.seed = 1234});
    Tensor x = Tensor::ones({400, 250});
    Tensor y = d(x, true);
    const auto v = y.to_vector<float>();
    int64_t zeros = 0;
    const float kept = static_cast<float>(1.0 / (1.0 - rate));
    for (float f : v) {
      if (f == 0.0f) {
        ++zeros;
      } else {
        ASSERT_FLOAT_EQ(f, kept);
      }
    }
    // 100000 Bernoulli(rate) draws: the standard deviation of the fraction is < 0.0016, so 0.01
    // is more than 6 of them.
    EXPECT_NEAR(static_cast<double>(zeros) / v.size(), rate, 0.01) << rate;
  }
  // rate = 1 drops everything (no inf from 1 / (1 - rate)).
  Tensor all = Dropout(1.0)(Tensor::ones({3, 3}), true);
  EXPECT_EQ(all.to_vector<float>(), std::vector<float>(9, 0.0f));
}

TEST(CoreDropout, SameSeedSameMasksAndAFreshMaskPerCall) {
  const Tensor x = Tensor::ones({50, 40});
  Dropout a(0.5, {.seed = 42}), b(0.5, {.seed = 42}), c(0.5, {.seed = 43});
  Tensor a1 = a(x, true), b1 = b(x, true), c1 = c(x, true);
  EXPECT_EQ(max_abs_diff(a1, b1), 0.0);
  EXPECT_GT(max_abs_diff(a1, c1), 0.0);
  Tensor a2 = a(x, true), b2 = b(x, true);
  EXPECT_GT(max_abs_diff(a1, a2), 0.0);  // the generator advances
  EXPECT_EQ(max_abs_diff(a2, b2), 0.0);
  // Unseeded layers are reproducible after random::set_seed.
  random::set_seed(7);
  Dropout u1(0.5);
  Tensor r1 = u1(x, true);
  random::set_seed(7);
  Dropout u2(0.5);
  Tensor r2 = u2(x, true);
  EXPECT_EQ(max_abs_diff(r1, r2), 0.0);
  // The mask equals keras.random.dropout's with the same generator state.
  Dropout s(0.25, {.seed = 9});
  random::SeedGenerator g(9);
  EXPECT_EQ(max_abs_diff(s(x, true), random::dropout(x, 0.25, {}, g)), 0.0);
}

TEST(CoreDropout, KeepsExactlyWhereAUniformDrawIsAtLeastRate) {
  // keras.random.dropout's rule (tf.nn.experimental.stateless_dropout): keep where
  // uniform(shape, seed) >= rate. 7 x 13 = 91 elements: not a multiple of the batch size.
  for (double rate : {0.2, 0.5, 0.9}) {
    const Tensor u = random::uniform({7, 13}, 0.0, 1.0, float32, 17).clone();
    const Tensor y = random::dropout(Tensor::ones({7, 13}, float64), rate, {}, 17);
    const auto uv = u.to_vector<float>();
    const auto yv = y.to_vector<double>();
    for (size_t i = 0; i < uv.size(); ++i)
      EXPECT_EQ(yv[i] != 0.0, uv[i] >= static_cast<float>(rate)) << rate << " " << i;
  }
}

TEST(CoreDropout, NoiseShapeSharesTheMaskAlongAxesOfLengthOne) {
  Dropout d(0.5, {.noise_shape = Shape{-1, 1, 6}, .seed = 5});
  Tensor x = Tensor::ones({3, 4, 6});
  Tensor y = d(x, true);
  for (int b = 0; b < 3; ++b)
    for (int f = 0; f < 6; ++f)
      for (int t = 1; t < 4; ++t) EXPECT_EQ(y.at<float>({b, t, f}), y.at<float>({b, 0, f}));
  const auto v = y.to_vector<float>();
  for (float f : v) EXPECT_TRUE(f == 0.0f || f == 2.0f) << f;
  // Gradient through the broadcast mask, float64.
  Dropout d64(0.5, {.noise_shape = Shape{-1, 1, 6}, .seed = 5, .dtype = "float64"});
  const auto state = d64.seed_generator()->state();
  expect_gradients_match(
      [&](const std::vector<Tensor>& in) {
        d64.seed_generator()->set_state(state);  // the same mask on every evaluation
        return d64(in[0], true);
      },
      {sample({3, 4, 6})});
}

TEST(CoreDropout, BackwardReusesTheForwardMask) {
  // keras.random.dropout with an integer seed draws the same mask on every call, so finite
  // differences see a fixed function.
  expect_gradients_match(
      [](const std::vector<Tensor>& in) { return random::dropout(in[0], 0.4, {}, 17); },
      {sample({5, 7})});
  // Layer at training time: gradient == y / x elementwise (mask * scale), exactly.
  Dropout d(0.5, {.seed = 3, .dtype = "float64"});
  Tensor x = sample({6, 5}, 0.5, 1.5);
  Tensor xw = x.clone();
  GradientTape tape;
  tape.watch(xw);
  Tensor y = d(xw, true);
  Tensor g = tape.gradient(ops::sum(y), xw);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 5; ++j)
      EXPECT_DOUBLE_EQ(g.at<double>({i, j}), y.at<double>({i, j}) / x.at<double>({i, j}));
}

TEST(CoreDropout, BenchmarkMlpRunsInBothModes) {
  random::set_seed(11);
  Sequential model({Input({784}), Dense(256, {.activation = "relu"}), Dropout(0.5), Dense(10)});
  const Tensor x = sample32({1, 784}, 0, 1, 5);
  Tensor infer = model(x, false);
  EXPECT_EQ(infer.shape(), (Shape{1, 10}));
  EXPECT_EQ(max_abs_diff(model.predict_on_batch(x), infer), 0.0);
  // Inference equals the two Dense layers without dropout (numpy-style recomputation).
  auto w = model.get_weights();
  Tensor h = ops::relu(ops::matmul(x, w[0]) + w[1]);
  EXPECT_LT(max_abs_diff(ops::matmul(h, w[2]) + w[3], infer), 1e-5);

  Tensor train_out;
  Tensor grad_k2;
  {
    GradientTape tape;
    train_out = model(x, true);
    grad_k2 = tape.gradient(ops::sum(train_out), model.trainable_weights())[2];
  }
  EXPECT_EQ(train_out.shape(), (Shape{1, 10}));
  EXPECT_GT(max_abs_diff(train_out, infer), 0.0);
  // d sum(y) / d kernel2[j, :] = dropped(h)[j]: zero rows exactly where the unit was dropped
  // (or inactive), 2 * h[j] elsewhere.
  int dropped = 0, active = 0;
  for (int j = 0; j < 256; ++j) {
    const float hj = h.at<float>({0, j});
    if (hj <= 0) continue;
    ++active;
    const float gj = grad_k2.at<float>({j, 0});
    if (gj == 0.0f) {
      ++dropped;
    } else {
      EXPECT_NEAR(gj, 2.0f * hj, 1e-5f * std::max(1.0f, hj));
    }
    for (int k = 1; k < 10; ++k) EXPECT_EQ(grad_k2.at<float>({j, k}), gj);
  }
  EXPECT_GT(active, 50);
  EXPECT_GT(dropped, active / 4);
  EXPECT_LT(dropped, 3 * active / 4);
}

TEST(CoreDropout, ConfigHasKerasFieldsAndRoundTrips) {
  Dropout d(0.3, {.name = "drop"});
  json c = d.get_config();
  EXPECT_EQ(config_keys(c), base_keys_and({"rate", "seed", "noise_shape"}));
  EXPECT_EQ(c["rate"], 0.3);
  EXPECT_TRUE(c["seed"].is_null());
  EXPECT_TRUE(c["noise_shape"].is_null());
  Dropout seeded(0.2, {.noise_shape = Shape{-1, 1, 4}, .seed = 99});
  json s = seeded.get_config();
  EXPECT_EQ(s["seed"], 99);
  EXPECT_EQ(s["noise_shape"], json::parse("[null, 1, 4]"));
  Dropout fresh(0.0);
  fresh.apply_config(s);
  EXPECT_EQ(fresh.get_config(), s);
  // A layer configured from a seeded config draws the seeded layer's masks.
  Tensor x = Tensor::ones({2, 3, 4});
  EXPECT_EQ(max_abs_diff(fresh(x, true),
                         Dropout(0.2, {.noise_shape = Shape{-1, 1, 4}, .seed = 99})(x, true)),
            0.0);
}

TEST(CoreDropout, Errors) {
  EXPECT_TRUE(throws_value_error([] { Dropout(1.5); }, {"rate", "1.5"}));
  EXPECT_TRUE(throws_value_error([] { Dropout(-0.1); }, {"rate"}));
  EXPECT_TRUE(throws_value_error(
      [] {
        Dropout(0.5, {.noise_shape = Shape{0, 3}});
      },
      {"noise_shape"}));
  Dropout d(0.5, {.noise_shape = Shape{-1, 3}, .name = "dd"});
  EXPECT_TRUE(throws_value_error([&] { d(Tensor::ones({2, 3, 4}), true); }, {"'dd'", "rank"}));
  Dropout bad(0.5, {.noise_shape = Shape{-1, 2}});
  EXPECT_TRUE(throws_value_error([&] { bad(Tensor::ones({2, 3}), true); }, {"noise_shape"}));
  Dropout fine(0.5);
  EXPECT_TRUE(throws_value_error([&] { fine.apply_config({{"rate", 2.0}}); }, {"rate"}));
  EXPECT_THROW(random::dropout(Tensor::ones({2}, int32), 0.5), TypeError);
}
