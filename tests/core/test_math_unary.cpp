// Unary math, pow, floor_divide/mod and integer true division (keras/ops/math.hpp).
//
// Expected values come from numpy 1.x (`/usr/bin/python3 -c "import numpy as np; ..."`, the
// expression named beside each list) or from libm in double precision; gradients are checked
// against central finite differences in float64.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keras/keras.hpp"
#include "keras/ops/math.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

namespace {

using Fn = Tensor (*)(const Tensor&);

Tensor f64(const std::vector<double>& v) { return Tensor::from_vector<double>(v); }
Tensor f32(const std::vector<double>& v) { return f64(v).astype(float32); }

void expect_values(const Tensor& t, const std::vector<double>& want, double rtol,
                   double atol = 0.0) {
  const std::vector<double> got = t.to_vector<double>();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "element " << i;
    } else if (std::isinf(want[i])) {
      EXPECT_EQ(got[i], want[i]) << "element " << i;
    } else {
      EXPECT_NEAR(got[i], want[i], atol + rtol * std::abs(want[i])) << "element " << i;
    }
  }
}

// Checks fn in float64 (to 1e-14) and float32 (to 4 ulp-ish) against expected values.
void expect_both_dtypes(Fn fn, const std::vector<double>& x, const std::vector<double>& want) {
  Tensor y64 = fn(f64(x));
  EXPECT_EQ(y64.dtype(), float64);
  expect_values(y64, want, 1e-14, 1e-15);
  Tensor y32 = fn(f32(x));
  EXPECT_EQ(y32.dtype(), float32);
  expect_values(y32, want, 5e-7, 1e-7);
}

const std::vector<double> kX = {-2.5, -1.0, -0.3, 0.0, 0.7, 1.5, 3.25};
const std::vector<double> kP = {0.01, 0.5, 1.0, 2.0, 7.5};

}  // namespace

TEST(MathUnary, ValuesMatchNumpy) {
  // np.abs / np.square / np.exp / np.expm1 / np.sin / np.cos of kX
  expect_both_dtypes(ops::abs, kX, {2.5, 1.0, 0.3, 0.0, 0.7, 1.5, 3.25});
  expect_both_dtypes(ops::square, kX, {6.25, 1.0, 0.09, 0.0, 0.48999999999999994, 2.25, 10.5625});
  expect_both_dtypes(ops::exp, kX,
                     {0.0820849986238988, 0.3678794411714424, 0.7408182206817179, 1.0,
                      2.0137527074704766, 4.481689070338065, 25.790339917193062});
  expect_both_dtypes(ops::expm1, kX,
                     {-0.9179150013761012, -0.6321205588285577, -0.2591817793182821, 0.0,
                      1.0137527074704764, 3.481689070338065, 24.790339917193062});
  expect_both_dtypes(ops::sin, kX,
                     {-0.5984721441039564, -0.8414709848078965, -0.2955202066613396, 0.0,
                      0.644217687237691, 0.9974949866040544, -0.10819513453010839});
  expect_both_dtypes(ops::cos, kX,
                     {-0.8011436155469338, 0.5403023058681397, 0.9553364891256061, 1.0,
                      0.7648421872844886, 0.0707372016677029, -0.994129676080546});
  // np.sqrt / 1/np.sqrt / np.log / np.log1p / 1/p of kP
  expect_both_dtypes(ops::sqrt, kP,
                     {0.1, 0.7071067811865476, 1.0, 1.4142135623730951, 2.7386127875258306});
  expect_both_dtypes(ops::rsqrt, kP,
                     {10.0, 1.414213562373095, 1.0, 0.7071067811865475, 0.3651483716701107});
  expect_both_dtypes(
      ops::log, kP,
      {-4.605170185988091, -0.6931471805599453, 0.0, 0.6931471805599453, 2.0149030205422647});
  expect_both_dtypes(ops::log1p, kP,
                     {0.009950330853168083, 0.4054651081081644, 0.6931471805599453,
                      1.0986122886681096, 2.1400661634962708});
  expect_both_dtypes(ops::reciprocal, kP, {100.0, 2.0, 1.0, 0.5, 0.13333333333333333});
  expect_both_dtypes(ops::sign, kX, {-1, -1, -1, 0, 1, 1, 1});
}

