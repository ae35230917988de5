// Tests of max_pool1d/2d and avg_pool1d/2d (keras/ops/nn.hpp). Expected values are worked out by
// hand from TF's definitions (windows clipped at "same" padding, averages over non-padded
// elements, max gradient to the first maximum); gradients are checked by finite differences.
#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

namespace {

void expect_values(const Tensor& t, const Shape& shape, const std::vector<double>& want) {
  ASSERT_EQ(t.shape(), shape);
  const auto got = t.astype(float64).to_vector<double>();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "at " << i;
}

template <typename F>
void expect_value_error(F&& f, const std::vector<std::string>& needles) {
  try {
    f();
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    const std::string msg = e.what();
    for (const auto& s : needles) EXPECT_NE(msg.find(s), std::string::npos) << msg;
  }
}

}  // namespace

TEST(NnMaxPool, ValuesByHand) {
  const Tensor x =
      Tensor::from_vector<float>({1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 6, 7, 9, 1, 3, 4}, {1, 4, 4, 1});
  expect_values(ops::max_pool2d(x, {2}), {1, 2, 2, 1}, {5, 8, 9, 7});
  // pool 3 stride 2 "same" on 4: out 2, one padded row/column after.
  expect_values(ops::max_pool2d(x, {3}, {2}, "same"), {1, 2, 2, 1}, {8, 8, 9, 7});
  expect_values(ops::max_pool2d(x, {2, 4}, {1, 1}), {1, 3, 1, 1}, {8, 8, 9});
  // All negative: padded positions must not contribute zeros.
  expect_values(ops::max_pool2d(-x - 1.0, {3}, {2}, "same"), {1, 2, 2, 1}, {-1, -1, -1, -4});
  // Channels pool independently.
  const Tensor xc = Tensor::from_vector<double>({1, 8, 2, 7, 3, 6, 4, 5}, {1, 2, 2, 2});
  expect_values(ops::max_pool2d(xc, {2}), {1, 1, 1, 2}, {4, 8});

  const Tensor x1 = Tensor::from_vector<double>({1, 3, 2, 5, 4}, {1, 5, 1});
  expect_values(ops::max_pool1d(x1, 2), {1, 2, 1}, {3, 5});
  expect_values(ops::max_pool1d(x1, 2, std::nullopt, "same"), {1, 3, 1}, {3, 5, 4});
  expect_values(ops::max_pool1d(x1, 2, 1), {1, 4, 1}, {3, 3, 5, 5});
}

TEST(NnAvgPool, ValuesByHandDivideByNonPaddedCount) {
  const Tensor x = Tensor::arange(1, 10, 1, float64).reshape({1, 3, 3, 1});
  expect_values(ops::avg_pool2d(x, {2}, {1}), {1, 2, 2, 1}, {3, 4, 6, 7});
  // pool 2 stride 2 "same" on 3: windows {1,2,4,5}, {3,6}, {7,8}, {9}.
  expect_values(ops::avg_pool2d(x, {2}, {}, "same"), {1, 2, 2, 1}, {3, 4.5, 7.5, 9});
  const Tensor xc = Tensor::from_vector<double>({1, 8, 2, 7, 3, 6, 4, 5}, {1, 2, 2, 2});
  expect_values(ops::avg_pool2d(xc, {2}), {1, 1, 1, 2}, {2.5, 6.5});

  const Tensor x1 = Tensor::from_vector<double>({1, 3, 2, 5, 4}, {1, 5, 1});
  expect_values(ops::avg_pool1d(x1, 2, std::nullopt, "same"), {1, 3, 1}, {2, 3.5, 4});
  // pool 3 stride 1 "same": one padded element on each side.
  expect_values(ops::avg_pool1d(x1, 3, 1, "same"), {1, 5, 1}, {2, 2, 10.0 / 3, 11.0 / 3, 4.5});
  expect_values(ops::avg_pool1d(x1.astype(float32), 2), {1, 2, 1}, {2, 3.5});
}

TEST(NnMaxPool, GradientGoesToFirstMaximum) {
  Tensor x = Tensor::from_vector<double>({3, 3, 1, 3}, {1, 2, 2, 1});
  {
    GradientTape tape;
    tape.watch(x);
    const Tensor dx = tape.gradient(ops::sum(ops::max_pool2d(x, {2})), x);
    EXPECT_EQ(dx.to_vector<double>(), (std::vector<double>{1, 0, 0, 0}));
  }
  // Overlapping windows [1,4], [4,4], [4,2]: the tied window credits its first 4.
  Tensor x1 = Tensor::from_vector<double>({1, 4, 4, 2}, {1, 4, 1});
  GradientTape tape;
  tape.watch(x1);
  const Tensor dx1 = tape.gradient(ops::sum(ops::max_pool1d(x1, 2, 1)), x1);
  EXPECT_EQ(dx1.to_vector<double>(), (std::vector<double>{0, 2, 1, 0}));
}

TEST(NnAvgPool, GradientByHandWithSamePadding) {
  Tensor x = Tensor::arange(1, 10, 1, float64).reshape({1, 3, 3, 1});
  GradientTape tape;
  tape.watch(x);
  const Tensor dx = tape.gradient(ops::sum(ops::avg_pool2d(x, {2}, {}, "same")), x);
  // Each element gets 1 / (its window's non-padded count).
  EXPECT_EQ(dx.to_vector<double>(),
            (std::vector<double>{0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1}));
}

