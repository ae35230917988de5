// keras::random — Keras 3's keras.random (SeedGenerator, uniform, normal, truncated_normal,
// randint, shuffle) and keras.utils.set_random_seed.
//
// Generator: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11),
// the counter-based generator behind TensorFlow's stateless random ops. Every draw turns a
// 128-bit seed pair (seed0, seed1) into a Philox key and starting counter exactly as TF's
// GenerateKey does (one Philox call scrambles the pair under the key 0x3ec8f720/0x02461e29),
// then consumes consecutive counter blocks of four 32-bit words:
//   uniform float32: one word per value, 23 mantissa bits -> [0, 1) (TF's Uint32ToFloat);
//   uniform float64: two words per value, 52 mantissa bits (TF's Uint64ToDouble);
//   normal: Box-Muller on word pairs (TF's BoxMullerFloat/Double);
//   truncated_normal: Box-Muller samples with |z| >= 2 discarded and redrawn (as TF and Keras);
//   randint: 64 random bits per value mapped to [minval, maxval) without modulo bias (Lemire);
//   float16/bfloat16: drawn as float32, then rounded to the narrow type.
// The algorithm mirrors TF's stateless ops; bit equality with TF was not verified (no TF here).
//
// Seeds follow Keras 3's draw_seed:
//   seed = an integer s   -> the pair (s, 0): the same numbers on every call;
//   seed = SeedGenerator  -> its state (seed, counter), and the counter advances: a new stream
//                            per call, reproducible from the generator's seed;
//   no seed               -> the global SeedGenerator. set_seed(s) (keras.utils.set_random_seed)
//                            replaces it with SeedGenerator(s) and reseeds the source that
//                            SeedGenerator() without a seed draws from, so a program that calls
//                            set_seed first produces the same numbers bit for bit on every run.
// Without set_seed the global generator is seeded from std::random_device on first use.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "keras/core/tensor.hpp"

namespace keras::random {

// Philox4x32-10: 4 x 32-bit counter, 2 x 32-bit key, 10 rounds; one call gives 4 words.
using PhiloxCounter = std::array<uint32_t, 4>;
using PhiloxKey = std::array<uint32_t, 2>;
PhiloxCounter philox4x32_10(const PhiloxCounter& counter, const PhiloxKey& key);

// keras.random.SeedGenerator: a seed plus a counter that every draw advances. Its state is the
// pair Keras stores as the variable "seed_generator_state" ([seed, counter], uint32).
// Not synchronised: share one between threads only with external locking (the global
// generator behind unseeded calls is locked internally).
class SeedGenerator {
 public:
  // No seed: one drawn from the global seed source (reproducible after set_seed).
  SeedGenerator();
  explicit SeedGenerator(int64_t seed);

  // The pair for one draw: (initial seed, counter); advances the counter.
  std::array<uint64_t, 2> next();
  // [seed, counter] as Keras saves it; set_state restores a saved one.
  std::array<uint32_t, 2> state() const { return state_; }
  void set_state(const std::array<uint32_t, 2>& state) { state_ = state; }
  int64_t initial_seed() const { return initial_seed_; }

 private:
  int64_t initial_seed_ = 0;
  std::array<uint32_t, 2> state_{};
};

// The seed argument of every keras.random function: None, an integer or a SeedGenerator.
class Seed {
 public:
  Seed() = default;                                     // None: the global generator
  Seed(std::nullopt_t) {}                               // NOLINT: None, spelled explicitly
  Seed(int64_t seed) : fixed_(seed) {}                  // NOLINT: keras passes ints as seeds
  Seed(int seed) : fixed_(seed) {}                      // NOLINT
  Seed(SeedGenerator& generator) : gen_(&generator) {}  // NOLINT

  // The (seed0, seed1) pair for one draw (advances a generator).
  std::array<uint64_t, 2> draw() const;

 private:
  std::optional<int64_t> fixed_;
  SeedGenerator* gen_ = nullptr;
};

// keras.utils.set_random_seed: makes every later unseeded draw deterministic.
void set_seed(int64_t seed);

// Uniform values in [minval, maxval). dtype: a floating dtype.
Tensor uniform(const Shape& shape, double minval = 0.0, double maxval = 1.0,
               DType dtype = DType::float32, Seed seed = {});
// Normal values with the given mean and standard deviation. dtype: a floating dtype.
Tensor normal(const Shape& shape, double mean = 0.0, double stddev = 1.0,
              DType dtype = DType::float32, Seed seed = {});
// Normal values more than two standard deviations from the mean are redrawn.
Tensor truncated_normal(const Shape& shape, double mean = 0.0, double stddev = 1.0,
                        DType dtype = DType::float32, Seed seed = {});
// Integers uniform in [minval, maxval). dtype: an integer dtype.
Tensor randint(const Shape& shape, int64_t minval, int64_t maxval, DType dtype = DType::int32,
               Seed seed = {});
// numpy.random.permutation(n): a random ordering of 0..n-1 as int64 (Fisher-Yates).
Tensor permutation(int64_t n, Seed seed = {});
// keras.random.shuffle(x, axis=0): a copy of x with its rows (first axis) in random order.
Tensor shuffle(const Tensor& x, Seed seed = {});

}  // namespace keras::random