TEST(MathUnary, SqrtOfNegativeIsNanAndLongArraysUseTheVectorPath) {
  // 19 elements: exercises both the 8/4-wide loop and the scalar tail.
  std::vector<double> x, want;
  for (int i = 0; i < 19; ++i) {
    x.push_back(i == 5 ? -4.0 : i * 0.75);
    want.push_back(i == 5 ? std::nan("") : std::sqrt(i * 0.75));
  }
  expect_values(ops::sqrt(f64(x)), want, 1e-15);
  expect_values(ops::sqrt(f32(x)), want, 1e-7);
  EXPECT_TRUE(std::isnan(ops::sign(f64({std::nan("")})).item<double>()));
}

TEST(MathUnary, RoundIsHalfToEvenAndFloorCeilKeepSignedZeros) {
  const std::vector<double> r = {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.7, 0.7, 2.3};
  for (DType dt : {float32, float64}) {
    // np.round(r), np.floor(r), np.ceil(r)
    expect_values(ops::round(f64(r).astype(dt)), {-2, -2, -0.0, 0, 2, 2, -1, 1, 2}, 0);
    expect_values(ops::floor(f64(r).astype(dt)), {-3, -2, -1, 0, 1, 2, -1, 0, 2}, 0);
    expect_values(ops::ceil(f64(r).astype(dt)), {-2, -1, -0.0, 1, 2, 3, -0.0, 1, 3}, 0);
  }
  // numpy: np.ceil(-0.5) is -0.0, np.floor(0.5) is +0.0.
  EXPECT_TRUE(std::signbit(ops::ceil(f64({-0.5})).item<double>()));
  EXPECT_FALSE(std::signbit(ops::floor(f64({0.5})).item<double>()));
  // Large values (already integral) are unchanged; inf and NaN pass through.
  const double inf = std::numeric_limits<double>::infinity();
  expect_values(ops::floor(f64({1e300, -inf, std::nan("")})), {1e300, -inf, std::nan("")}, 0);
  expect_values(ops::ceil(f32({3e9, inf})), {3e9, inf}, 0);
}

TEST(MathUnary, DtypeRules) {
  Tensor i = Tensor::from_vector<int32_t>({-3, 0, 4});
  EXPECT_EQ(ops::abs(i).dtype(), int32);
  EXPECT_EQ(ops::abs(i).to_vector<int32_t>(), (std::vector<int32_t>{3, 0, 4}));
  EXPECT_EQ(ops::square(i).to_vector<int32_t>(), (std::vector<int32_t>{9, 0, 16}));
  EXPECT_EQ(ops::sign(i).to_vector<int32_t>(), (std::vector<int32_t>{-1, 0, 1}));
  EXPECT_EQ(ops::floor(i).dtype(), int32);
  EXPECT_EQ(ops::pow(i, 3.0).to_vector<int32_t>(), (std::vector<int32_t>{-27, 0, 64}));
  // Float-valued ops on integers give float32 (Keras 3: floatx).
  Tensor s = ops::sqrt(Tensor::from_vector<int64_t>({4, 9}));
  EXPECT_EQ(s.dtype(), float32);
  EXPECT_EQ(s.to_vector<float>(), (std::vector<float>{2, 3}));
  EXPECT_EQ(ops::exp(Tensor::from_vector<uint8_t>({0})).dtype(), float32);
  // Halves compute through float32 and keep their dtype.
  Tensor h = ops::exp(f32({0.0, 1.0}).astype(float16));
  EXPECT_EQ(h.dtype(), float16);
  expect_values(h, {1.0, 2.718281828459045}, 1e-3);
  EXPECT_EQ(ops::sqrt(f32({4.0}).astype(bfloat16)).dtype(), bfloat16);
  EXPECT_EQ(ops::cast(i, "float64").dtype(), float64);
  EXPECT_EQ(ops::cast(i, float32).to_vector<float>(), (std::vector<float>{-3, 0, 4}));
  EXPECT_THROW(ops::sqrt(Tensor::from_strings({"a"})), TypeError);
  EXPECT_THROW(ops::cast(i, "float33"), ValueError);
}

