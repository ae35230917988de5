// GCC 12 reports the vector-extension lanes below as maybe-uninitialized although every lane is
// written before use (a false positive of -Wmaybe-uninitialized with vector_size types).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "keras/layers/regularization/dropout.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "core/dispatch.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops.hpp"

namespace keras {

namespace {

// ---- keep masks ----
// Dropout's random draws dominate its cost, so they are made here in batches the compiler
// vectorizes, instead of one Philox block at a time. The stream is random::uniform's exactly
// (same key derivation, counters and word order as random.cpp's PhiloxStream; float32 uniform
// u = low 23 bits of a word * 2^-23), so an element is kept iff uniform(shape, seed) >= rate,
// bit for bit, and masks stay what Keras's seeding rules say.

constexpr int kLanes = 32;  // Philox blocks per batch: 128 mask elements

struct PhiloxBatch {
  uint32_t key0, key1, c2, c3;  // key and the high counter words (constant: see below)

  explicit PhiloxBatch(const std::array<uint64_t, 2>& seed) {
    const random::PhiloxCounter pre = {
        static_cast<uint32_t>(seed[0]), static_cast<uint32_t>(seed[0] >> 32),
        static_cast<uint32_t>(seed[1]), static_cast<uint32_t>(seed[1] >> 32)};
    const random::PhiloxCounter mix = random::philox4x32_10(pre, {0x3ec8f720u, 0x02461e29u});
    key0 = mix[0];
    key1 = mix[1];
    c2 = mix[2];
    c3 = mix[3];
  }

  // Words of blocks first..first+kLanes-1: w[j][l] is word j of block first + l. Block b's
  // counter is (b, b >> 32, c2, c3): the stream starts at low words 0, so no carry reaches c2
  // before 2^64 blocks. The rounds run on 64-bit vector lanes holding 32-bit values (GCC/Clang
  // vector extensions), so the 32 x 32 -> 64-bit products are plain lane multiplies.
  void blocks(uint64_t first, uint32_t (&w)[4][kLanes]) const {
    using V = uint64_t __attribute__((vector_size(64)));  // 8 lanes
    constexpr int kVecs = kLanes / 8;
    constexpr uint64_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u, kLow = 0xffffffffu;
    constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
    V a0[kVecs] = {}, a1[kVecs] = {}, a2[kVecs] = {}, a3[kVecs] = {};
    for (int v = 0; v < kVecs; ++v)
      for (int l = 0; l < 8; ++l) {
        const uint64_t b = first + static_cast<uint64_t>(v * 8 + l);
        a0[v][l] = b & kLow;
        a1[v][l] = b >> 32;
        a2[v][l] = c2;
        a3[v][l] = c3;
      }
    uint64_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; ++round) {
      for (int v = 0; v < kVecs; ++v) {
        const V p0 = a0[v] * kM0;
        const V p1 = a2[v] * kM1;
        a0[v] = (p1 >> 32) ^ a1[v] ^ k0;
        a2[v] = (p0 >> 32) ^ a3[v] ^ k1;
        a1[v] = p1 & kLow;
        a3[v] = p0 & kLow;
      }
      k0 = (k0 + kW0) & kLow;
      k1 = (k1 + kW1) & kLow;
    }
    for (int v = 0; v < kVecs; ++v)
      for (int l = 0; l < 8; ++l) {
        w[0][v * 8 + l] = static_cast<uint32_t>(a0[v][l]);
        w[1][v * 8 + l] = static_cast<uint32_t>(a1[v][l]);
        w[2][v * 8 + l] = static_cast<uint32_t>(a2[v][l]);
        w[3][v * 8 + l] = static_cast<uint32_t>(a3[v][l]);
      }
  }
};

// 1 where an element is kept, 0 where it is dropped; n elements from one seed draw.
Tensor keep_mask(const Shape& shape, double rate, random::Seed seed) {
  Tensor mask = Tensor::empty(shape, DType::uint8);
  uint8_t* m = mask.data<uint8_t>();
  const int64_t n = mask.size();
  const PhiloxBatch philox(seed.draw());
  // u >= r  <=>  (word & 0x7fffff) >= ceil(r * 2^23), r the float32 rate uniform() compares.
  const uint32_t threshold =
      static_cast<uint32_t>(std::ceil(static_cast<double>(static_cast<float>(rate)) * 8388608.0));
  uint32_t w[4][kLanes];
  for (int64_t start = 0; start < n; start += 4 * kLanes) {
    philox.blocks(static_cast<uint64_t>(start / 4), w);
    uint8_t keep[4 * kLanes];
    for (int l = 0; l < kLanes; ++l)
      for (int j = 0; j < 4; ++j) keep[4 * l + j] = (w[j][l] & 0x7fffffu) >= threshold;
    const int64_t count = std::min<int64_t>(4 * kLanes, n - start);
    std::memcpy(m + start, keep, static_cast<size_t>(count));
  }
  return mask;
}

// y = keep ? x * scale : 0 in one pass; the backward pass is the same loop on the gradient.
template <typename T>
void apply_mask(const T* x, const uint8_t* keep, T* y, int64_t n, T scale) {
  for (int64_t i = 0; i < n; ++i) y[i] = keep[i] ? x[i] * scale : T(0);
}

Shape concrete_noise_shape(const Shape& x_shape, const Shape& noise_shape) {
  if (noise_shape.empty()) return x_shape;
  if (noise_shape.size() != x_shape.size())
    throw ValueError("dropout: expected a noise_shape of rank " + std::to_string(x_shape.size()) +
                     " (the inputs' rank), received noise_shape=" + shape_str(noise_shape) +
                     " for inputs of shape " + shape_str(x_shape) + ".");
  Shape out = noise_shape;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] < 0) out[i] = x_shape[i];
    if (out[i] != 1 && out[i] != x_shape[i])
      throw ValueError("dropout: noise_shape=" + shape_str(noise_shape) +
                       " does not broadcast to the inputs' shape " + shape_str(x_shape) +
                       ": each dimension must be 1, -1 or the input's.");
  }
  return out;
}

}  // namespace

