// Comparisons, logical ops, where, isnan/isfinite, maximum/minimum and clip
// (keras/ops/math.hpp). Expected values are worked by hand from numpy's definitions (each list
// is small enough to read); gradients against central finite differences.
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

Tensor f64(const std::vector<double>& v, Shape shape = {}) {
  return Tensor::from_vector<double>(v, std::move(shape));
}

std::vector<bool> bools(const Tensor& t) {
  EXPECT_EQ(t.dtype(), bool_);
  std::vector<bool> out;
  for (double v : t.to_vector<double>()) out.push_back(v != 0.0);
  return out;
}

using B = std::vector<bool>;
const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST(MathCompare, ComparisonsBroadcastAndPromote) {
  Tensor a = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = Tensor::from_vector<int32_t>({2, 2, 7}, {3});
  EXPECT_EQ(ops::equal(a, b).shape(), (Shape{2, 3}));
  EXPECT_EQ(bools(ops::equal(a, b)), (B{0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(bools(ops::not_equal(a, b)), (B{1, 0, 1, 1, 1, 1}));
  EXPECT_EQ(bools(ops::less(a, b)), (B{1, 0, 1, 0, 0, 1}));
  EXPECT_EQ(bools(ops::less_equal(a, b)), (B{1, 1, 1, 0, 0, 1}));
  EXPECT_EQ(bools(ops::greater(a, b)), (B{0, 0, 0, 1, 1, 0}));
  EXPECT_EQ(bools(ops::greater_equal(a, b)), (B{0, 1, 0, 1, 1, 0}));
  // Column against row: (2, 1) with (3,) -> (2, 3).
  Tensor col = Tensor::from_vector<int64_t>({2, 5}, {2, 1});
  EXPECT_EQ(bools(ops::less(col, b)), (B{0, 0, 1, 0, 0, 1}));
  // NaN compares unequal to everything, itself included.
  Tensor n = f64({kNan, 1.0});
  EXPECT_EQ(bools(ops::equal(n, n)), (B{0, 1}));
  EXPECT_EQ(bools(ops::not_equal(n, n)), (B{1, 0}));
  // Bools and strings (tf.equal accepts strings; ordering them is a TypeError).
  Tensor t = Tensor::from_vector<bool>({true, false});
  EXPECT_EQ(bools(ops::equal(t, Tensor::from_vector<bool>({true}))), (B{1, 0}));
  Tensor s = Tensor::from_strings({"a", "bc"});
  EXPECT_EQ(bools(ops::equal(s, Tensor::from_strings({"bc"}))), (B{0, 1}));
  EXPECT_THROW(ops::less(s, s), TypeError);
  EXPECT_THROW(ops::equal(s, a), TypeError);
  EXPECT_THROW(ops::equal(a, f64({1, 2})), ValueError);
}

TEST(MathCompare, LogicalOpsReadTruthValues) {
  Tensor x = Tensor::from_vector<bool>({true, true, false, false});
  Tensor y = Tensor::from_vector<bool>({true, false, true, false});
  EXPECT_EQ(bools(ops::logical_and(x, y)), (B{1, 0, 0, 0}));
  EXPECT_EQ(bools(ops::logical_or(x, y)), (B{1, 1, 1, 0}));
  EXPECT_EQ(bools(ops::logical_xor(x, y)), (B{0, 1, 1, 0}));
  EXPECT_EQ(bools(ops::logical_not(x)), (B{0, 0, 1, 1}));
  // Numbers: nonzero (and NaN, as numpy's bool(nan)) are true.
  Tensor f = f64({0.0, -2.0, kNan});
  EXPECT_EQ(bools(ops::logical_not(f)), (B{1, 0, 0}));
  EXPECT_EQ(bools(ops::logical_and(f, Tensor::from_vector<int32_t>({1}))), (B{0, 1, 1}));
}

TEST(MathCompare, WhereBroadcastsAllThree) {
  Tensor cond = Tensor::from_vector<bool>({true, false, true}, {3});
  Tensor x = f64({1, 2}, {2, 1});
  Tensor y = Tensor::scalar(-1.0, float64);
  Tensor r = ops::where(cond, x, y);
  EXPECT_EQ(r.shape(), (Shape{2, 3}));
  EXPECT_EQ(r.to_vector<double>(), (std::vector<double>{1, -1, 1, 2, -1, 2}));
  // Equal shapes take the flat path; int condition is read as truth values; dtype promotes.
  Tensor ci = Tensor::from_vector<int32_t>({0, 3});
  Tensor w =
      ops::where(ci, Tensor::from_vector<int32_t>({5, 6}), Tensor::from_vector<float>({7, 8}));
  EXPECT_EQ(w.dtype(), float32);
  EXPECT_EQ(w.to_vector<float>(), (std::vector<float>{7, 6}));
  EXPECT_THROW(ops::where(Tensor::from_vector<bool>({true, false}), x, f64({1, 2, 3})), ValueError);
}

TEST(MathCompare, WhereGradientIsMasked) {
  Tensor cond = Tensor::from_vector<bool>({true, false, false, true}, {4});
  expect_gradients_match(
      [cond](const std::vector<Tensor>& v) { return ops::where(cond, v[0], v[1]); },
      {sample({3, 4}, -1, 1, 51), sample({3, 1}, -1, 1, 52)});
  // By hand: sum(where(c, x, y)) -> dx = c, dy = count of false per broadcast row.
  Tensor x = f64({1, 2, 3, 4});
  Tensor y = f64({10});
  GradientTape tape;
  tape.watch(x);
  tape.watch(y);
  auto g = tape.gradient(ops::sum(ops::where(cond, x, y)), std::vector<Tensor>{x, y});
  EXPECT_EQ(g[0].to_vector<double>(), (std::vector<double>{1, 0, 0, 1}));
  EXPECT_EQ(g[1].to_vector<double>(), (std::vector<double>{2}));
}

TEST(MathCompare, NanInfPredicates) {
  Tensor x = f64({kNan, kInf, -kInf, 0.0, -3.5});
  EXPECT_EQ(bools(ops::isnan(x)), (B{1, 0, 0, 0, 0}));
  EXPECT_EQ(bools(ops::isinf(x)), (B{0, 1, 1, 0, 0}));
  EXPECT_EQ(bools(ops::isfinite(x)), (B{0, 0, 0, 1, 1}));
  EXPECT_EQ(bools(ops::isfinite(x.astype(float32))), (B{0, 0, 0, 1, 1}));
  EXPECT_EQ(bools(ops::isnan(x.astype(float16))), (B{1, 0, 0, 0, 0}));
  Tensor i = Tensor::from_vector<int32_t>({1, 2});
  EXPECT_EQ(bools(ops::isnan(i)), (B{0, 0}));
  EXPECT_EQ(bools(ops::isfinite(i)), (B{1, 1}));
}

TEST(MathCompare, MaximumMinimumValues) {
  Tensor a = f64({1, 5, 3, -2, 0, 8}, {2, 3});
  Tensor b = f64({2, 2, 4}, {3});
  EXPECT_EQ(ops::maximum(a, b).to_vector<double>(), (std::vector<double>{2, 5, 4, 2, 2, 8}));
  EXPECT_EQ(ops::minimum(a, b).to_vector<double>(), (std::vector<double>{1, 2, 3, -2, 0, 4}));
  EXPECT_EQ(ops::maximum(a, 1.5).to_vector<double>(),
            (std::vector<double>{1.5, 5, 3, 1.5, 1.5, 8}));
  EXPECT_EQ(ops::minimum(a, 1.5).to_vector<double>(),
            (std::vector<double>{1, 1.5, 1.5, -2, 0, 1.5}));
  // numpy.maximum propagates NaN from either side.
  Tensor m = ops::maximum(f64({kNan, 1.0}), f64({0.0, kNan}));
  EXPECT_TRUE(std::isnan(m.to_vector<double>()[0]));
  EXPECT_TRUE(std::isnan(m.to_vector<double>()[1]));
  Tensor n = ops::minimum(f64({kNan, 1.0}), f64({0.0, kNan}));
  EXPECT_TRUE(std::isnan(n.to_vector<double>()[0]));
  EXPECT_TRUE(std::isnan(n.to_vector<double>()[1]));
  // Integers stay integers.
  Tensor i = ops::maximum(Tensor::from_vector<int32_t>({-1, 4}), Tensor::from_vector<int32_t>({0}));
  EXPECT_EQ(i.dtype(), int32);
  EXPECT_EQ(i.to_vector<int32_t>(), (std::vector<int32_t>{0, 4}));
  EXPECT_THROW(ops::maximum(a, f64({1, 2})), ValueError);
}

TEST(MathCompare, MaximumMinimumGradients) {
  // Two samples from different seeds never tie.
  expect_gradients_match([](const std::vector<Tensor>& v) { return ops::maximum(v[0], v[1]); },
                         {sample({3, 4}, -1, 1, 61), sample({4}, -1, 1, 62)});
  expect_gradients_match([](const std::vector<Tensor>& v) { return ops::minimum(v[0], v[1]); },
                         {sample({2, 1, 3}, -1, 1, 63), sample({4, 1}, -1, 1, 64)});
  // Ties: TF's Maximum/Minimum give all of the gradient to x.
  Tensor x = f64({1, 2, 3});
  Tensor y = f64({1, 1, 4});
  for (bool is_max : {true, false}) {
    GradientTape tape;
    tape.watch(x);
    tape.watch(y);
    Tensor z = is_max ? ops::maximum(x, y) : ops::minimum(x, y);
    auto g = tape.gradient(ops::sum(z), std::vector<Tensor>{x, y});
    if (is_max) {
      EXPECT_EQ(g[0].to_vector<double>(), (std::vector<double>{1, 1, 0}));
      EXPECT_EQ(g[1].to_vector<double>(), (std::vector<double>{0, 0, 1}));
    } else {
      EXPECT_EQ(g[0].to_vector<double>(), (std::vector<double>{1, 0, 1}));
      EXPECT_EQ(g[1].to_vector<double>(), (std::vector<double>{0, 1, 0}));
    }
  }
  // Only x watched: y gets nothing and the op still works.
  GradientTape tape;
  tape.watch(x);
  EXPECT_EQ(tape.gradient(ops::sum(ops::maximum(x, 2.0)), x).to_vector<double>(),
            (std::vector<double>{0, 1, 1}));
}

TEST(MathCompare, ClipValuesDtypesAndGradient) {
  Tensor x = f64({-3, -1, 0.5, 2, 9, kNan});
  const std::vector<double> got = ops::clip(x, -1.0, 2.0).to_vector<double>();
  EXPECT_EQ(std::vector<double>(got.begin(), got.end() - 1),
            (std::vector<double>{-1, -1, 0.5, 2, 2}));
  EXPECT_TRUE(std::isnan(got.back()));
  Tensor i = ops::clip(Tensor::from_vector<int32_t>({-5, 0, 7}), -1.0, 3.0);
  EXPECT_EQ(i.dtype(), int32);
  EXPECT_EQ(i.to_vector<int32_t>(), (std::vector<int32_t>{-1, 0, 3}));
  // Bounds past the dtype's range saturate instead of wrapping.
  Tensor u = ops::clip(Tensor::from_vector<uint8_t>({0, 200}), -10.0, 1000.0);
  EXPECT_EQ(u.to_vector<int32_t>(), (std::vector<int32_t>{0, 200}));
  Tensor h = ops::clip(f64({-2, 0.5}).astype(float16), 0.0, 1.0);
  EXPECT_EQ(h.dtype(), float16);
  EXPECT_EQ(h.to_vector<float>(), (std::vector<float>{0.0f, 0.5f}));
  expect_gradients_match([](const std::vector<Tensor>& v) { return ops::clip(v[0], -0.5, 0.5); },
                         {sample({4, 3}, -1, 1, 71)});
}