TEST(MathUnary, Float32ExpTanhAreAccurateOverTheirRange) {
  // The vectorized float32 kernels against libm in double precision.
  std::vector<double> x;
  for (double v = -103.0; v <= 88.7; v += 0.0371) x.push_back(v);
  const std::vector<float> e = ops::exp(f32(x)).to_vector<float>();
  const std::vector<float> t = ops::tanh(f32(x)).to_vector<float>();
  const std::vector<double> xs = f32(x).to_vector<double>();  // the float32-rounded inputs
  for (size_t i = 0; i < xs.size(); ++i) {
    const double want = std::exp(xs[i]);
    // Relative 2^-22 for normal results; denormals (below 2^-126) only to their absolute ulp.
    const double tol = std::max(want * 2.4e-7, 1.5e-45);
    ASSERT_NEAR(e[i], want, tol) << "exp(" << xs[i] << ")";
    ASSERT_NEAR(t[i], std::tanh(xs[i]), 3e-7 * std::abs(std::tanh(xs[i])) + 1e-45)
        << "tanh(" << xs[i] << ")";
  }
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> special =
      ops::exp(Tensor::from_vector<float>({inf, -inf, 89.0f, 1000.0f, -1000.0f}))
          .to_vector<float>();
  EXPECT_EQ(special, (std::vector<float>{inf, 0.0f, inf, inf, 0.0f}));
  EXPECT_TRUE(std::isnan(ops::exp(f32({std::nan("")})).item<float>()));
  EXPECT_TRUE(std::isnan(ops::tanh(f32({std::nan("")})).item<float>()));
  EXPECT_EQ(ops::tanh(f32({-50.0, 50.0, 0.0})).to_vector<float>(),
            (std::vector<float>{-1.0f, 1.0f, 0.0f}));
}

TEST(MathUnary, Float32LogLog1pAreAccurateOverTheirRange) {
  // The vectorized float32 kernels against libm in double precision, over every binade
  // (denormals included) and the log1p range near -1, near 0 and far out.
  std::vector<double> x, u;
  for (double v = 1.5e-45; v < 3e38; v *= 1.37) x.push_back(v);
  for (double v = -0.9999; v < 0.5; v += 0.0013) u.push_back(v);
  for (double v = 1e-30; v < 1e30; v *= 3.1) u.push_back(v);
  for (double v = 1e-30; v < 1e-1; v *= 3.1) u.push_back(-v);
  const std::vector<double> xs = f32(x).to_vector<double>();
  const std::vector<float> l = ops::log(f32(x)).to_vector<float>();
  for (size_t i = 0; i < xs.size(); ++i)
    ASSERT_NEAR(l[i], std::log(xs[i]), 2.4e-7 * std::abs(std::log(xs[i])) + 1e-45)
        << "log(" << xs[i] << ")";
  const std::vector<double> us = f32(u).to_vector<double>();
  const std::vector<float> l1 = ops::log1p(f32(u)).to_vector<float>();
  for (size_t i = 0; i < us.size(); ++i)
    ASSERT_NEAR(l1[i], std::log1p(us[i]), 3.6e-7 * std::abs(std::log1p(us[i])) + 1e-45)
        << "log1p(" << us[i] << ")";
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> special =
      ops::log(Tensor::from_vector<float>({0.0f, inf, 1.0f})).to_vector<float>();
  EXPECT_EQ(special, (std::vector<float>{-inf, inf, 0.0f}));
  EXPECT_TRUE(std::isnan(ops::log(f32({-1.0})).item<float>()));
  EXPECT_TRUE(std::isnan(ops::log(f32({std::nan("")})).item<float>()));
  EXPECT_EQ(ops::log1p(Tensor::from_vector<float>({-1.0f, inf})).to_vector<float>(),
            (std::vector<float>{-inf, inf}));
  EXPECT_TRUE(std::isnan(ops::log1p(f32({-2.0})).item<float>()));
}

