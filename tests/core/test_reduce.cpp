// Reductions, softmax and their gradients. Expected values are hand-derived or come from numpy
// (the expression is noted beside each); gradients are checked against finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keras/keras.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

namespace {

void expect_near_all(const Tensor& t, const std::vector<double>& expected, double tol = 1e-6) {
  const std::vector<double> got = t.to_vector<double>();
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], tol) << "element " << i;
}

// y = np.round(3 * np.sin(np.arange(24.).reshape(2, 3, 4)), 6)
Tensor sin_cube() {
  return Tensor::from_vector<double>(
      {0.,       2.524413,  2.727892,  0.42336,   -2.270407, -2.876773, -0.838246, 1.97096,
       2.968075, 1.236355,  -1.632063, -2.999971, -1.609719, 1.260501,  2.971822,  1.950864,
       -0.86371, -2.884192, -2.252962, 0.449632,  2.738836,  2.509967,  -0.026554, -2.538661},
      {2, 3, 4});
}

// x = np.array([[1., 5., 2.], [7., -3., 4.]])
Tensor x23() { return Tensor::from_vector<double>({1, 5, 2, 7, -3, 4}, {2, 3}); }

}  // namespace

TEST(Reduce, SumAxesAndKeepdims) {
  Tensor y = sin_cube();
  EXPECT_EQ(ops::sum(y, {0, 2}).shape(), (Shape{3}));
  expect_near_all(ops::sum(y, {0, 2}), {10.249133, -9.565698, 2.255984});  // np.sum(y, (0, 2))
  EXPECT_EQ(ops::sum(y, {-1}, true).shape(), (Shape{2, 3, 1}));
  // Bias gradient shape: (N, C) over axis 0, by hand.
  Tensor a = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {4, 3});
  EXPECT_EQ(ops::sum(a, {0}).to_vector<float>(), (std::vector<float>{22, 26, 30}));
  EXPECT_EQ(ops::sum(a, {1}).to_vector<float>(), (std::vector<float>{6, 15, 24, 33}));
  EXPECT_EQ(ops::sum(a).item<float>(), 78.0f);
  Tensor b = Tensor::from_vector<bool>({true, false, true});
  EXPECT_EQ(ops::sum(b).dtype(), int64);
  EXPECT_EQ(ops::sum(b).item<int64_t>(), 2);
  // A long row exercises the multi-accumulator path: sum of 1..1000 = 500500.
  EXPECT_EQ(ops::sum(Tensor::arange(1, 1001, 1, float64)).item<double>(), 500500.0);
  EXPECT_EQ(ops::sum(Tensor::zeros({0, 3}), {0}).to_vector<float>(), (std::vector<float>{0, 0, 0}));
}