namespace random {

Tensor dropout(const Tensor& x, double rate, const Shape& noise_shape, Seed seed) {
  if (!(rate >= 0.0 && rate <= 1.0))
    throw ValueError(
        "dropout: expected a rate between 0 and 1, received rate=" + std::to_string(rate) + ".");
  if (!is_floating(x.dtype()))
    throw TypeError("dropout: expected floating inputs, received dtype " +
                    std::string(dtype_name(x.dtype())) + ".");
  const Shape mask_shape = concrete_noise_shape(x.shape(), noise_shape);
  if (rate == 0.0) return x;
  if (rate == 1.0) return x * 0.0;  // everything dropped (1 / (1 - rate) would be inf)
  if (x.dtype() == DType::float16 || x.dtype() == DType::bfloat16)
    return dropout(x.astype(DType::float32), rate, noise_shape, seed).astype(x.dtype());

  const Tensor keep = keep_mask(mask_shape, rate, seed);
  const uint8_t* pk = keep.data<uint8_t>();
  if (mask_shape != x.shape()) {
    // A shared mask: materialise it in x's dtype and let multiply broadcast it; multiply's
    // gradient then reuses it (dx = g * mask).
    Tensor mask = Tensor::empty(mask_shape, x.dtype());
    detail::dispatch_float(x.dtype(), "Dropout", [&]<typename T>() {
      const T scale = static_cast<T>(1.0 / (1.0 - rate));
      T* pm = mask.data<T>();
      for (int64_t i = 0; i < mask.size(); ++i) pm[i] = pk[i] ? scale : T(0);
    });
    return x * mask;
  }
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  detail::dispatch_float(x.dtype(), "Dropout", [&]<typename T>() {
    apply_mask<T>(x.data<T>(), pk, y.data<T>(), x.size(), static_cast<T>(1.0 / (1.0 - rate)));
  });
  if (autograd::needs_grad({&x})) {
    autograd::record(y, "Dropout", {x}, [keep, rate](const Tensor& g) -> std::vector<Tensor> {
      Tensor dx = Tensor::empty(g.shape(), g.dtype());
      detail::dispatch_float(g.dtype(), "DropoutGrad", [&]<typename T>() {
        apply_mask<T>(g.data<T>(), keep.data<uint8_t>(), dx.data<T>(), g.size(),
                      static_cast<T>(1.0 / (1.0 - rate)));
      });
      return {dx};
    });
  }
  return y;
}

}  // namespace random