TEST(NnPool, GradientsMatchFiniteDifferences) {
  const Tensor x = sample({2, 7, 6, 3}, -1, 1, 91);
  for (const char* pad : {"valid", "same"})
    for (auto [pool, stride] :
         {std::pair<int64_t, int64_t>{2, 2}, {3, 2}, {2, 1}, {3, 3}, {2, 3}}) {
      SCOPED_TRACE(std::string(pad) + " pool" + std::to_string(pool) + " s" +
                   std::to_string(stride));
      expect_gradients_match(
          [&](const std::vector<Tensor>& v) {
            return ops::max_pool2d(v[0], {pool}, {stride}, pad);
          },
          {x});
      expect_gradients_match(
          [&](const std::vector<Tensor>& v) {
            return ops::avg_pool2d(v[0], {pool}, {stride}, pad);
          },
          {x});
      expect_gradients_match(
          [&](const std::vector<Tensor>& v) {
            return ops::max_pool2d(v[0], {pool, 2}, {stride, 1}, pad);
          },
          {x});
      const Tensor x1 = sample({2, 9, 2}, -1, 1, 92);
      expect_gradients_match(
          [&](const std::vector<Tensor>& v) { return ops::max_pool1d(v[0], pool, stride, pad); },
          {x1});
      expect_gradients_match(
          [&](const std::vector<Tensor>& v) { return ops::avg_pool1d(v[0], pool, stride, pad); },
          {x1});
    }
}

TEST(NnPool, OutputShapesFollowTensorFlow) {
  const Tensor x = Tensor::zeros({64, 26, 26, 32});
  EXPECT_EQ(ops::max_pool2d(x, {2}).shape(), (Shape{64, 13, 13, 32}));
  EXPECT_EQ(ops::max_pool2d(Tensor::zeros({1, 11, 11, 4}), {2}).shape(), (Shape{1, 5, 5, 4}));
  EXPECT_EQ(ops::max_pool2d(Tensor::zeros({1, 11, 11, 4}), {2}, {}, "same").shape(),
            (Shape{1, 6, 6, 4}));
  EXPECT_EQ(ops::avg_pool2d(Tensor::zeros({1, 11, 7, 4}), {3, 2}, {2, 3}).shape(),
            (Shape{1, 5, 2, 4}));
  EXPECT_EQ(ops::avg_pool1d(Tensor::zeros({3, 10, 4}), 3, 2, "same").shape(), (Shape{3, 5, 4}));
}

// A window that fits nowhere but not "negatively" gives an empty output, as in TF:
// (4 - 5 + 5) / 5 = 0.
TEST(NnPool, EmptyOutputsAreFine) {
  Tensor x = Tensor::ones({1, 4, 4, 2}, float64);
  GradientTape tape;
  tape.watch(x);
  const Tensor y = ops::max_pool2d(x, {5});
  EXPECT_EQ(y.shape(), (Shape{1, 0, 0, 2}));
  const Tensor dx = tape.gradient(ops::sum(y), x);
  EXPECT_EQ(dx.to_vector<double>(), std::vector<double>(32, 0.0));
  EXPECT_EQ(ops::avg_pool2d(Tensor::zeros({0, 4, 4, 2}), {2}).shape(), (Shape{0, 2, 2, 2}));
}

TEST(NnPool, BadArgumentsNameOpAndShapes) {
  const Tensor x = Tensor::zeros({1, 4, 4, 2});
  expect_value_error(
      [] {
        ops::max_pool2d(Tensor::zeros({4, 4, 2}), {2});
      },
      {"max_pool2d", "rank 4", "(4, 4, 2)"});
  expect_value_error(
      [] {
        ops::avg_pool1d(Tensor::zeros({1, 4, 4, 2}), 2);
      },
      {"avg_pool1d", "rank 3", "(1, 4, 4, 2)"});
  expect_value_error(
      [&] {
        ops::max_pool2d(x, {2}, {0, 1});
      },
      {"max_pool2d", "strides", "(1, 4, 4, 2)"});
  expect_value_error(
      [] {
        ops::max_pool1d(Tensor::zeros({1, 4, 2}), 2, 0);
      },
      {"max_pool1d", "strides", "(1, 4, 2)"});
  expect_value_error([&] { ops::avg_pool2d(x, {0}); }, {"avg_pool2d", "size 0", "(1, 4, 4, 2)"});
  // TF: (4 - 6 + 1) / 1 < 0.
  expect_value_error([&] { ops::avg_pool2d(x, {6}, {1}); },
                     {"avg_pool2d", "negative", "(1, 4, 4, 2)"});
  expect_value_error([&] { ops::max_pool2d(x, {2}, {}, "causal"); }, {"max_pool2d", "padding"});
  expect_value_error([&] { ops::max_pool2d(x, {2, 2, 2}); }, {"max_pool2d", "pool_size"});
  EXPECT_THROW(ops::max_pool2d(x.astype(int32), {2}), TypeError);
}
