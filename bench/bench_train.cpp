// Training throughput of the seed MLP and CNN (train_on_batch) and single-sample latency; the
// PyTorch peer is bench/peer_torch_train.py, compared in run_bench.py's "training" rows.
#include <benchmark/benchmark.h>

#include <keras/keras.hpp>
#include <keras/layers/conv_layers.hpp>
#include <keras/layers/core_layers.hpp>
#include <keras/losses/losses.hpp>

using namespace keras;

namespace {

Sequential make_mlp() {
  Sequential model({Input({784}), layers::Dense(256, {.activation = "relu"}),
                    layers::Dropout(0.5), layers::Dense(10)});
  model.compile({.optimizer = "adam",
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true})});
  return model;
}

Sequential make_cnn() {
  Sequential model({Input({28, 28, 1}), layers::Conv2D(32, {3, 3}, {.activation = "relu"}),
                    layers::MaxPooling2D({2, 2}), layers::Conv2D(64, {3, 3}, {.activation = "relu"}),
                    layers::MaxPooling2D({2, 2}), layers::Flatten(),
                    layers::Dense(128, {.activation = "relu"}), layers::Dense(10)});
  model.compile({.optimizer = "adam",
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true})});
  return model;
}

void train(benchmark::State& state, Sequential model, const Shape& sample_shape, int64_t batch) {
  random::set_seed(0);
  Shape shape = sample_shape;
  const int64_t n = 64 * batch;
  shape.insert(shape.begin(), n);
  Tensor x = random::uniform(shape);
  Tensor y = random::randint({n}, 0, 10, int32);
  int64_t i = 0;
  for (int w = 0; w < 10; ++w) model.train_on_batch(x.slice(0, batch), y.slice(0, batch));
  for (auto _ : state) {
    const int64_t lo = (i++ % 64) * batch;
    model.train_on_batch(x.slice(lo, lo + batch), y.slice(lo, lo + batch));
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("keras_train_mlp/b32", [](benchmark::State& s) {
    train(s, make_mlp(), {784}, 32);
  })->UseRealTime()->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("keras_train_mlp/b128", [](benchmark::State& s) {
    train(s, make_mlp(), {784}, 128);
  })->UseRealTime()->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("keras_train_cnn/b64", [](benchmark::State& s) {
    train(s, make_cnn(), {28, 28, 1}, 64);
  })->UseRealTime()->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("keras_predict_mlp/1", [](benchmark::State& s) {
    Sequential model = make_mlp();
    Tensor x = random::uniform({1, 784});
    for (int w = 0; w < 100; ++w) model.predict_on_batch(x);
    for (auto _ : s) benchmark::DoNotOptimize(model.predict_on_batch(x));
  })->UseRealTime()->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