namespace layers {

Dropout::Dropout(double rate, const DropoutOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "Dropout"),
      rate_(rate),
      noise_shape_(options.noise_shape),
      seed_(options.seed) {
  validate_and_reseed();
  set_built(true);
}

void Dropout::validate_and_reseed() {
  if (!(rate_ >= 0.0 && rate_ <= 1.0))
    throw ValueError(
        "Dropout: invalid value received for argument `rate`. Expected a float "
        "value between 0 and 1. Received: rate=" +
        std::to_string(rate_));
  if (noise_shape_)
    for (size_t i = 0; i < noise_shape_->size(); ++i)
      if ((*noise_shape_)[i] == 0 || (*noise_shape_)[i] < -1)
        throw ValueError(
            "Dropout: invalid value received for argument `noise_shape`. Expected "
            "all dimensions to be positive integers or None (-1). Received: "
            "noise_shape=" +
            shape_str(*noise_shape_));
  // As Keras: a generator only when something is dropped (an unseeded one draws its seed from
  // the global source, so creating one needlessly would shift later unseeded draws).
  if (rate_ > 0) {
    if (seed_) {
      seed_generator_.emplace(*seed_);
    } else if (!seed_generator_) {
      seed_generator_.emplace();
    }
  } else {
    seed_generator_.reset();
  }
}

Tensor Dropout::call(const Tensor& x, bool training) {
  if (!training || rate_ == 0.0) return x;
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  Shape noise;
  if (noise_shape_) {
    noise = *noise_shape_;
    if (noise.size() != static_cast<size_t>(in.ndim()))
      throw ValueError("Dropout '" + name() + "': expected a noise_shape of rank " +
                       std::to_string(in.ndim()) + " for inputs of shape " + shape_str(in.shape()) +
                       ", received noise_shape=" + shape_str(noise) + ".");
  }
  return random::dropout(in, rate_, noise, *seed_generator_);
}

std::vector<Shape> Dropout::compute_output_shape(const std::vector<Shape>& input_shapes) {
  return input_shapes;
}

void Dropout::config(ConfigIO& io) {
  Layer::config(io);
  io("rate", rate_);
  io("seed", seed_);
  // Keras writes the tuple with None for unknown dimensions; -1 here.
  if (io.writing()) {
    json& j = (*io.output())["noise_shape"];
    if (!noise_shape_) {
      j = nullptr;
    } else {
      j = json::array();
      for (auto d : *noise_shape_) j.push_back(d < 0 ? json(nullptr) : json(d));
    }
  } else if (auto it = io.input()->find("noise_shape"); it != io.input()->end()) {
    io.consume("noise_shape");
    if (it->is_null()) {
      noise_shape_.reset();
    } else if (it->is_array()) {
      Shape s;
      for (const auto& d : *it) {
        if (!d.is_null() && !d.is_number_integer())
          throw ValueError("Dropout: invalid value for config field 'noise_shape': " + it->dump() +
                           " (expected a list of integers or nulls).");
        s.push_back(d.is_null() ? -1 : d.get<int64_t>());
      }
      noise_shape_ = s;
    } else {
      throw ValueError("Dropout: invalid value for config field 'noise_shape': " + it->dump() +
                       " (expected a list of integers or nulls).");
    }
  }
  if (io.reading()) validate_and_reseed();
}

}  // namespace layers
}  // namespace keras
