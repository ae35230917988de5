#include "keras/initializers/initializers.hpp"

#include <cmath>

#include "keras/core/random.hpp"
#include "keras/core/registry.hpp"
#include "keras/ops.hpp"

namespace keras::initializers {
namespace {

random::Seed seed_of(const std::optional<int64_t>& seed) {
  return seed ? random::Seed(*seed) : random::Seed();
}

DType checked_float(DType dtype, const char* who) {
  if (!is_floating(dtype))
    throw ValueError(std::string(who) + ": expected a floating dtype, received " +
                     std::string(dtype_name(dtype)) + ".");
  return dtype;
}

}  // namespace

std::pair<double, double> compute_fans(const Shape& shape) {
  if (shape.empty()) return {1.0, 1.0};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  if (shape.size() == 2) return {double(shape[0]), double(shape[1])};
  double receptive = 1;
  for (size_t i = 0; i + 2 < shape.size(); ++i) receptive *= double(shape[i]);
  return {double(shape[shape.size() - 2]) * receptive, double(shape.back()) * receptive};
}

Tensor Zeros::operator()(const Shape& shape, DType dtype) const {
  return Tensor::zeros(shape, dtype);
}

Tensor Ones::operator()(const Shape& shape, DType dtype) const {
  return Tensor::ones(shape, dtype);
}

Tensor Constant::operator()(const Shape& shape, DType dtype) const {
  return Tensor::full(shape, value_, dtype);
}

Tensor RandomNormal::operator()(const Shape& shape, DType dtype) const {
  return random::normal(shape, mean_, stddev_, checked_float(dtype, "RandomNormal"),
                        seed_of(seed_));
}

void RandomNormal::config(ConfigIO& io) {
  RandomInitializer::config(io);
  io("mean", mean_);
  io("stddev", stddev_);
}

Tensor RandomUniform::operator()(const Shape& shape, DType dtype) const {
  return random::uniform(shape, minval_, maxval_, checked_float(dtype, "RandomUniform"),
                         seed_of(seed_));
}

void RandomUniform::config(ConfigIO& io) {
  RandomInitializer::config(io);
  io("minval", minval_);
  io("maxval", maxval_);
}

Tensor TruncatedNormal::operator()(const Shape& shape, DType dtype) const {
  return random::truncated_normal(shape, mean_, stddev_, checked_float(dtype, "TruncatedNormal"),
                                  seed_of(seed_));
}

void TruncatedNormal::config(ConfigIO& io) {
  RandomInitializer::config(io);
  io("mean", mean_);
  io("stddev", stddev_);
}

VarianceScaling::VarianceScaling(double scale, std::string mode, std::string distribution,
                                 std::optional<int64_t> seed)
    : VarianceScaling("VarianceScaling", scale, std::move(mode), std::move(distribution), seed) {}

VarianceScaling::VarianceScaling(std::string class_name, double scale, std::string mode,
                                 std::string distribution, std::optional<int64_t> seed)
    : RandomInitializer(seed),
      class_name_(std::move(class_name)),
      scale_(scale),
      mode_(std::move(mode)),
      distribution_(std::move(distribution)) {
  if (scale_ <= 0)
    throw ValueError("Argument `scale` must be positive float. Received: scale=" +
                     std::to_string(scale_));
  if (mode_ != "fan_in" && mode_ != "fan_out" && mode_ != "fan_avg")
    throw ValueError("Invalid `mode` argument: expected one of {'fan_in', 'fan_out', 'fan_avg'}. "
                     "Received: mode=" + mode_);
  if (distribution_ == "normal") distribution_ = "truncated_normal";  // Keras's alias
  if (distribution_ != "truncated_normal" && distribution_ != "untruncated_normal" &&
      distribution_ != "uniform")
    throw ValueError("Invalid `distribution` argument: expected one of {'uniform', "
                     "'truncated_normal', 'untruncated_normal'}. Received: distribution=" +
                     distribution_);
}

Tensor VarianceScaling::operator()(const Shape& shape, DType dtype) const {
  checked_float(dtype, class_name_.c_str());
  auto [fan_in, fan_out] = compute_fans(shape);
  double scale = scale_;
  if (mode_ == "fan_in") {
    scale /= std::max(1.0, fan_in);
  } else if (mode_ == "fan_out") {
    scale /= std::max(1.0, fan_out);
  } else {
    scale /= std::max(1.0, (fan_in + fan_out) / 2.0);
  }
  if (distribution_ == "truncated_normal") {
    // 0.879... is the standard deviation of a unit normal truncated to [-2, 2].
    const double stddev = std::sqrt(scale) / 0.87962566103423978;
    return random::truncated_normal(shape, 0.0, stddev, dtype, seed_of(seed_));
  }
  if (distribution_ == "untruncated_normal")
    return random::normal(shape, 0.0, std::sqrt(scale), dtype, seed_of(seed_));
  const double limit = std::sqrt(3.0 * scale);
  return random::uniform(shape, -limit, limit, dtype, seed_of(seed_));
}

void VarianceScaling::config(ConfigIO& io) {
  RandomInitializer::config(io);
  io("scale", scale_);
  io("mode", mode_);
  io("distribution", distribution_);
}

Tensor Orthogonal::operator()(const Shape& shape, DType dtype) const {
  checked_float(dtype, "Orthogonal");
  if (shape.size() < 2)
    throw ValueError("The tensor to initialize must be at least two-dimensional. Received: "
                     "shape=" + shape_str(shape));
  int64_t rows = 1;
  for (size_t i = 0; i + 1 < shape.size(); ++i) rows *= shape[i];
  const int64_t cols = shape.back();
  const int64_t m = std::max(rows, cols), n = std::min(rows, cols);
  // QR by modified Gram-Schmidt in double precision on an (m, n) normal matrix; the sign of
  // R's diagonal is folded into Q as Keras does, so Q is uniformly distributed.
  std::vector<double> a =
      random::normal({m, n}, 0.0, 1.0, float64, seed_of(seed_)).to_vector<double>();
  for (int64_t j = 0; j < n; ++j) {
    for (int64_t k = 0; k < j; ++k) {
      double dot = 0;
      for (int64_t i = 0; i < m; ++i) dot += a[i * n + k] * a[i * n + j];
      for (int64_t i = 0; i < m; ++i) a[i * n + j] -= dot * a[i * n + k];
    }
    double norm = 0;
    for (int64_t i = 0; i < m; ++i) norm += a[i * n + j] * a[i * n + j];
    norm = std::sqrt(norm);
    if (norm == 0) norm = 1;  // a degenerate draw (probability zero)
    for (int64_t i = 0; i < m; ++i) a[i * n + j] /= norm;
  }
  Tensor q = Tensor::from_vector(a, {m, n});
  if (rows < cols) q = ops::transpose(q);
  return (q * gain_).reshape(shape).astype(dtype);
}

void Orthogonal::config(ConfigIO& io) {
  io("gain", gain_);
  RandomInitializer::config(io);
}

Tensor Identity::operator()(const Shape& shape, DType dtype) const {
  if (shape.size() != 2)
    throw ValueError("Identity matrix initializer can only be used for 2D square matrices. "
                     "Received: shape=" + shape_str(shape));
  Tensor t = Tensor::zeros(shape, float64);
  double* p = t.data<double>();
  for (int64_t i = 0; i < std::min(shape[0], shape[1]); ++i) p[i * shape[1] + i] = gain_;
  return t.astype(dtype);
}

namespace {

const Registry<Initializer>& registry() {
  static const Registry<Initializer> r = [] {
    Registry<Initializer> reg;
    auto add = [&reg]<typename T>(std::initializer_list<const char*> names) {
      for (const char* n : names) reg.add(n, [] { return std::make_shared<T>(); });
    };
    add.operator()<Zeros>({"Zeros", "zeros", "zero"});
    add.operator()<Ones>({"Ones", "ones", "one"});
    add.operator()<Constant>({"Constant", "constant"});
    add.operator()<RandomNormal>({"RandomNormal", "random_normal", "normal"});
    add.operator()<RandomUniform>({"RandomUniform", "random_uniform", "uniform"});
    add.operator()<TruncatedNormal>({"TruncatedNormal", "truncated_normal"});
    add.operator()<VarianceScaling>({"VarianceScaling", "variance_scaling"});
    add.operator()<GlorotUniform>({"GlorotUniform", "glorot_uniform"});
    add.operator()<GlorotNormal>({"GlorotNormal", "glorot_normal"});
    add.operator()<HeUniform>({"HeUniform", "he_uniform"});
    add.operator()<HeNormal>({"HeNormal", "he_normal"});
    add.operator()<LecunUniform>({"LecunUniform", "lecun_uniform"});
    add.operator()<LecunNormal>({"LecunNormal", "lecun_normal"});
    add.operator()<Orthogonal>({"Orthogonal", "orthogonal", "OrthogonalInitializer"});
    add.operator()<Identity>({"Identity", "identity", "IdentityInitializer"});
    return reg;
  }();
  return r;
}

}  // namespace

std::shared_ptr<Initializer> get(const std::string& identifier) {
  auto obj = registry().create(identifier);
  if (!obj)
    throw UnknownObjectError("Could not interpret initializer identifier: '" + identifier + "'.");
  return obj;
}

std::shared_ptr<Initializer> deserialize(const json& config) {
  return registry().deserialize(config, "initializer");
}

}  // namespace keras::initializers
