// keras.random on Philox4x32-10 (see include/keras/core/random.hpp for the stream layout).
#include "keras/core/random.hpp"

#include <cmath>
#include <limits>
#include <mutex>
#include <numbers>
#include <random>
#include <string>

#include "core/dispatch.hpp"

namespace keras::random {

// ---------------------------------------------------------------- Philox4x32-10

PhiloxCounter philox4x32_10(const PhiloxCounter& counter, const PhiloxKey& key) {
  constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
  constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;  // Weyl key increments
  PhiloxCounter c = counter;
  PhiloxKey k = key;
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(kM0) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(kM1) * c[2];
    c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
    k[0] += kW0;
    k[1] += kW1;
  }
  return c;
}

namespace {

// Consecutive Philox blocks from one (seed0, seed1) pair, keyed as TF's GenerateKey does.
class PhiloxStream {
 public:
  explicit PhiloxStream(const std::array<uint64_t, 2>& seed) {
    const PhiloxCounter pre = {static_cast<uint32_t>(seed[0]), static_cast<uint32_t>(seed[0] >> 32),
                               static_cast<uint32_t>(seed[1]),
                               static_cast<uint32_t>(seed[1] >> 32)};
    const PhiloxCounter mix = philox4x32_10(pre, {0x3ec8f720u, 0x02461e29u});
    key_ = {mix[0], mix[1]};
    counter_ = {0, 0, mix[2], mix[3]};
  }

  PhiloxCounter block() {
    const PhiloxCounter out = philox4x32_10(counter_, key_);
    for (uint32_t& word : counter_)  // 128-bit increment, lowest word first
      if (++word != 0) break;
    return out;
  }

  // One word at a time, for consumers that use a variable number of words per value.
  uint32_t word() {
    if (used_ == 4) {
      buffer_ = block();
      used_ = 0;
    }
    return buffer_[used_++];
  }
  uint64_t word64() {
    const uint64_t lo = word();
    return lo | (static_cast<uint64_t>(word()) << 32);
  }

  // Uniform in [0, range) without modulo bias (Lemire, "Fast random integer generation in an
  // interval", 2019). REQUIRES: range > 0.
  uint64_t bounded(uint64_t range) {
    unsigned __int128 m = static_cast<unsigned __int128>(word64()) * range;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < range) {
      const uint64_t threshold = (0 - range) % range;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(word64()) * range;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

 private:
  PhiloxCounter counter_{};
  PhiloxKey key_{};
  PhiloxCounter buffer_{};
  int used_ = 4;
};

// [0, 1) from 23 random mantissa bits (TF's Uint32ToFloat).
inline float uint32_to_float(uint32_t x) {
  return std::bit_cast<float>((x & 0x7fffffu) | 0x3f800000u) - 1.0f;
}
// [0, 1) from 52 random mantissa bits: 20 from x0, 32 from x1 (TF's Uint64ToDouble).
inline double uint64_to_double(uint32_t x0, uint32_t x1) {
  const uint64_t mantissa = (static_cast<uint64_t>(x0 & 0xfffffu) << 32) | x1;
  return std::bit_cast<double>(mantissa | 0x3ff0000000000000ull) - 1.0;
}

// Box-Muller on two uniforms; u1 is kept away from 0 so that log() stays finite (as TF).
inline void box_muller_float(uint32_t x0, uint32_t x1, float* f0, float* f1) {
  float u1 = uint32_to_float(x0);
  if (u1 < 1.0e-7f) u1 = 1.0e-7f;
  const float v1 = 2.0f * std::numbers::pi_v<float> * uint32_to_float(x1);
  const float u2 = std::sqrt(-2.0f * std::log(u1));
  *f0 = std::sin(v1) * u2;
  *f1 = std::cos(v1) * u2;
}
inline void box_muller_double(const PhiloxCounter& b, double* d0, double* d1) {
  double u1 = uint64_to_double(b[0], b[1]);
  if (u1 < 1.0e-7) u1 = 1.0e-7;
  const double v1 = 2.0 * std::numbers::pi * uint64_to_double(b[2], b[3]);
  const double u2 = std::sqrt(-2.0 * std::log(u1));
  *d0 = std::sin(v1) * u2;
  *d1 = std::cos(v1) * u2;
}

// ---------------------------------------------------------------- global seed state

struct GlobalState {
  std::mutex mutex;
  bool seeded = false;
  uint64_t source = 0;  // SplitMix64 state: seeds for SeedGenerator() without a seed
  std::optional<SeedGenerator> generator;

