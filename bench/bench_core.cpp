// Core kernels against their ideal peers, measured in the same process: keras::ops::matmul vs a
// plain cblas_sgemm on the MLP training shapes, and keras elementwise ops vs memcpy of the same
// 16 MiB. bench/run_bench.py runs this with --benchmark_format=json and computes the ratios.
//
// Units (run_bench.py relies on them):
//   * GEMMs report the counter "FLOPS" = 2*M*N*K per iteration as a rate (FLOP/s).
//   * Elementwise ops and memcpy report bytes_per_second counting bytes READ + WRITTEN by the
//     ideal kernel (a+b: 3 arrays; a*2, relu, exp, memcpy: 2 arrays), so the ratio against memcpy
//     is the fraction of the machine's streaming bandwidth an op achieves. Write-allocate traffic
//     is not counted for anyone.
//   * Every benchmark uses real (wall) time: OpenBLAS runs on its own threads.
//
// Ops that other parts of keras-cpp add later (matmul, its transpose-flag variant, relu, exp) are
// detected at compile time with the concepts below, so this file builds before and after they
// land; an absent op's benchmarks are simply not registered (run_bench.py reports them missing).
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "keras/keras.hpp"

namespace keras::ops {
// Unqualified calls in a requires-expression: ordinary lookup (here, in keras::ops) finds the op
// if its header declares it; if not, the requirement fails instead of the build.
template <typename T>
concept bench_has_matmul = requires(const T& a) {
  { matmul(a, a) } -> std::convertible_to<T>;
};
template <typename T>
concept bench_has_matmul_transpose = requires(const T& a) {
  { matmul(a, a, true, false) } -> std::convertible_to<T>;
};
template <typename T>
concept bench_has_relu = requires(const T& a) {
  { relu(a) } -> std::convertible_to<T>;
};
template <typename T>
concept bench_has_exp = requires(const T& a) {
  { exp(a) } -> std::convertible_to<T>;
};

// Only instantiated when the matching concept holds.
template <typename T>
T bench_matmul(const T& a, const T& b) {
  return matmul(a, b);
}
template <typename T>
T bench_matmul_t(const T& a, const T& b, bool transpose_a, bool transpose_b) {
  return matmul(a, b, transpose_a, transpose_b);
}
template <typename T>
T bench_relu(const T& a) {
  return relu(a);
}
template <typename T>
T bench_exp(const T& a) {
  return exp(a);
}
}  // namespace keras::ops

namespace {

using keras::Tensor;

// Fills with values in [-1, 1): no denormals, no overflow in exp.
Tensor random_tensor(const keras::Shape& shape, uint32_t seed) {
  Tensor t = Tensor::empty(shape);
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  float* p = t.data<float>();
  for (int64_t i = 0; i < t.size(); ++i) p[i] = dist(gen);
  return t;
}

Tensor transposed(const Tensor& t) {
  const int64_t rows = t.dim(0), cols = t.dim(1);
  Tensor out = Tensor::empty({cols, rows});
  const float* src = t.data<float>();
  float* dst = out.data<float>();
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) dst[j * rows + i] = src[i * cols + j];
  return out;
}

// One GEMM C[M,N] = op(A) @ op(B) of a Dense layer's training step. A transposed operand is
// stored as the training step has it (x is [batch, in], W is [in, out]), and read through the
// BLAS transpose flag, as a backward pass does.
struct Gemm {
  std::string name;
  int m, n, k;
  bool transpose_a, transpose_b;
};

std::vector<Gemm> mlp_gemms() {
  std::vector<Gemm> gemms;
  for (int batch : {128, 32}) {
    const std::string b = "/b" + std::to_string(batch);
    // forward: x[batch,784] @ W[784,256]
    gemms.push_back({"fwd" + b, batch, 256, 784, false, false});
    // dW = x^T[784,batch] @ g[batch,256]
    gemms.push_back({"dW" + b, 784, 256, batch, true, false});
    // dX = g[batch,256] @ W^T[256,784]
    gemms.push_back({"dX" + b, batch, 784, 256, false, true});
  }
  return gemms;
}

// Operands as stored: A is [k, m] when transposed, B is [n, k] when transposed.
Tensor gemm_a(const Gemm& g) {
  return random_tensor(g.transpose_a ? keras::Shape{g.k, g.m} : keras::Shape{g.m, g.k}, 1);
}
Tensor gemm_b(const Gemm& g) {
  return random_tensor(g.transpose_b ? keras::Shape{g.n, g.k} : keras::Shape{g.k, g.n}, 2);
}

