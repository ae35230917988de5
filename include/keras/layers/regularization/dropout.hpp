// keras.layers.Dropout (and keras.random.dropout): inverted dropout at training time only.
#pragma once

#include <optional>

#include "keras/core/random.hpp"
#include "keras/layers/layer.hpp"

namespace keras::random {

// keras.random.dropout: each element of x is zeroed with probability `rate` and the others are
// scaled by 1 / (1 - rate), as tf.nn.experimental.stateless_dropout (kept where a uniform [0, 1)
// draw is >= rate). `noise_shape` (empty: x's shape) is the shape of the random mask, broadcast
// over x (a dimension of 1 shares the mask along that axis; -1 means x's dimension). rate == 1
// gives zeros. One fused op: the backward pass reuses the forward pass's random draws
// (dx = g * mask), it never redraws.
Tensor dropout(const Tensor& x, double rate, const Shape& noise_shape = {}, Seed seed = {});

}  // namespace keras::random

namespace keras::layers {

struct DropoutOptions {
  // Shape of the binary mask including the batch axis; -1 (Keras's None) takes the input's
  // dimension. E.g. {-1, 1, -1} shares one mask over the timesteps of (batch, time, features).
  std::optional<Shape> noise_shape;
  // A fixed seed makes the sequence of masks reproducible; without one the layer's
  // SeedGenerator is seeded from the global source (reproducible after random::set_seed).
  std::optional<int64_t> seed;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class Dropout : public Layer {
 public:
  // rate in [0, 1] (ValueError otherwise): the fraction of inputs dropped.
  explicit Dropout(double rate, const DropoutOptions& options = {});
  KERAS_LAYER_CLONE(Dropout)

  // training=false (inference) or rate=0: the inputs unchanged. training=true: a new mask per
  // call drawn from the layer's SeedGenerator.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  double rate() const { return rate_; }
  const std::optional<Shape>& noise_shape() const { return noise_shape_; }
  const std::optional<int64_t>& seed() const { return seed_; }
  // Keras's seed_generator (only when rate > 0, as in Keras). Its state is Keras's
  // "seed_generator_state" variable, which Keras keeps out of layer.weights.
  random::SeedGenerator* seed_generator() { return seed_generator_ ? &*seed_generator_ : nullptr; }

 private:
  void validate_and_reseed();

  double rate_;
  std::optional<Shape> noise_shape_;
  std::optional<int64_t> seed_;
  std::optional<random::SeedGenerator> seed_generator_;
};

}  // namespace keras::layers