  void ensure_seeded() {  // REQUIRES: mutex held
    if (seeded) return;
    std::random_device rd;
    reseed((static_cast<uint64_t>(rd()) << 32) | rd());
  }
  void reseed(uint64_t seed) {  // REQUIRES: mutex held
    seeded = true;
    source = seed;
    generator.emplace(static_cast<int64_t>(seed));
  }
  // SplitMix64 (Steele et al. 2014): a full-period 64-bit sequence of well-mixed seeds.
  uint64_t next_source() {  // REQUIRES: mutex held
    uint64_t z = (source += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

GlobalState& global() {
  static GlobalState state;
  return state;
}

void check_shape(const Shape& shape, const char* op) {
  for (int64_t d : shape)
    if (d < 0)
      throw ValueError(std::string("keras.random.") + op + ": shape " + shape_str(shape) +
                       " has a negative dimension.");
}

void check_floating(DType dtype, const char* op) {
  if (!is_floating(dtype))
    throw TypeError(std::string("keras.random.") + op +
                    ": expected a floating dtype (float16, bfloat16, float32, float64), "
                    "received dtype=" +
                    std::string(dtype_name(dtype)) + ".");
}

// Draws into float32 or float64 storage; narrow float dtypes are drawn as float32 and rounded.
template <typename Fill>
Tensor draw_floating(const Shape& shape, DType dtype, const char* op, Fill&& fill) {
  check_shape(shape, op);
  check_floating(dtype, op);
  const DType wide = dtype == DType::float64 ? DType::float64 : DType::float32;
  Tensor out = Tensor::empty(shape, wide);
  if (wide == DType::float64) {
    fill(out.data<double>(), out.size());
  } else {
    fill(out.data<float>(), out.size());
  }
  return wide == dtype ? out : out.astype(dtype);
}

}  // namespace

// ---------------------------------------------------------------- seeds

SeedGenerator::SeedGenerator() {
  GlobalState& g = global();
  std::lock_guard<std::mutex> lock(g.mutex);
  g.ensure_seeded();
  // Keras's make_default_seed draws from [1, 1e9]; the range keeps seeds within uint32.
  initial_seed_ = 1 + static_cast<int64_t>(g.next_source() % 1000000000u);
  state_ = {static_cast<uint32_t>(initial_seed_), 0};
}

SeedGenerator::SeedGenerator(int64_t seed)
    : initial_seed_(seed), state_{static_cast<uint32_t>(seed), 0} {}

std::array<uint64_t, 2> SeedGenerator::next() {
  const std::array<uint64_t, 2> out = {state_[0], state_[1]};
  ++state_[1];
  return out;
}

std::array<uint64_t, 2> Seed::draw() const {
  if (fixed_) return {static_cast<uint64_t>(*fixed_), 0};
  if (gen_) return gen_->next();
  GlobalState& g = global();
  std::lock_guard<std::mutex> lock(g.mutex);
  g.ensure_seeded();
  return g.generator->next();
}

void set_seed(int64_t seed) {
  GlobalState& g = global();
  std::lock_guard<std::mutex> lock(g.mutex);
  g.reseed(static_cast<uint64_t>(seed));
}

// ---------------------------------------------------------------- distributions

Tensor uniform(const Shape& shape, double minval, double maxval, DType dtype, Seed seed) {
  if (!(minval <= maxval) || !std::isfinite(minval) || !std::isfinite(maxval))
    throw ValueError("keras.random.uniform: expected finite minval <= maxval, received minval=" +
                     std::to_string(minval) + ", maxval=" + std::to_string(maxval) + ".");
  PhiloxStream stream(seed.draw());
  return draw_floating(shape, dtype, "uniform", [&]<typename T>(T* p, int64_t n) {
    const T lo = static_cast<T>(minval);
    const T range = static_cast<T>(maxval) - lo;
    if constexpr (std::is_same_v<T, float>) {
      for (int64_t i = 0; i < n; i += 4) {
        const PhiloxCounter b = stream.block();
        for (int64_t j = 0; j < 4 && i + j < n; ++j) p[i + j] = uint32_to_float(b[j]) * range + lo;
      }
    } else {
      for (int64_t i = 0; i < n; i += 2) {
        const PhiloxCounter b = stream.block();
        p[i] = uint64_to_double(b[0], b[1]) * range + lo;
        if (i + 1 < n) p[i + 1] = uint64_to_double(b[2], b[3]) * range + lo;
      }
    }
  });
}

Tensor normal(const Shape& shape, double mean, double stddev, DType dtype, Seed seed) {
  PhiloxStream stream(seed.draw());
  return draw_floating(shape, dtype, "normal", [&]<typename T>(T* p, int64_t n) {
    const T m = static_cast<T>(mean), s = static_cast<T>(stddev);
    if constexpr (std::is_same_v<T, float>) {
      for (int64_t i = 0; i < n; i += 4) {
        const PhiloxCounter b = stream.block();
        float z[4];
        box_muller_float(b[0], b[1], &z[0], &z[1]);
        box_muller_float(b[2], b[3], &z[2], &z[3]);
        for (int64_t j = 0; j < 4 && i + j < n; ++j) p[i + j] = z[j] * s + m;
      }
    } else {
      for (int64_t i = 0; i < n; i += 2) {
        double z[2];
        box_muller_double(stream.block(), &z[0], &z[1]);
        p[i] = z[0] * s + m;
        if (i + 1 < n) p[i + 1] = z[1] * s + m;
      }
    }
  });
}

Tensor truncated_normal(const Shape& shape, double mean, double stddev, DType dtype, Seed seed) {
  PhiloxStream stream(seed.draw());
  return draw_floating(shape, dtype, "truncated_normal", [&]<typename T>(T* p, int64_t n) {
    const T m = static_cast<T>(mean), s = static_cast<T>(stddev);
    constexpr T kTruncate = 2;  // standard deviations, as tf.random.truncated_normal
    int64_t i = 0;
    while (i < n) {
      T z[2];
      if constexpr (std::is_same_v<T, float>) {
        const uint32_t x0 = stream.word(), x1 = stream.word();
        box_muller_float(x0, x1, &z[0], &z[1]);
      } else {
        PhiloxCounter b;
        for (uint32_t& w : b) w = stream.word();
        box_muller_double(b, &z[0], &z[1]);
      }
      for (T v : z)
        if (i < n && std::abs(v) < kTruncate) p[i++] = v * s + m;
    }
  });
}

Tensor randint(const Shape& shape, int64_t minval, int64_t maxval, DType dtype, Seed seed) {
  check_shape(shape, "randint");
  if (!is_integer(dtype))
    throw TypeError("keras.random.randint: expected an integer dtype, received dtype=" +
                    std::string(dtype_name(dtype)) + ".");
  if (minval >= maxval)
    throw ValueError("keras.random.randint: expected minval < maxval, received minval=" +
                     std::to_string(minval) + ", maxval=" + std::to_string(maxval) + ".");
  Tensor out = Tensor::empty(shape, dtype);
  PhiloxStream stream(seed.draw());
  detail::dispatch_numeric(dtype, "randint", [&]<typename T>() {
    if (minval < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
        maxval - 1 > static_cast<int64_t>(std::numeric_limits<T>::max()))
      throw ValueError("keras.random.randint: the range [" + std::to_string(minval) + ", " +
                       std::to_string(maxval) + ") does not fit dtype " +
                       std::string(dtype_name(dtype)) + ".");
    const uint64_t range = static_cast<uint64_t>(maxval) - static_cast<uint64_t>(minval);
    T* p = out.data<T>();
    for (int64_t i = 0; i < out.size(); ++i)
      p[i] = static_cast<T>(static_cast<uint64_t>(minval) + stream.bounded(range));
  });
  return out;
}

Tensor permutation(int64_t n, Seed seed) {
  if (n < 0)
    throw ValueError("keras.random.permutation: expected n >= 0, received n=" + std::to_string(n) +
                     ".");
  Tensor out = Tensor::arange(n);
  int64_t* p = out.data<int64_t>();
  PhiloxStream stream(seed.draw());
  for (int64_t i = n - 1; i > 0; --i) {
    const int64_t j = static_cast<int64_t>(stream.bounded(static_cast<uint64_t>(i) + 1));
    std::swap(p[i], p[j]);
  }
  return out;
}

Tensor shuffle(const Tensor& x, Seed seed) {
  if (!x.defined() || x.ndim() == 0)
    throw ValueError("keras.random.shuffle: expected a tensor of rank >= 1, received " +
                     std::string(x.defined() ? "a scalar" : "an undefined tensor") + ".");
  const int64_t rows = x.dim(0);
  const Tensor perm = permutation(rows, seed);
  const int64_t* order = perm.data<int64_t>();
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  const int64_t row = rows ? x.size() / rows : 0;
  if (x.dtype() == DType::string) {
    const std::string* src = x.data<std::string>();
    std::string* dst = out.data<std::string>();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t k = 0; k < row; ++k) dst[r * row + k] = src[order[r] * row + k];
  } else {
    const size_t row_bytes = static_cast<size_t>(row) * dtype_size(x.dtype());
    const char* src = static_cast<const char*>(x.raw_data());
    char* dst = static_cast<char*>(out.raw_data());
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(dst + r * row_bytes, src + order[r] * row_bytes, row_bytes);
  }
  return out;
}

}  // namespace keras::random
