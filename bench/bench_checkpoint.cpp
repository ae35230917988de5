// Saving and loading a ~100M-parameter model (six Dense 4096x4096) as a TF checkpoint, against
// writing/reading the same bytes with plain fwrite/fread (+ fsync on write, as our writer does)
// in the same run. Rates are parameter bytes per second.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include <keras/keras.hpp>

using namespace keras;
namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::temp_directory_path() / "keras_bench_checkpoint";

Sequential& big_model() {
  static Sequential* model = [] {
    random::set_seed(0);
    std::vector<Layer> layers_list{Input({4096})};
    for (int i = 0; i < 6; ++i) layers_list.push_back(layers::Dense(4096, {.kernel_initializer = "zeros"}));
    return new Sequential(layers_list);
  }();
  return *model;
}

int64_t param_bytes() { return big_model().count_params() * 4; }

void keras_save(benchmark::State& state) {
  fs::create_directories(kDir);
  for (auto _ : state) big_model().save_weights((kDir / "ckpt").string());
  state.SetBytesProcessed(state.iterations() * param_bytes());
}

void keras_load(benchmark::State& state) {
  fs::create_directories(kDir);
  big_model().save_weights((kDir / "ckpt").string());
  for (auto _ : state) big_model().load_weights((kDir / "ckpt").string());
  state.SetBytesProcessed(state.iterations() * param_bytes());
}

void fwrite_peer(benchmark::State& state) {
  fs::create_directories(kDir);
  std::vector<char> buf(static_cast<size_t>(param_bytes()), 1);
  for (auto _ : state) {
    std::FILE* f = std::fopen((kDir / "raw.bin").c_str(), "wb");
    std::fwrite(buf.data(), 1, buf.size(), f);
    std::fflush(f);
    ::fsync(::fileno(f));
    std::fclose(f);
  }
  state.SetBytesProcessed(state.iterations() * param_bytes());
}

void fread_peer(benchmark::State& state) {
  fs::create_directories(kDir);
  std::vector<char> buf(static_cast<size_t>(param_bytes()), 1);
  {
    std::FILE* f = std::fopen((kDir / "raw.bin").c_str(), "wb");
    std::fwrite(buf.data(), 1, buf.size(), f);
    std::fclose(f);
  }
  for (auto _ : state) {
    // A fresh buffer per read, as a loader allocates its tensors.
    std::vector<char> in(buf.size());
    std::FILE* f = std::fopen((kDir / "raw.bin").c_str(), "rb");
    benchmark::DoNotOptimize(std::fread(in.data(), 1, in.size(), f));
    std::fclose(f);
  }
  state.SetBytesProcessed(state.iterations() * param_bytes());
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("keras_ckpt_save/100M", keras_save)->UseRealTime();
  benchmark::RegisterBenchmark("fwrite/100M", fwrite_peer)->UseRealTime();
  benchmark::RegisterBenchmark("keras_ckpt_load/100M", keras_load)->UseRealTime();
  benchmark::RegisterBenchmark("fread/100M", fread_peer)->UseRealTime();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  fs::remove_all(kDir);
  return 0;
}
