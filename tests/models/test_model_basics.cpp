#include <gtest/gtest.h>

#include "keras/core/random.hpp"
#include "keras/keras.hpp"
#include "keras/layers/core/dense.hpp"
#include "keras/models/sequential.hpp"
#include "testing/tfjs.hpp"

using namespace keras;
using layers::Dense;

TEST(ModelBasics, Seed004FunctionalSummaryMatchesTheSeed) {
  // seed 004: the "pretrained" functional model and the table tf.keras printed for it.
  auto inputs = Input({784}, {.name = "digits"});
  auto x = Dense(64, {.activation = "relu", .name = "dense_1"})(inputs);
  x = Dense(64, {.activation = "relu", .name = "dense_2"})(x);
  Model pretrained(inputs, x, {.name = "pretrained_model"});
  const std::string expected =
      "Model: \"pretrained_model\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " digits (InputLayer)         [(None, 784)]             0         \n"
      "                                                                 \n"
      " dense_1 (Dense)             (None, 64)                50240     \n"
      "                                                                 \n"
      " dense_2 (Dense)             (None, 64)                4160      \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 54,400\n"
      "Trainable params: 54,400\n"
      "Non-trainable params: 0\n"
      "_________________________________________________________________\n";
  EXPECT_EQ(pretrained.summary(), expected);
}

TEST(ModelBasics, Seed004SequentialOfExtractedLayers) {
  auto inputs = Input({784}, {.name = "digits"});
  auto d1 = Layer(Dense(64, {.activation = "relu", .name = "dense_1"}));
  auto d2 = Layer(Dense(64, {.activation = "relu", .name = "dense_2"}));
  Model functional(inputs, d2(d1(inputs)));
  // Sequential(extracted_layers) + a new head, given the 784 input.
  Sequential model({Input({784}), functional.get_layer("dense_1"), functional.get_layer(-1),
                    Dense(5, {.name = "dense_3"})},
                   {.name = "sequential_6"});
  const std::string expected =
      "Model: \"sequential_6\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense_1 (Dense)             (None, 64)                50240     \n"
      "                                                                 \n"
      " dense_2 (Dense)             (None, 64)                4160      \n"
      "                                                                 \n"
      " dense_3 (Dense)             (None, 5)                 325       \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 54,725\n"
      "Trainable params: 54,725\n"
      "Non-trainable params: 0\n"
      "_________________________________________________________________\n";
  EXPECT_EQ(model.summary(), expected);
}

TEST(ModelBasics, DenseMatchesTensorFlowJs) {
  random::set_seed(1);
  Dense dense(3, {.activation = "tanh"});
  Tensor x = random::normal({4, 5}, 0, 1, float32, 2);
  Tensor y = dense(x);
  ASSERT_EQ(dense.weights().size(), 2u);
  EXPECT_EQ(dense.weights()[0].name(), "kernel");
  EXPECT_EQ(dense.weights()[0].path(), dense.name() + "/kernel");
  EXPECT_EQ(dense.weights()[1].shape(), (Shape{3}));
  // A non-zero bias so that the bias matters.
  dense.set_weights({dense.get_weights()[0], Tensor::from_vector<float>({0.1f, -0.2f, 0.3f})});
  y = dense(x);
  json cfg = {{"class_name", "Dense"},
              {"config", {{"units", 3}, {"activation", "tanh"}, {"use_bias", true}}}};
  auto ref = keras::testing::tfjs_layer(cfg, {{5}}, dense.get_weights(), {x});
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_LT(keras::testing::max_abs_diff(y, ref[0]), 1e-5);
}

TEST(ModelBasics, DenseConfigHasKerasFieldsAndRoundTrips) {
  Dense d(7, {.activation = "relu", .kernel_regularizer = "l2", .name = "probe"});
  json c = d.get_config();
  std::vector<std::string> keys;
  for (auto it = c.begin(); it != c.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "trainable", "dtype", "units", "activation",
                                            "use_bias", "kernel_initializer", "bias_initializer",
                                            "kernel_regularizer", "bias_regularizer",
                                            "activity_regularizer", "kernel_constraint",
                                            "bias_constraint"}));
  EXPECT_EQ(c["kernel_initializer"]["class_name"], "GlorotUniform");
  EXPECT_EQ(c["kernel_regularizer"]["config"]["l2"], 0.01);
  EXPECT_TRUE(c["bias_constraint"].is_null());
  Dense fresh(1);
  fresh.apply_config(c);
  EXPECT_EQ(fresh.get_config(), c);
}

TEST(ModelBasics, WeightsOrderAndSetWeightsErrors) {
  Sequential model({Input({4}), Dense(3), Dense(2)});
  auto w = model.get_weights();
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].shape(), (Shape{4, 3}));
  EXPECT_EQ(w[1].shape(), (Shape{3}));
  EXPECT_EQ(w[2].shape(), (Shape{3, 2}));
  EXPECT_EQ(model.count_params(), 4 * 3 + 3 + 3 * 2 + 2);
  w.pop_back();
  EXPECT_THROW(model.set_weights(w), ValueError);
  w.push_back(Tensor::zeros({3}));
  try {
    model.set_weights(w);
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("expected shape (2,)"), std::string::npos) << e.what();
  }
}

TEST(ModelBasics, FunctionalMultiInputAndSubModelExtraction) {
  auto a = Input({3}, {.name = "a"});
  auto b = Input({3}, {.name = "b"});
  auto shared = Layer(Dense(2, {.name = "shared"}));
  auto ya = shared(a);
  auto yb = shared(b);
  Model m({a, b}, {ya, yb}, {.name = "two"});
  Tensor xa = Tensor::ones({1, 3}), xb = Tensor::zeros({1, 3});
  auto out = m(std::vector<Tensor>{xa, xb});
  ASSERT_EQ(out.size(), 2u);
  // Same layer, so out[1] is the bias alone and out[0] adds the kernel's column sums.
  auto k = shared->get_weights()[0].to_vector<float>();
  EXPECT_NEAR(out[0].at<float>({0, 0}) - out[1].at<float>({0, 0}), k[0] + k[2] + k[4], 1e-6);
  EXPECT_EQ(m.layers().size(), 3u);

  auto in = Input({5});
  auto h = Dense(4, {.name = "hidden"})(in);
  auto o = Dense(1, {.name = "head"})(h);
  Model full(in, o);
  Model trunk(full.inputs(), {full.get_layer("hidden")->output()});
  EXPECT_EQ(trunk.predict_on_batch(Tensor::ones({2, 5})).shape(), (Shape{2, 4}));
  EXPECT_THROW(full.get_layer("nope"), ValueError);
}