TEST(MathUnary, PowValuesAndDtypes) {
  // p ** 1.7 (numpy)
  expect_values(
      ops::pow(f64(kP), 1.7),
      {0.00039810717055349735, 0.3077861033362291, 1.0, 3.249009585424942, 30.732942808190316},
      1e-14);
  // np.array([[0.5, 1.5, 2.0], [3.0, 0.25, 1.0]]) ** np.array([2.0, -1.0, 0.5])
  Tensor a = Tensor::from_vector<double>({0.5, 1.5, 2.0, 3.0, 0.25, 1.0}, {2, 3});
  Tensor b = f64({2.0, -1.0, 0.5});
  Tensor z = ops::pow(a, b);
  EXPECT_EQ(z.shape(), (Shape{2, 3}));
  expect_values(z, {0.25, 0.6666666666666666, 1.4142135623730951, 9.0, 4.0, 1.0}, 1e-15);
  for (double p : {2.0, 0.5, -0.5, -1.0, 1.0, 3.0, 0.0})
    expect_values(ops::pow(f64(kP), p),
                  {std::pow(0.01, p), std::pow(0.5, p), 1.0, std::pow(2.0, p), std::pow(7.5, p)},
                  1e-14);
  // A 0-d exponent tensor takes the scalar path and keeps x's shape.
  EXPECT_EQ(ops::pow(a, Tensor::scalar(2.0, float64)).shape(), (Shape{2, 3}));
  Tensor ib = Tensor::from_vector<int32_t>({2, 3, 0});
  Tensor ie = Tensor::from_vector<int32_t>({10, 3, 0});
  EXPECT_EQ(ops::pow(ib, ie).to_vector<int32_t>(), (std::vector<int32_t>{1024, 27, 1}));
  EXPECT_THROW(ops::pow(ib, Tensor::from_vector<int32_t>({-1})), ValueError);
  EXPECT_THROW(ops::pow(a, f64({1, 2})), ValueError);  // (2, 3) with (2,)
}

TEST(MathUnary, FloorDivideAndModFollowPython) {
  // np.floor_divide / np.mod of [7, -7, 7, -7] by [2, 2, -2, -2]
  Tensor a = Tensor::from_vector<int32_t>({7, -7, 7, -7});
  Tensor b = Tensor::from_vector<int32_t>({2, 2, -2, -2});
  EXPECT_EQ(ops::floor_divide(a, b).to_vector<int32_t>(), (std::vector<int32_t>{3, -4, -4, 3}));
  EXPECT_EQ(ops::mod(a, b).to_vector<int32_t>(), (std::vector<int32_t>{1, 1, -1, -1}));
  // float64: np.floor_divide([7.5, -7.5, 7.5, -7.5, 1.0], [2, 2, -2, -2, 0.1]) and np.mod
  Tensor fa = f64({7.5, -7.5, 7.5, -7.5, 1.0}), fb = f64({2, 2, -2, -2, 0.1});
  expect_values(ops::floor_divide(fa, fb), {3, -4, -4, 3, 9}, 0);
  expect_values(ops::mod(fa, fb), {1.5, 0.5, -0.5, -1.5, 0.09999999999999995}, 1e-15);
  // INT_MIN // -1 wraps as numpy does instead of trapping.
  const int32_t mn = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(
      ops::floor_divide(Tensor::from_vector<int32_t>({mn}), Tensor::from_vector<int32_t>({-1}))
          .item<int32_t>(),
      mn);
  EXPECT_THROW(ops::floor_divide(a, Tensor::from_vector<int32_t>({0})), ValueError);
  EXPECT_THROW(ops::mod(a, Tensor::from_vector<int32_t>({0})), ValueError);
  EXPECT_TRUE(std::isinf(ops::floor_divide(f64({1.0}), f64({0.0})).item<double>()));
}