TEST(Reduce, MeanValuesAndDtypes) {
  expect_near_all(ops::mean(sin_cube(), {1}),  // np.mean(y, axis=1)
                  {0.232556, 0.294665, 0.085861, -0.2018836667, 0.088469, 0.2954253333,
                   0.2307686667, -0.046055});
  Tensor i = Tensor::from_vector<int32_t>({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(ops::mean(i).dtype(), float32);
  EXPECT_EQ(ops::mean(i).item<float>(), 2.5f);
  EXPECT_EQ(ops::mean(i, {0}).to_vector<float>(), (std::vector<float>{2, 3}));
  Tensor h = Tensor::from_vector<float>({1, 2, 4, 5}).astype(float16);
  EXPECT_EQ(ops::mean(h).dtype(), float16);
  EXPECT_EQ(ops::mean(h).item<float>(), 3.0f);
  EXPECT_TRUE(std::isnan(ops::mean(Tensor::zeros({0})).item<float>()));  // numpy: nan
}

TEST(Reduce, MaxMinValues) {
  Tensor y = sin_cube();
  expect_near_all(ops::max(y, {0, 2}), {2.971822, 1.97096, 2.968075});  // np.max(y, (0, 2))
  Tensor mn = ops::min(y, {1}, true);                                   // np.min(y, 1, keepdims)
  EXPECT_EQ(mn.shape(), (Shape{2, 1, 4}));
  expect_near_all(
      mn, {-2.270407, -2.876773, -1.632063, -2.999971, -1.609719, -2.884192, -2.252962, -2.538661});
  const double inf = std::numeric_limits<double>::infinity();
  Tensor neg = Tensor::from_vector<double>({-inf, -inf});
  EXPECT_EQ(ops::max(neg).item<double>(), -inf);
  Tensor with_nan = Tensor::from_vector<double>({1, NAN, 3});
  EXPECT_TRUE(std::isnan(ops::max(with_nan).item<double>()));
  EXPECT_TRUE(std::isnan(ops::min(with_nan).item<double>()));
  Tensor ints = Tensor::from_vector<int64_t>({3, -7, 5, 2}, {2, 2});
  EXPECT_EQ(ops::max(ints, {1}).to_vector<int64_t>(), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(ops::min(ints).item<int64_t>(), -7);
  EXPECT_EQ(ops::max(ints).dtype(), int64);
  EXPECT_THROW(ops::max(Tensor::zeros({2, 0}), {1}), ValueError);
}

TEST(Reduce, ProdValues) {
  Tensor a = Tensor::from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(ops::prod(a, {1}).to_vector<double>(), (std::vector<double>{6, 120}));  // np.prod
  EXPECT_EQ(ops::prod(a).item<double>(), 720.0);
  EXPECT_EQ(ops::prod(Tensor::zeros({0})).item<float>(), 1.0f);
}

TEST(Reduce, ArgmaxArgmin) {
  Tensor y = sin_cube();
  EXPECT_EQ(ops::argmax(y, 1).dtype(), int64);
  EXPECT_EQ(ops::argmax(y, 1).shape(), (Shape{2, 4}));
  EXPECT_EQ(ops::argmax(y, 1).to_vector<int64_t>(),  // np.argmax(y, axis=1)
            (std::vector<int64_t>{2, 0, 0, 1, 2, 2, 0, 0}));
  EXPECT_EQ(ops::argmin(y, -1).to_vector<int64_t>(),  // np.argmin(y, axis=2)
            (std::vector<int64_t>{0, 1, 3, 0, 1, 3}));
  EXPECT_EQ(ops::argmax(y).item<int64_t>(), 14);  // np.argmax(y): flattened
  EXPECT_EQ(ops::argmax(y, 0, true).shape(), (Shape{1, 3, 4}));
  // Ties: the first occurrence, as numpy.
  Tensor t = Tensor::from_vector<float>({1, 4, 4, 0, 0});
  EXPECT_EQ(ops::argmax(t).item<int64_t>(), 1);
  EXPECT_EQ(ops::argmin(t).item<int64_t>(), 3);
  EXPECT_EQ(ops::argmax(Tensor::from_vector<float>({1, NAN, 5})).item<int64_t>(), 1);
  EXPECT_EQ(ops::argmax(Tensor::from_vector<int32_t>({2, 9, -1}, {1, 3}), -1).to_vector<int64_t>(),
            (std::vector<int64_t>{1}));
  EXPECT_THROW(ops::argmax(Tensor::zeros({0})), ValueError);
  EXPECT_THROW(ops::argmax(y, 3), ValueError);
}

TEST(Reduce, VarianceAndStd) {
  // x.var(), x.var(axis=0), x.var(axis=1) with x = [[1, 5, 2], [7, -3, 4]]
  EXPECT_NEAR(ops::var(x23()).item<double>(), 10.222222222222223, 1e-12);
  expect_near_all(ops::var(x23(), {0}), {9, 16, 1}, 1e-12);
  expect_near_all(ops::var(x23(), {1}), {2.8888888889, 17.5555555556}, 1e-9);
  expect_near_all(ops::std(x23(), {0}), {3, 4, 1}, 1e-12);
  expect_near_all(ops::std(x23(), {1}, true), {1.6996731712, 4.18993503}, 1e-9);
  EXPECT_EQ(ops::std(x23(), {1}, true).shape(), (Shape{2, 1}));
  EXPECT_EQ(ops::var(Tensor::from_vector<int32_t>({1, 3})).dtype(), float32);
  EXPECT_EQ(ops::var(Tensor::from_vector<int32_t>({1, 3})).item<float>(), 1.0f);
}

TEST(Reduce, LogSumExpIsStable) {
  // np.log(np.sum(np.exp(x))) etc. (computed shifted by the max)
  EXPECT_NEAR(ops::logsumexp(x23()).item<double>(), 7.177630948663452, 1e-12);
  expect_near_all(ops::logsumexp(x23(), {1}), {5.0658839038, 7.0486305974}, 1e-9);
  expect_near_all(ops::logsumexp(x23(), {0}), {7.0024756851, 5.0003354064, 4.126928011}, 1e-9);
  // exp(1000) overflows; the shifted form gives 1000 + log(2).
  Tensor big = Tensor::from_vector<float>({1000, 1000});
  EXPECT_NEAR(ops::logsumexp(big).item<float>(), 1000.0f + std::log(2.0f), 1e-3);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ops::logsumexp(Tensor::from_vector<double>({-inf, -inf})).item<double>(), -inf);
  EXPECT_EQ(ops::logsumexp(Tensor::from_vector<double>({1, inf})).item<double>(), inf);
}

TEST(Reduce, SoftmaxAndLogSoftmax) {
  // sm = np.exp(x - x.max(1, keepdims=True)); sm /= sm.sum(1, keepdims=True)
  expect_near_all(ops::softmax(x23()),
                  {1.7147825546e-02, 9.3623955188e-01, 4.6612622578e-02, 9.5253293282e-01,
                   4.3244928247e-05, 4.7423822249e-02},
                  1e-10);
  expect_near_all(
      ops::log_softmax(x23()),
      {-4.0658839038, -0.0658839038, -3.0658839038, -0.0486305974, -10.0486305974, -3.0486305974},
      1e-9);
  // The same along axis 0 (a strided axis).
  expect_near_all(ops::softmax(x23(), 0),
                  {2.4726231566e-03, 9.9966464987e-01, 1.1920292202e-01, 9.9752737684e-01,
                   3.3535013047e-04, 8.8079707798e-01},
                  1e-10);
  // Large logits do not overflow: softmax([1000, 1000, 1000]) = 1/3 each.
  Tensor big = Tensor::from_vector<float>({1000, 1000, 1000});
  for (float v : ops::softmax(big).to_vector<float>()) EXPECT_NEAR(v, 1.0f / 3, 1e-6);
  for (float v : ops::log_softmax(big).to_vector<float>()) EXPECT_NEAR(v, -std::log(3.0f), 1e-5);
  EXPECT_EQ(ops::softmax(Tensor::zeros({2, 3}, float32)).dtype(), float32);
  EXPECT_THROW(ops::softmax(Tensor::from_vector<int32_t>({1, 2})), TypeError);
  EXPECT_THROW(ops::softmax(x23(), 2), ValueError);
}

TEST(Reduce, AxisErrorsNameTheOp) {
  try {
    (void)ops::mean(x23(), {5});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Mean"), std::string::npos) << e.what();
  }
}

TEST(ReduceGrad, MeanMaxMinProd) {
  auto a = sample({3, 4, 2});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::mean(x[0], {1}); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::mean(x[0], {0, 2}); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::max(x[0], {1}); }, {a});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) {
        return ops::min(x[0], {0, 2}, true);
      },
      {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::max(x[0]); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::prod(x[0], {1}); }, {a});
  // Zeros: one zero in a slice (its gradient is the product of the others), two zeros (all 0).
  Tensor z = Tensor::from_vector<double>({0.5, 0, 2, 3, 0, 0, 1.5, -2, 0.25}, {3, 3});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::prod(x[0], {1}); }, {z});
}

