// Training end to end: the seed MLP and CNN on Fashion-MNIST (issue 3's acceptance numbers),
// determinism, History, evaluate/predict, custom loops.
#include <gtest/gtest.h>

#include <keras/keras.hpp>
#include <keras/layers/conv_layers.hpp>
#include <keras/layers/core_layers.hpp>
#include <keras/losses/losses.hpp>
#include <keras/metrics/metrics.hpp>
#include <keras/optimizers/optimizers.hpp>
#include <keras/data/dataset.hpp>

using namespace keras;
using layers::Dense;

namespace {

struct Data {
  Tensor x_train, y_train, x_test, y_test;
};

const Data& fashion() {
  static const Data d = [] {
    auto [train, test] = datasets::fashion_mnist::load_data();
    return Data{train.x.astype(float32) / 255.0, train.y, test.x.astype(float32) / 255.0, test.y};
  }();
  return d;
}

Sequential seed_mlp() {
  Sequential model({Input({784}), Dense(256, {.activation = "relu"}), layers::Dropout(0.5),
                    Dense(10)});
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 1e-3}),
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                 .metrics = {"accuracy"}});
  return model;
}

}  // namespace

TEST(Training, SeedMlpReaches85PercentOnFashionMnistIn5Epochs) {
  random::set_seed(1);
  const Data& d = fashion();
  Sequential model = seed_mlp();
  History h = model.fit(d.x_train.reshape({-1, 784}), d.y_train,
                        {.batch_size = 32, .epochs = 5, .verbose = 0});
  ASSERT_EQ(h.epoch, (std::vector<int>{0, 1, 2, 3, 4}));
  ASSERT_EQ(h.history["loss"].size(), 5u);
  EXPECT_LT(h.history["loss"][4], h.history["loss"][0]);
  Logs r = model.evaluate(d.x_test.reshape({-1, 784}), d.y_test, {.verbose = 0});
  EXPECT_EQ(r.size(), 2u);
  EXPECT_TRUE(r.contains("accuracy"));  // "accuracy" resolved to sparse categorical accuracy
  EXPECT_GE(r["accuracy"], 0.85);
  // evaluate's accuracy equals argmax(predict) computed independently here.
  Tensor logits = model.predict(d.x_test.reshape({-1, 784}), {.batch_size = 500});
  Tensor pred = ops::argmax(logits, -1);
  auto p = pred.to_vector<int64_t>();
  auto y = d.y_test.to_vector<int64_t>();
  int64_t correct = 0;
  for (size_t i = 0; i < p.size(); ++i) correct += p[i] == y[i];
  EXPECT_NEAR(r["accuracy"], double(correct) / p.size(), 1e-6);
}

TEST(Training, SeedCnnReaches90PercentOnFashionMnistIn5Epochs) {
  random::set_seed(2);
  const Data& d = fashion();
  Sequential model({Input({28, 28, 1}), layers::Conv2D(32, {3, 3}, {.activation = "relu"}),
                    layers::MaxPooling2D({2, 2}),
                    layers::Conv2D(64, {3, 3}, {.activation = "relu"}),
                    layers::MaxPooling2D({2, 2}), layers::Flatten(),
                    Dense(128, {.activation = "relu"}), Dense(10)});
  model.compile({.optimizer = "adam",
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                 .metrics = {"accuracy"}});
  model.fit(d.x_train.reshape({-1, 28, 28, 1}), d.y_train,
            {.batch_size = 32, .epochs = 5, .verbose = 0});
  Logs r = model.evaluate(d.x_test.reshape({-1, 28, 28, 1}), d.y_test, {.verbose = 0});
  EXPECT_GE(r["accuracy"], 0.90);
}

TEST(Training, SameSeedSameRunBitForBit) {
  const Data& d = fashion();
  auto run = [&] {
    random::set_seed(7);
    Sequential model = seed_mlp();
    model.fit(d.x_train.slice(0, 2000).reshape({-1, 784}), d.y_train.slice(0, 2000),
              {.batch_size = 64, .epochs = 2, .verbose = 0});
    return model.get_weights();
  };
  auto a = run(), b = run();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i].to_vector<float>(), b[i].to_vector<float>()) << "weight " << i;
}

TEST(Training, ValidationSplitAndCallbacksSeeValLogs) {
  random::set_seed(3);
  const Data& d = fashion();
  Sequential model = seed_mlp();
  History h = model.fit(d.x_train.slice(0, 1000).reshape({-1, 784}), d.y_train.slice(0, 1000),
                        {.batch_size = 32, .epochs = 2, .verbose = 0, .validation_split = 0.2});
  for (const char* k : {"loss", "accuracy", "val_loss", "val_accuracy"})
    EXPECT_EQ(h.history[k].size(), 2u) << k;
}

