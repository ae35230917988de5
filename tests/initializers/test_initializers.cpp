#include <gtest/gtest.h>

#include <cmath>

#include "keras/constraints/constraints.hpp"
#include "keras/core/random.hpp"
#include "keras/initializers/initializers.hpp"
#include "keras/keras.hpp"
#include "keras/regularizers/regularizers.hpp"

using namespace keras;

namespace {

std::pair<double, double> mean_std(const Tensor& t) {
  auto v = t.to_vector<double>();
  double m = 0, s = 0;
  for (double x : v) m += x;
  m /= v.size();
  for (double x : v) s += (x - m) * (x - m);
  return {m, std::sqrt(s / v.size())};
}

}  // namespace

TEST(Initializers, ComputeFansFollowsKeras) {
  using initializers::compute_fans;
  EXPECT_EQ(compute_fans({}), (std::pair<double, double>{1, 1}));
  EXPECT_EQ(compute_fans({7}), (std::pair<double, double>{7, 7}));
  EXPECT_EQ(compute_fans({784, 256}), (std::pair<double, double>{784, 256}));
  // Conv2D kernel (3, 3, 16, 32): receptive field 9.
  EXPECT_EQ(compute_fans({3, 3, 16, 32}), (std::pair<double, double>{144, 288}));
}

TEST(Initializers, GlorotUniformLimitAndVariance) {
  // limit = sqrt(6 / (fan_in + fan_out)); a uniform on [-l, l] has std l / sqrt(3).
  Tensor w = initializers::GlorotUniform(42)({400, 200}, float32);
  const double limit = std::sqrt(6.0 / 600.0);
  auto v = w.to_vector<double>();
  for (double x : v) ASSERT_LE(std::abs(x), limit + 1e-7);
  auto [m, s] = mean_std(w);
  EXPECT_NEAR(m, 0.0, 0.003);
  EXPECT_NEAR(s, limit / std::sqrt(3.0), 0.002);
}

TEST(Initializers, HeNormalIsTruncatedWithFanInVariance) {
  // Truncated normal with stddev sqrt(2/fan_in)/0.8796..., so the sample std is sqrt(2/fan_in);
  // every value lies within 2 of those stddevs.
  Tensor w = initializers::HeNormal(3)({500, 300}, float32);
  const double target = std::sqrt(2.0 / 500.0);
  auto [m, s] = mean_std(w);
  EXPECT_NEAR(m, 0.0, 0.001);
  EXPECT_NEAR(s, target, target * 0.02);
  for (double x : w.to_vector<double>()) ASSERT_LE(std::abs(x), 2 * target / 0.8796256610 + 1e-6);
}

TEST(Initializers, SeededIsDeterministicUnseededFollowsGlobalSeed) {
  auto a = initializers::RandomNormal(0, 1, 5)({10}, float32).to_vector<float>();
  auto b = initializers::RandomNormal(0, 1, 5)({10}, float32).to_vector<float>();
  EXPECT_EQ(a, b);
  random::set_seed(11);
  auto c = initializers::get("glorot_uniform")->operator()({4, 4}, float32).to_vector<float>();
  random::set_seed(11);
  auto d = initializers::get("glorot_uniform")->operator()({4, 4}, float32).to_vector<float>();
  EXPECT_EQ(c, d);
}

TEST(Initializers, OrthogonalHasOrthonormalColumns) {
  Tensor q = initializers::Orthogonal(1.0, 9)({6, 4}, float64);
  Tensor qtq = ops::matmul(q, q, /*transpose_a=*/true, /*transpose_b=*/false);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(qtq.at<double>({i, j}), i == j ? 1.0 : 0.0, 1e-12);
  Tensor wide = initializers::Orthogonal(2.0, 9)({3, 5}, float64);  // rows orthogonal, norm 2
  Tensor qqt = ops::matmul(wide, wide, false, true);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(qqt.at<double>({i, j}), i == j ? 4.0 : 0.0, 1e-12);
}

TEST(Initializers, ConstantsAndIdentity) {
  EXPECT_EQ(initializers::Constant(2.5)({2}, float32).to_vector<float>(),
            (std::vector<float>{2.5f, 2.5f}));
  EXPECT_EQ(initializers::Identity(3)({2, 3}, float32).to_vector<float>(),
            (std::vector<float>{3, 0, 0, 0, 3, 0}));
  EXPECT_THROW(initializers::Identity()({2, 2, 2}, float32), ValueError);
}

TEST(Initializers, ConfigsUseKerasFieldsAndRoundTrip) {
  json j = json::object();
  initializers::VarianceScaling vs(2.0, "fan_out", "uniform", 7);
  ConfigIO w = ConfigIO::writer(j);
  vs.config(w);
  EXPECT_EQ(j.dump(), R"({"seed":7,"scale":2.0,"mode":"fan_out","distribution":"uniform"})");
  auto back = initializers::deserialize({{"class_name", "VarianceScaling"}, {"config", j}});
  json j2;
  ConfigIO w2 = ConfigIO::writer(j2);
  back->config(w2);
  EXPECT_EQ(j, j2);
  json g;
  ConfigIO wg = ConfigIO::writer(g);
  initializers::GlorotUniform().config(wg);
  EXPECT_EQ(g.dump(), R"({"seed":null})");
  EXPECT_THROW(initializers::get("glorot_unform"), UnknownObjectError);
  EXPECT_THROW(initializers::deserialize({{"class_name", "Nope"}}), UnknownObjectError);
}

TEST(Regularizers, PenaltiesByHand) {
  Tensor w = Tensor::from_vector<double>({1, -2, 3});
  EXPECT_DOUBLE_EQ(regularizers::L2()(w).item<double>(), 0.01 * 14);
  EXPECT_DOUBLE_EQ(regularizers::L1(0.5)(w).item<double>(), 0.5 * 6);
  EXPECT_DOUBLE_EQ(regularizers::L1L2(0.1, 0.2)(w).item<double>(), 0.1 * 6 + 0.2 * 14);
  EXPECT_EQ(regularizers::get("l2")->class_name(), "L2");
}

TEST(Constraints, ProjectionsByHand) {
  // Columns (axis 0 norms) of [[3, 0], [4, 1]]: norms 5 and 1.
  Tensor w = Tensor::from_vector<double>({3, 0, 4, 1}, {2, 2});
  auto mn = constraints::MaxNorm(2.0)(w).to_vector<double>();
  EXPECT_NEAR(mn[0], 3 * 2 / (5 + 1e-7), 1e-12);
  EXPECT_NEAR(mn[2], 4 * 2 / (5 + 1e-7), 1e-12);
  EXPECT_NEAR(mn[3], 1 * 1 / (1 + 1e-7), 1e-12);
  auto un = constraints::UnitNorm()(w).to_vector<double>();
  EXPECT_NEAR(un[0], 0.6, 1e-6);
  EXPECT_NEAR(un[2], 0.8, 1e-6);
  EXPECT_EQ(constraints::NonNeg()(Tensor::from_vector<double>({-1, 2})).to_vector<double>(),
            (std::vector<double>{0, 2}));
  auto mm = constraints::MinMaxNorm(2.0, 3.0, 0.5)(w).to_vector<double>();
  // norm 5 -> desired 0.5*3 + 0.5*5 = 4; norm 1 -> 0.5*2 + 0.5*1 = 1.5
  EXPECT_NEAR(mm[0], 3 * 4 / (5 + 1e-7), 1e-12);
  EXPECT_NEAR(mm[3], 1.5 / (1 + 1e-7), 1e-12);
}
