#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

TEST(Arithmetic, BroadcastValuesByHand) {
  Tensor a = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = Tensor::from_vector<float>({10, 20, 30}, {3});
  EXPECT_EQ((a + b).to_vector<float>(), (std::vector<float>{11, 22, 33, 14, 25, 36}));
  Tensor c = Tensor::from_vector<float>({1, 2}, {2, 1});
  EXPECT_EQ((a * c).to_vector<float>(), (std::vector<float>{1, 2, 3, 8, 10, 12}));
  EXPECT_EQ((b - c).shape(), (Shape{2, 3}));
  EXPECT_EQ((b - c).to_vector<float>(), (std::vector<float>{9, 19, 29, 8, 18, 28}));
  EXPECT_EQ((a / 2.0).to_vector<float>(), (std::vector<float>{0.5, 1, 1.5, 2, 2.5, 3}));
  EXPECT_EQ((1.0 - b).to_vector<float>(), (std::vector<float>{-9, -19, -29}));
}

TEST(Arithmetic, ShapeMismatchNamesOpAndShapes) {
  Tensor a = Tensor::zeros({2, 3});
  Tensor b = Tensor::zeros({4});
  try {
    (void)(a + b);
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Add"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(2, 3)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(4,)"), std::string::npos) << msg;
  }
}

TEST(Arithmetic, MixedDtypesPromote) {
  Tensor i = Tensor::from_vector<int32_t>({1, 2});
  Tensor f = Tensor::from_vector<float>({0.5f, 0.25f});
  Tensor r = i + f;
  EXPECT_EQ(r.dtype(), float32);
  EXPECT_EQ(r.to_vector<float>(), (std::vector<float>{1.5f, 2.25f}));
  EXPECT_EQ((Tensor::from_vector<uint8_t>({255}).astype(float32) / 255.0).item<float>(), 1.0f);
}

TEST(Autograd, ArithmeticGradientsMatchFiniteDifferences) {
  auto a = sample({3, 4}), b = sample({4}, 0.5, 2.0, 2), c = sample({3, 1}, 0.5, 2.0, 3);
  expect_gradients_match([](const std::vector<Tensor>& x) { return x[0] + x[1]; }, {a, b});
  expect_gradients_match([](const std::vector<Tensor>& x) { return x[0] - x[1]; }, {a, c});
  expect_gradients_match([](const std::vector<Tensor>& x) { return x[0] * x[1]; }, {a, c});
  expect_gradients_match([](const std::vector<Tensor>& x) { return x[0] / x[1]; }, {a, b});
  expect_gradients_match([](const std::vector<Tensor>& x) { return -x[0] * x[0]; }, {a});
}

TEST(Autograd, SumAndViewsGradients) {
  auto a = sample({2, 3, 4});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::sum(x[0], {1}); }, {a});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return ops::sum(x[0], {0, 2}, true); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::sum(x[0]); }, {a});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return x[0].reshape({4, -1}) * 2.0; }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return x[0].slice(1, 2); }, {a});
  expect_gradients_match([](const std::vector<Tensor>& x) { return x[0][1] * x[0][0]; }, {a});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return ops::broadcast_to(x[0], {5, 2, 3, 4}); }, {a});
}

TEST(Autograd, VariablesAreWatchedOnlyWhenTrainable) {
  Variable w(Tensor::from_vector<double>({1, 2, 3}), "w");
  Variable frozen(Tensor::from_vector<double>({4, 5, 6}), "frozen", /*trainable=*/false);
  GradientTape tape;
  Tensor loss = ops::sum(w * frozen * w);  // sum(w^2 * f): d/dw = 2 w f
  auto g = tape.gradient(loss, std::vector<Variable>{w, frozen});
  ASSERT_TRUE(g[0].defined());
  EXPECT_EQ(g[0].to_vector<double>(), (std::vector<double>{8, 20, 36}));
  EXPECT_FALSE(g[1].defined());  // TensorFlow returns None for an unwatched variable
}

TEST(Autograd, NoTapeRecordsNothing) {
  Variable w(Tensor::ones({3}), "w");
  Tensor y = w * 2.0;
  EXPECT_EQ(y.grad_node(), nullptr);
}

TEST(Autograd, StopGradientBlocks) {
  Variable w(Tensor::from_vector<double>({3}), "w");
  GradientTape tape;
  Tensor y = w * stop_gradient(w.value() * 1.0);  // d/dw = stop(w) = 3, not 2w
  EXPECT_DOUBLE_EQ(tape.gradient(y, w.value()).item<double>(), 3.0);
}

TEST(Autograd, AssignVariants) {
  Variable v(Tensor::from_vector<float>({1, 2}), "v");
  v.assign_add(Tensor::from_vector<float>({1, 1}));
  v.assign_sub(Tensor::from_vector<float>({0.5f, 0.5f}));
  EXPECT_EQ(v.value().to_vector<float>(), (std::vector<float>{1.5f, 2.5f}));
  EXPECT_THROW(v.assign(Tensor::zeros({3})), ValueError);
}

TEST(Autograd, GradientAccumulatesOverSharedUses) {
  Tensor x = Tensor::from_vector<double>({2.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * x * x + x;  // 3x^2 + 1 = 13
  EXPECT_DOUBLE_EQ(tape.gradient(y, x).item<double>(), 13.0);
}