TEST(Training, CustomLoopWithTapeOptimizerAndMetric) {
  // Seed 001's second experiment: GradientTape + apply_gradients + a metric object.
  random::set_seed(4);
  const Data& d = fashion();
  Tensor x = d.x_train.slice(0, 4096).reshape({-1, 784});
  Tensor y = d.y_train.slice(0, 4096);
  Sequential model({Input({784}), Dense(64, {.activation = "relu"}), Dense(10)});
  optimizers::SGD opt({.learning_rate = 0.1});
  losses::SparseCategoricalCrossentropy loss_fn({.from_logits = true});
  metrics::SparseCategoricalAccuracy acc;
  double first_loss = 0, last_loss = 0;
  for (int epoch = 0; epoch < 3; ++epoch) {
    acc.reset_state();
    for (int64_t lo = 0; lo < x.dim(0); lo += 64) {
      Tensor xb = x.slice(lo, lo + 64), yb = y.slice(lo, lo + 64);
      std::vector<Tensor> grads;
      Tensor logits, loss;
      {
        GradientTape tape;
        logits = model(xb, /*training=*/true);
        loss = loss_fn(yb, logits);
        grads = tape.gradient(loss, model.trainable_weights());
      }
      opt.apply(grads, model.trainable_weights());
      acc.update_state(yb, logits);
      if (epoch == 0 && lo == 0) first_loss = loss.item<double>();
      last_loss = loss.item<double>();
    }
  }
  EXPECT_LT(last_loss, first_loss * 0.6);
  EXPECT_GT(acc.result().item<double>(), 0.7);
  EXPECT_EQ(opt.iterations().value().item<int64_t>(), 3 * 64);
}

TEST(Training, CompileErrorsAreClear) {
  Sequential model({Input({4}), Dense(2)});
  EXPECT_THROW(model.fit(Tensor::zeros({8, 4}), Tensor::zeros({8})), ValueError);  // not compiled
  model.compile({.optimizer = "sgd", .loss = "mse"});
  EXPECT_THROW(model.fit(Tensor::zeros({8, 4}), Tensor::zeros({7, 2})), ValueError);
  EXPECT_THROW(model.compile({.optimizer = "adamm", .loss = "mse"}), UnknownObjectError);
}

namespace {
// A subclassed model (seed 001/004): members tracked under their attribute names.
struct TwoLayer : Model {
  TwoLayer() : Model({.name = "my_model"}, "MyModel") {
    dense_1 = track("dense_1", Dense(8, {.activation = "relu", .name = "hidden"}));
    dense_2 = track("dense_2", Dense(3, {.name = "out"}));
  }
  Tensor call(const Tensor& x, bool training) override {
    return (*dense_2)((*dense_1)(x, training), training);
  }
  std::shared_ptr<Dense> dense_1, dense_2;
};
}  // namespace

TEST(Training, SubclassedModelTracksMembersAndFitsFromADataset) {
  random::set_seed(8);
  TwoLayer model;
  Tensor x = random::uniform({256, 5});
  Tensor y = ops::argmax(ops::matmul(x, Tensor::from_vector<float>(
                                            {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1}, {5, 3})),
                         -1);
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& c : model.tracked_children()) out.push_back(c.name);
    return out;
  }();
  EXPECT_EQ(names, (std::vector<std::string>{"dense_1", "dense_2"}));
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.05}),
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                 .metrics = {"accuracy"}});
  auto ds = data::Dataset::from_tensor_slices(x, y).shuffle(256, 1).batch(32);
  History h = model.fit(ds, {.epochs = 15, .verbose = 0});
  EXPECT_EQ(h.history["loss"].size(), 15u);
  EXPECT_LT(h.history["loss"].back(), h.history["loss"].front());
  EXPECT_EQ(model.weights().size(), 4u);
  EXPECT_EQ(model.weights()[0].path(), "hidden/kernel");
  EXPECT_GT(model.evaluate(x, y, {.verbose = 0})["accuracy"], 0.8);
  // Weights transfer to a Sequential of the same architecture (seed 004's in-memory transfer).
  Sequential same({Input({5}), Dense(8, {.activation = "relu"}), Dense(3)});
  same.set_weights(model.get_weights());
  EXPECT_EQ(same.predict_on_batch(x).to_vector<float>(), model.predict_on_batch(x).to_vector<float>());
}