void set_gemm_counters(benchmark::State& state, const Gemm& g) {
  state.counters["FLOPS"] = benchmark::Counter(2.0 * g.m * g.n * g.k,
                                               benchmark::Counter::kIsIterationInvariantRate,
                                               benchmark::Counter::kIs1000);
}

void cblas_gemm(benchmark::State& state, Gemm g, int threads) {
  openblas_set_num_threads(threads);
  const Tensor a = gemm_a(g), b = gemm_b(g);
  Tensor c = Tensor::empty({g.m, g.n});
  const int lda = g.transpose_a ? g.m : g.k;
  const int ldb = g.transpose_b ? g.k : g.n;
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, g.transpose_a ? CblasTrans : CblasNoTrans,
                g.transpose_b ? CblasTrans : CblasNoTrans, g.m, g.n, g.k, 1.0f,
                a.data<float>(), lda, b.data<float>(), ldb, 0.0f, c.data<float>(), g.n);
    benchmark::DoNotOptimize(c.raw_data());
    benchmark::ClobberMemory();
  }
  set_gemm_counters(state, g);
}

// keras::ops::matmul on the same operands. Without a transpose-flag variant the transposed
// operand is materialised once outside the timed loop (labelled so), which times the same GEMM.
template <typename T>
void keras_gemm(benchmark::State& state, Gemm g, int threads) {
  if constexpr (keras::ops::bench_has_matmul<T>) {
    openblas_set_num_threads(threads);
    T a = gemm_a(g), b = gemm_b(g);
    const bool flags = keras::ops::bench_has_matmul_transpose<T>;
    if (!flags) {
      if (g.transpose_a) a = transposed(a);
      if (g.transpose_b) b = transposed(b);
      if (g.transpose_a || g.transpose_b) state.SetLabel("operand pre-transposed");
    }
    auto run = [&] {
      if constexpr (keras::ops::bench_has_matmul_transpose<T>)
        return keras::ops::bench_matmul_t(a, b, g.transpose_a, g.transpose_b);
      else
        return keras::ops::bench_matmul(a, b);
    };
    run();  // warm-up: a training step finds its output buffers in the allocator's cache
    for (auto _ : state) {
      T c = run();
      benchmark::DoNotOptimize(c.raw_data());
      benchmark::ClobberMemory();
    }
    set_gemm_counters(state, g);
  } else {
    state.SkipWithError("keras::ops::matmul is not in this build");
  }
}

// ---- elementwise: 4M float32 = 16 MiB per array ----
constexpr int64_t kElems = int64_t{4} << 20;
constexpr int64_t kArrayBytes = kElems * static_cast<int64_t>(sizeof(float));

void set_stream_bytes(benchmark::State& state, int arrays) {
  state.SetBytesProcessed(state.iterations() * arrays * kArrayBytes);
}

void memcpy_peer(benchmark::State& state) {
  const Tensor src = random_tensor({kElems}, 3);
  Tensor dst = Tensor::zeros({kElems});
  for (auto _ : state) {
    std::memcpy(dst.raw_data(), src.raw_data(), kArrayBytes);
    benchmark::DoNotOptimize(dst.raw_data());
    benchmark::ClobberMemory();
  }
  set_stream_bytes(state, 2);
}

// The loop a compiler makes of c[i] = a[i] + b[i] with this build's flags: what a keras op could
// reach without allocation or dispatch costs.
void loop_add(benchmark::State& state) {
  const Tensor a = random_tensor({kElems}, 4), b = random_tensor({kElems}, 5);
  Tensor c = Tensor::zeros({kElems});
  const float* __restrict pa = a.data<float>();
  const float* __restrict pb = b.data<float>();
  float* __restrict pc = c.data<float>();
  for (auto _ : state) {
    for (int64_t i = 0; i < kElems; ++i) pc[i] = pa[i] + pb[i];
    benchmark::DoNotOptimize(pc);
    benchmark::ClobberMemory();
  }
  set_stream_bytes(state, 3);
}

void loop_scale(benchmark::State& state) {
  const Tensor a = random_tensor({kElems}, 4);
  Tensor c = Tensor::zeros({kElems});
  const float* __restrict pa = a.data<float>();
  float* __restrict pc = c.data<float>();
  for (auto _ : state) {
    for (int64_t i = 0; i < kElems; ++i) pc[i] = pa[i] * 2.0f;
    benchmark::DoNotOptimize(pc);
    benchmark::ClobberMemory();
  }
  set_stream_bytes(state, 2);
}

