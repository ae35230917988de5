// ./run demo: the seed 002 story on Fashion-MNIST — build the MLP, train it with fit(), evaluate,
// save the weights as a TF checkpoint, load them into a fresh model and evaluate again.
#include <cstdio>
#include <filesystem>

#include <keras/keras.hpp>
#include <keras/layers/core_layers.hpp>
#include <keras/losses/losses.hpp>
#include <keras/metrics/metrics.hpp>
#include <keras/train/train.hpp>

using namespace keras;
using layers::Dense;
using layers::Dropout;

Sequential create_model() {
  Sequential model({Input({784}), Dense(256, {.activation = "relu"}), Dropout(0.5), Dense(10)});
  model.compile({.optimizer = "adam",
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                 .metrics = {"sparse_categorical_accuracy"}});
  return model;
}

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 5;
  random::set_seed(42);
  auto [train, test] = datasets::fashion_mnist::load_data();
  Tensor x_train = train.x.reshape({-1, 784}).astype(float32) / 255.0;
  Tensor x_test = test.x.reshape({-1, 784}).astype(float32) / 255.0;
  Tensor y_train = train.y, y_test = test.y;

  Sequential model = create_model();
  model.print_summary();
  model.fit(x_train, y_train, {.batch_size = 32, .epochs = epochs,
                               .validation_data = {{{x_test}, {y_test}}}});
  Logs result = model.evaluate(x_test, y_test, {.verbose = 2});
  std::printf("test loss %.4f, test accuracy %.4f\n", result[0], result[1]);

  const std::string prefix = "demo_checkpoints/cp.ckpt";
  model.save_weights(prefix);
  std::printf("saved weights to %s (latest_checkpoint: %s)\n", prefix.c_str(),
              train::latest_checkpoint("demo_checkpoints").value_or("none").c_str());

  Sequential fresh = create_model();
  Logs before = fresh.evaluate(x_test, y_test, {.verbose = 0});
  fresh.load_weights(*train::latest_checkpoint("demo_checkpoints")).expect_partial();
  Logs after = fresh.evaluate(x_test, y_test, {.verbose = 0});
  std::printf("fresh model: accuracy %.4f untrained, %.4f after load_weights\n", before[1],
              after[1]);
  return 0;
}