TEST(ReduceGrad, MaxTiesSplitEquallyAsTensorFlow) {
  // tf.reduce_max's gradient: 1 / (number of maxima) at each maximum.
  Tensor x = Tensor::from_vector<double>({1, 3, 3, 2, 5, 0}, {2, 3});
  GradientTape tape;
  tape.watch(x);
  Tensor g = tape.gradient(ops::sum(ops::max(x, {1})), x);
  EXPECT_EQ(g.to_vector<double>(), (std::vector<double>{0, 0.5, 0.5, 0, 1, 0}));
  Tensor m = Tensor::from_vector<float>({2, 2, 2, 2});
  GradientTape tape2;
  tape2.watch(m);
  EXPECT_EQ(tape2.gradient(ops::min(m), m).to_vector<float>(),
            (std::vector<float>{0.25, 0.25, 0.25, 0.25}));
}

TEST(ReduceGrad, VarStdLogSumExp) {
  auto a = sample({3, 5});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::var(x[0], {1}); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::var(x[0]); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::std(x[0], {0}, true); },
                         {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::logsumexp(x[0], {1}); },
                         {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::logsumexp(x[0]); }, {a});
}

TEST(ReduceGrad, SoftmaxAndLogSoftmax) {
  auto a = sample({4, 6}, -3, 3);
  auto b = sample({2, 3, 4}, -3, 3, 5);
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::softmax(x[0]); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::softmax(x[0], 1); }, {b});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::log_softmax(x[0]); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::log_softmax(x[0], 0); },
                         {b});
}

TEST(ReduceGrad, Float32GradientsKeepDtype) {
  Tensor x = Tensor::from_vector<float>({1, 2, 3, 4}, {2, 2});
  GradientTape tape;
  tape.watch(x);
  Tensor loss = ops::sum(ops::softmax(x) * ops::mean(x, {0}));
  Tensor g = tape.gradient(loss, x);
  ASSERT_TRUE(g.defined());
  EXPECT_EQ(g.dtype(), float32);
}