void keras_add(benchmark::State& state) {
  const Tensor a = random_tensor({kElems}, 4), b = random_tensor({kElems}, 5);
  benchmark::DoNotOptimize((a + b).raw_data());  // warm-up, as for matmul
  for (auto _ : state) {
    Tensor c = a + b;
    benchmark::DoNotOptimize(c.raw_data());
    benchmark::ClobberMemory();
  }
  set_stream_bytes(state, 3);
}

void keras_scale(benchmark::State& state) {
  const Tensor a = random_tensor({kElems}, 4);
  benchmark::DoNotOptimize((a * 2.0).raw_data());
  for (auto _ : state) {
    Tensor c = a * 2.0;
    benchmark::DoNotOptimize(c.raw_data());
    benchmark::ClobberMemory();
  }
  set_stream_bytes(state, 2);
}

template <typename T>
void keras_relu(benchmark::State& state) {
  if constexpr (keras::ops::bench_has_relu<T>) {
    const T a = random_tensor({kElems}, 4);
    benchmark::DoNotOptimize(keras::ops::bench_relu(a).raw_data());
    for (auto _ : state) {
      T c = keras::ops::bench_relu(a);
      benchmark::DoNotOptimize(c.raw_data());
      benchmark::ClobberMemory();
    }
    set_stream_bytes(state, 2);
  } else {
    state.SkipWithError("keras::ops::relu is not in this build");
  }
}

template <typename T>
void keras_exp(benchmark::State& state) {
  if constexpr (keras::ops::bench_has_exp<T>) {
    const T a = random_tensor({kElems}, 4);
    benchmark::DoNotOptimize(keras::ops::bench_exp(a).raw_data());
    for (auto _ : state) {
      T c = keras::ops::bench_exp(a);
      benchmark::DoNotOptimize(c.raw_data());
      benchmark::ClobberMemory();
    }
    set_stream_bytes(state, 2);
  } else {
    state.SkipWithError("keras::ops::exp is not in this build");
  }
}

// OpenBLAS thread counts to sweep: 1 and every core (on a 2-core machine: 1 and 2).
std::vector<int> blas_thread_counts() {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<int> counts{1};
  if (cores > 1) counts.push_back(cores);
  return counts;
}

void register_all() {
  constexpr bool kHasMatmul = keras::ops::bench_has_matmul<Tensor>;
  for (const Gemm& g : mlp_gemms()) {
    for (int threads : blas_thread_counts()) {
      const std::string suffix = "/" + g.name + "/threads:" + std::to_string(threads);
      benchmark::RegisterBenchmark(("cblas_sgemm" + suffix).c_str(), cblas_gemm, g, threads)
          ->UseRealTime();
      if (kHasMatmul)
        benchmark::RegisterBenchmark(("keras_matmul" + suffix).c_str(), keras_gemm<Tensor>, g,
                                     threads)
            ->UseRealTime();
    }
  }
  benchmark::RegisterBenchmark("memcpy/16MiB", memcpy_peer)->UseRealTime();
  benchmark::RegisterBenchmark("loop_add/4M", loop_add)->UseRealTime();
  benchmark::RegisterBenchmark("loop_scale/4M", loop_scale)->UseRealTime();
  benchmark::RegisterBenchmark("keras_add/4M", keras_add)->UseRealTime();
  benchmark::RegisterBenchmark("keras_scale/4M", keras_scale)->UseRealTime();
  if (keras::ops::bench_has_relu<Tensor>)
    benchmark::RegisterBenchmark("keras_relu/4M", keras_relu<Tensor>)->UseRealTime();
  if (keras::ops::bench_has_exp<Tensor>)
    benchmark::RegisterBenchmark("keras_exp/4M", keras_exp<Tensor>)->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("openblas_config", openblas_get_config());
  // The kernel set DYNAMIC_ARCH picked (OPENBLAS_CORETYPE overrides it): it decides sgemm speed.
  benchmark::AddCustomContext("openblas_core", openblas_get_corename());
  benchmark::AddCustomContext("openblas_default_threads",
                              std::to_string(openblas_get_num_threads()));
  auto yes_no = [](bool b) { return std::string(b ? "yes" : "no"); };
  benchmark::AddCustomContext("keras_has_matmul",
                              yes_no(keras::ops::bench_has_matmul<Tensor>));
  benchmark::AddCustomContext("keras_has_matmul_transpose_flags",
                              yes_no(keras::ops::bench_has_matmul_transpose<Tensor>));
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