TEST(MathUnary, IntegerDivisionIsTrueDivision) {
  Tensor a = Tensor::from_vector<int32_t>({7, -7, 1});
  Tensor b = Tensor::from_vector<int32_t>({2, 2, 0});
  Tensor q = a / b;
  EXPECT_EQ(q.dtype(), float32);
  EXPECT_EQ(q.to_vector<float>(),
            (std::vector<float>{3.5f, -3.5f, std::numeric_limits<float>::infinity()}));
  Tensor l = Tensor::from_vector<int64_t>({1}) / Tensor::from_vector<int64_t>({3});
  EXPECT_EQ(l.dtype(), float64);
  EXPECT_DOUBLE_EQ(l.item<double>(), 1.0 / 3.0);
  EXPECT_EQ((Tensor::from_vector<uint8_t>({3}) / 2.0).item<float>(), 1.5f);
}

TEST(MathUnary, GradientsMatchFiniteDifferences) {
  // Inputs kept away from kinks (abs at 0) and domain edges (log, sqrt at 0).
  Tensor x = sample({3, 4}, -2.0, 2.0, 11);
  Tensor pos = sample({3, 4}, 0.3, 3.0, 12);
  auto unary = [](Fn fn, const Tensor& in) {
    expect_gradients_match([fn](const std::vector<Tensor>& v) { return fn(v[0]); }, {in});
  };
  unary(ops::abs, x);
  unary(ops::square, x);
  unary(ops::exp, x);
  unary(ops::expm1, x);
  unary(ops::sin, x);
  unary(ops::cos, x);
  unary(ops::sqrt, pos);
  unary(ops::rsqrt, pos);
  unary(ops::log, pos);
  unary(ops::log1p, pos);
  unary(ops::reciprocal, pos);
  for (double p : {1.7, 2.0, 3.0, 0.5, -0.5, -1.0, 1.0})
    expect_gradients_match([p](const std::vector<Tensor>& v) { return ops::pow(v[0], p); }, {pos});
  // Broadcast pow: gradients wrt base and exponent, each summed back to its shape.
  expect_gradients_match([](const std::vector<Tensor>& v) { return ops::pow(v[0], v[1]); },
                         {pos, sample({4}, -1.5, 2.0, 13)});
  expect_gradients_match([](const std::vector<Tensor>& v) { return ops::mod(v[0], v[1]); },
                         {sample({3, 4}, 0.1, 5.0, 14), sample({3, 1}, 0.7, 1.9, 15)});
}

TEST(MathUnary, PiecewiseConstantOpsFollowTensorFlowGradients) {
  Tensor x = sample({5}, -2.0, 2.0, 21);
  GradientTape tape;
  tape.watch(x);
  Tensor s = ops::sign(x), f = ops::floor(x), r = ops::round(x), c = ops::ceil(x);
  // tf.sign's gradient is zeros; floor/round/ceil have none (tape.gradient gives None).
  Tensor gs = tape.gradient(ops::sum(s), x);
  ASSERT_TRUE(gs.defined());
  EXPECT_EQ(gs.to_vector<double>(), std::vector<double>(5, 0.0));
  EXPECT_FALSE(tape.gradient(ops::sum(f), x).defined());
  EXPECT_FALSE(tape.gradient(ops::sum(r), x).defined());
  EXPECT_FALSE(tape.gradient(ops::sum(c), x).defined());
  // abs at exactly 0 has gradient 0 (sign(0)), as tf.abs.
  Tensor z = f64({0.0, -2.0});
  GradientTape tape2;
  tape2.watch(z);
  EXPECT_EQ(tape2.gradient(ops::sum(ops::abs(z)), z).to_vector<double>(),
            (std::vector<double>{0.0, -1.0}));
}

TEST(MathUnary, Float32GradientsFlowAndHalvesCastBack) {
  Tensor x = f32({0.5, 1.0, 2.0});
  GradientTape tape;
  tape.watch(x);
  Tensor g = tape.gradient(ops::sum(ops::exp(x)), x);
  ASSERT_EQ(g.dtype(), float32);
  expect_values(g, {std::exp(0.5), std::exp(1.0), std::exp(2.0)}, 3e-7);
  Tensor h = f32({1.0, 4.0}).astype(float16);
  GradientTape tape2;
  tape2.watch(h);
  Tensor gh = tape2.gradient(ops::sum(ops::sqrt(h)), h);
  ASSERT_TRUE(gh.defined());
  EXPECT_EQ(gh.dtype(), float16);
  expect_values(gh, {0.5, 0.25}, 1e-3);
}
