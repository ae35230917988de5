// The built-in keras.initializers: constants, random distributions, variance scaling (Glorot, He,
// LeCun), orthogonal and identity. Unseeded random initializers draw from keras::random's global
// generator (reproducible after random::set_seed); seeded ones give the same values every call.
#pragma once

#include <optional>

#include "keras/initializers/initializer.hpp"

namespace keras::initializers {

// Keras's compute_fans: (fan_in, fan_out) of a weight shape.
std::pair<double, double> compute_fans(const Shape& shape);

class Zeros : public Initializer {
 public:
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return "Zeros"; }
};

class Ones : public Initializer {
 public:
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return "Ones"; }
};

class Constant : public Initializer {
 public:
  explicit Constant(double value = 0.0) : value_(value) {}
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return "Constant"; }
  void config(ConfigIO& io) override { io("value", value_); }

 private:
  double value_;
};

// Base of the random initializers: the optional seed.
class RandomInitializer : public Initializer {
 public:
  void config(ConfigIO& io) override { io("seed", seed_); }

 protected:
  explicit RandomInitializer(std::optional<int64_t> seed) : seed_(seed) {}
  std::optional<int64_t> seed_;
};

class RandomNormal : public RandomInitializer {
 public:
  explicit RandomNormal(double mean = 0.0, double stddev = 0.05,
                        std::optional<int64_t> seed = std::nullopt)
      : RandomInitializer(seed), mean_(mean), stddev_(stddev) {}
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return "RandomNormal"; }
  void config(ConfigIO& io) override;

 private:
  double mean_, stddev_;
};

class RandomUniform : public RandomInitializer {
 public:
  explicit RandomUniform(double minval = -0.05, double maxval = 0.05,
                         std::optional<int64_t> seed = std::nullopt)
      : RandomInitializer(seed), minval_(minval), maxval_(maxval) {}
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return "RandomUniform"; }
  void config(ConfigIO& io) override;

 private:
  double minval_, maxval_;
};

class TruncatedNormal : public RandomInitializer {
 public:
  explicit TruncatedNormal(double mean = 0.0, double stddev = 0.05,
                           std::optional<int64_t> seed = std::nullopt)
      : RandomInitializer(seed), mean_(mean), stddev_(stddev) {}
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return "TruncatedNormal"; }
  void config(ConfigIO& io) override;

 private:
  double mean_, stddev_;
};

// scale / fan (fan_in, fan_out or their average) as the variance of a truncated normal, normal or
// uniform distribution.
class VarianceScaling : public RandomInitializer {
 public:
  explicit VarianceScaling(double scale = 1.0, std::string mode = "fan_in",
                           std::string distribution = "truncated_normal",
                           std::optional<int64_t> seed = std::nullopt);
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return class_name_; }
  void config(ConfigIO& io) override;

 protected:
  // The named presets (GlorotUniform...) serialize only their seed.
  VarianceScaling(std::string class_name, double scale, std::string mode,
                  std::string distribution, std::optional<int64_t> seed);

 private:
  std::string class_name_ = "VarianceScaling";
  double scale_;
  std::string mode_, distribution_;
};

#define KERAS_VARIANCE_PRESET(Name, scale, mode, distribution)                     \
  class Name : public VarianceScaling {                                            \
   public:                                                                         \
    explicit Name(std::optional<int64_t> seed = std::nullopt)                      \
        : VarianceScaling(#Name, scale, mode, distribution, seed) {}               \
    void config(ConfigIO& io) override { RandomInitializer::config(io); }          \
  };
KERAS_VARIANCE_PRESET(GlorotUniform, 1.0, "fan_avg", "uniform")
KERAS_VARIANCE_PRESET(GlorotNormal, 1.0, "fan_avg", "truncated_normal")
KERAS_VARIANCE_PRESET(HeUniform, 2.0, "fan_in", "uniform")
KERAS_VARIANCE_PRESET(HeNormal, 2.0, "fan_in", "truncated_normal")
KERAS_VARIANCE_PRESET(LecunUniform, 1.0, "fan_in", "uniform")
KERAS_VARIANCE_PRESET(LecunNormal, 1.0, "fan_in", "truncated_normal")
#undef KERAS_VARIANCE_PRESET

// A (semi-)orthogonal matrix from the QR decomposition of a normal matrix, times gain.
class Orthogonal : public RandomInitializer {
 public:
  explicit Orthogonal(double gain = 1.0, std::optional<int64_t> seed = std::nullopt)
      : RandomInitializer(seed), gain_(gain) {}
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return "Orthogonal"; }
  void config(ConfigIO& io) override;

 private:
  double gain_;
};

// gain times the identity matrix (2-D shapes only).
class Identity : public Initializer {
 public:
  explicit Identity(double gain = 1.0) : gain_(gain) {}
  Tensor operator()(const Shape& shape, DType dtype) const override;
  std::string class_name() const override { return "Identity"; }
  void config(ConfigIO& io) override { io("gain", gain_); }

 private:
  double gain_;
};

}  // namespace keras::initializers
