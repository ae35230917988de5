// Array manipulation ops: values from numpy (expressions noted) or by hand, gradients against
// finite differences, bad arguments as keras exceptions.
#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

namespace {

using I = std::vector<int64_t>;
using Fn = std::function<Tensor(const std::vector<Tensor>&)>;

Tensor x23() { return Tensor::arange(6).reshape({2, 3}); }       // np.arange(6).reshape(2, 3)
Tensor y234() { return Tensor::arange(24).reshape({2, 3, 4}); }  // np.arange(24).reshape(2, 3, 4)

template <typename E>
void expect_message_has(const std::function<void()>& f, const std::string& needle) {
  try {
    f();
    FAIL() << "expected an exception mentioning " << needle;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Array, ConcatenateAndStack) {
  Tensor b = Tensor::arange(10, 14, 1, int64).reshape({2, 2});
  Tensor c = ops::concatenate({x23(), b}, 1);  // np.concatenate([x, b], axis=1)
  EXPECT_EQ(c.shape(), (Shape{2, 5}));
  EXPECT_EQ(c.to_vector<int64_t>(), (I{0, 1, 2, 10, 11, 3, 4, 5, 12, 13}));
  Tensor c0 = ops::concatenate({x23(), x23()}, -2);
  EXPECT_EQ(c0.shape(), (Shape{4, 3}));
  EXPECT_EQ(c0.to_vector<int64_t>(), (I{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}));
  Tensor mixed = ops::concatenate({Tensor::ones({1}, int32), Tensor::full({1}, 0.5, float32)});
  EXPECT_EQ(mixed.dtype(), float32);
  EXPECT_EQ(mixed.to_vector<float>(), (std::vector<float>{1, 0.5}));
  Tensor t = x23() + Tensor::scalar(10, int64);
  // np.stack([x, x + 10], axis=1) and axis=-1
  EXPECT_EQ(ops::stack({x23(), t}, 1).shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(ops::stack({x23(), t}, 1).to_vector<int64_t>(),
            (I{0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15}));
  EXPECT_EQ(ops::stack({x23(), t}, -1).to_vector<int64_t>(),
            (I{0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15}));
  expect_message_has<ValueError>(
      [&] {
        ops::concatenate({x23(), Tensor::zeros({3, 3})}, 1);
      },
      "(3, 3)");
  EXPECT_THROW(ops::concatenate({}), ValueError);
  EXPECT_THROW(ops::stack({x23(), Tensor::zeros({3, 2})}), ValueError);
  EXPECT_THROW(ops::concatenate({x23()}, 2), ValueError);
}

TEST(Array, Split) {
  std::vector<Tensor> p = ops::split(y234(), 2, 2);  // np.split(y, 2, axis=2)
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(p[1].to_vector<int64_t>(), (I{2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23}));
  std::vector<Tensor> q = ops::split(x23(), I{1, -1}, 1);  // tf.split(x, [1, -1], axis=1)
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].to_vector<int64_t>(), (I{0, 3}));
  EXPECT_EQ(q[1].to_vector<int64_t>(), (I{1, 2, 4, 5}));
  EXPECT_THROW(ops::split(x23(), 2, 1), ValueError);        // 3 is not divisible by 2
  EXPECT_THROW(ops::split(x23(), I{1, 1}, 1), ValueError);  // 2 != 3
  EXPECT_THROW(ops::split(x23(), I{-1, -1}, 1), ValueError);
}

TEST(Array, Slice) {
  Tensor s = ops::slice(y234(), {1, 0, 1}, {1, 3, 2});  // y[1:2, 0:3, 1:3]
  EXPECT_EQ(s.shape(), (Shape{1, 3, 2}));
  EXPECT_EQ(s.to_vector<int64_t>(), (I{13, 14, 17, 18, 21, 22}));
  EXPECT_EQ(ops::slice(y234(), {0, 2, 3}, {-1, -1, -1}).to_vector<int64_t>(), (I{11, 23}));
  EXPECT_FALSE(ops::slice(y234(), {0, 0, 0}, {2, 3, 4}).shares_storage(y234()));
  expect_message_has<ValueError>([] { ops::slice(y234(), {0, 2, 0}, {1, 2, 1}); }, "(2, 3, 4)");
  EXPECT_THROW(ops::slice(y234(), {0, 0}, {1, 1}), ValueError);
  EXPECT_THROW(ops::slice(y234(), {-1, 0, 0}, {1, 1, 1}), ValueError);
}

TEST(Array, TakeAndGather) {
  Tensor idx = Tensor::from_vector<int32_t>({2, 0, -1});
  Tensor t = ops::take(y234(), idx, 1);  // np.take(y, [2, 0, -1], axis=1)
  EXPECT_EQ(t.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(t.to_vector<int64_t>(), (I{8,  9,  10, 11, 0,  1,  2,  3,  8,  9,  10, 11,
                                       20, 21, 22, 23, 12, 13, 14, 15, 20, 21, 22, 23}));
  Tensor idx2 = Tensor::from_vector<int64_t>({1, 0, 0, 1}, {2, 2});
  EXPECT_EQ(ops::gather(y234(), idx2).shape(), (Shape{2, 2, 3, 4}));  // np.take(y, idx2, axis=0)
  EXPECT_EQ(ops::gather(y234(), idx2)[0][0].to_vector<int64_t>(), y234()[1].to_vector<int64_t>());
  // No axis: the flattened tensor. np.take(y, [5, 23, -24])
  EXPECT_EQ(ops::take(y234(), Tensor::from_vector<int64_t>({5, 23, -24})).to_vector<int64_t>(),
            (I{5, 23, 0}));
  // Embedding lookup: float table, (batch, seq) ids.
  Tensor table = Tensor::from_vector<float>({0, 0.5, 1, 1.5, 2, 2.5}, {3, 2});
  Tensor e = ops::gather(table, Tensor::from_vector<int32_t>({2, 2, 0}, {1, 3}));
  EXPECT_EQ(e.shape(), (Shape{1, 3, 2}));
  EXPECT_EQ(e.to_vector<float>(), (std::vector<float>{2, 2.5, 2, 2.5, 0, 0.5}));
  expect_message_has<IndexError>([] { ops::gather(y234(), Tensor::from_vector<int32_t>({2})); },
                                 "index 2 is out of bounds for axis 0 with size 2");
  EXPECT_THROW(ops::take(y234(), Tensor::from_vector<int64_t>({-4}), 1), IndexError);
  EXPECT_THROW(ops::take(y234(), Tensor::from_vector<float>({1})), TypeError);
  EXPECT_THROW(ops::take(y234(), Tensor::from_vector<int64_t>({0}), 3), ValueError);
}

TEST(Array, ExpandDimsSqueeze) {
  EXPECT_EQ(ops::expand_dims(x23(), 0).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(ops::expand_dims(x23(), -1).shape(), (Shape{2, 3, 1}));
  EXPECT_EQ(ops::expand_dims(x23(), 1).shape(), (Shape{2, 1, 3}));
  EXPECT_THROW(ops::expand_dims(x23(), 3), ValueError);
  Tensor z = Tensor::zeros({1, 2, 1, 3});
  EXPECT_EQ(ops::squeeze(z).shape(), (Shape{2, 3}));
  EXPECT_EQ(ops::squeeze(z, 2).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(ops::squeeze(z, -4).shape(), (Shape{2, 1, 3}));
  EXPECT_TRUE(ops::squeeze(z).shares_storage(z));
  expect_message_has<ValueError>([&] { ops::squeeze(z, 1); }, "squeeze");
}

TEST(Array, OneHot) {
  // tf.one_hot([0, 2, -1, 3], depth=3): out-of-range indices give zero rows.
  Tensor o = ops::one_hot(Tensor::from_vector<int32_t>({0, 2, -1, 3}), 3);
  EXPECT_EQ(o.shape(), (Shape{4, 3}));
  EXPECT_EQ(o.dtype(), float32);
  EXPECT_EQ(o.to_vector<float>(), (std::vector<float>{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
  Tensor o2 = ops::one_hot(Tensor::from_vector<int64_t>({1, 0}, {2, 1}), 2, int32);
  EXPECT_EQ(o2.shape(), (Shape{2, 1, 2}));
  EXPECT_EQ(o2.to_vector<int32_t>(), (std::vector<int32_t>{0, 1, 1, 0}));
  EXPECT_THROW(ops::one_hot(Tensor::from_vector<float>({1}), 3), TypeError);
  EXPECT_THROW(ops::one_hot(Tensor::from_vector<int32_t>({1}), -1), ValueError);
}

TEST(Array, TileRepeat) {
  Tensor t = ops::tile(x23(), {2, 2});  // np.tile(x, (2, 2))
  EXPECT_EQ(t.shape(), (Shape{4, 6}));
  EXPECT_EQ(t.to_vector<int64_t>(),
            (I{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}));
  Tensor t3 = ops::tile(Tensor::from_vector<int64_t>({1, 2}), {2, 1, 2});  // np.tile([1,2],(2,1,2))
  EXPECT_EQ(t3.shape(), (Shape{2, 1, 4}));
  EXPECT_EQ(t3.to_vector<int64_t>(), (I{1, 2, 1, 2, 1, 2, 1, 2}));
  EXPECT_EQ(ops::tile(x23(), {0, 1}).shape(), (Shape{0, 3}));
  EXPECT_THROW(ops::tile(x23(), {-1, 1}), ValueError);
  // np.repeat(x, 2, axis=1); np.repeat(x, [1, 3], axis=0); np.repeat(x, 2)
  EXPECT_EQ(ops::repeat(x23(), 2, 1).to_vector<int64_t>(), (I{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}));
  EXPECT_EQ(ops::repeat(x23(), I{1, 3}, 0).shape(), (Shape{4, 3}));
  EXPECT_EQ(ops::repeat(x23(), I{1, 3}, 0).to_vector<int64_t>(),
            (I{0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5}));
  EXPECT_EQ(ops::repeat(x23(), 2).shape(), (Shape{12}));
  EXPECT_EQ(ops::repeat(x23(), 2).to_vector<int64_t>(), (I{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}));
  EXPECT_THROW(ops::repeat(x23(), I{1, 2, 3}, 0), ValueError);
  EXPECT_THROW(ops::repeat(x23(), -1, 0), ValueError);
}

TEST(Array, PadFlipLike) {
  // np.pad(x, ((1, 0), (0, 2)), constant_values=9)
  Tensor p = ops::pad(x23(), {{1, 0}, {0, 2}}, 9);
  EXPECT_EQ(p.shape(), (Shape{3, 5}));
  EXPECT_EQ(p.to_vector<int64_t>(), (I{9, 9, 9, 9, 9, 0, 1, 2, 9, 9, 3, 4, 5, 9, 9}));
  EXPECT_EQ(ops::pad(Tensor::ones({1}, float32), {{2, 1}}).to_vector<float>(),
            (std::vector<float>{0, 0, 1, 0}));
  EXPECT_THROW(ops::pad(x23(), {{1, 0}}), ValueError);
  EXPECT_THROW(ops::pad(x23(), {{1, 0}, {-1, 0}}), ValueError);
  // np.flip(x), np.flip(x, 1), np.flip(x, 0), np.flip(y, (0, 2))
  EXPECT_EQ(ops::flip(x23()).to_vector<int64_t>(), (I{5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(ops::flip(x23(), {1}).to_vector<int64_t>(), (I{2, 1, 0, 5, 4, 3}));
  EXPECT_EQ(ops::flip(x23(), {0}).to_vector<int64_t>(), (I{3, 4, 5, 0, 1, 2}));
  EXPECT_EQ(
      ops::flip(y234(), {0, 2}).to_vector<int64_t>(),
      (I{15, 14, 13, 12, 19, 18, 17, 16, 23, 22, 21, 20, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8}));
  Tensor z = ops::zeros_like(x23());
  EXPECT_EQ(z.dtype(), int64);
  EXPECT_EQ(z.to_vector<int64_t>(), I(6, 0));
  EXPECT_EQ(ops::ones_like(x23(), float32).to_vector<float>(), std::vector<float>(6, 1.0f));
  EXPECT_EQ(ops::full_like(x23(), 2.5, float64).to_vector<double>(), std::vector<double>(6, 2.5));
  EXPECT_EQ(ops::full_like(x23(), 7).shape(), (Shape{2, 3}));
}

TEST(Array, StringTensorsAreRejected) {
  Tensor s = Tensor::from_strings({"a", "b"});
  EXPECT_THROW(ops::concatenate({s, s}), TypeError);
  EXPECT_THROW(ops::transpose(s.reshape({1, 2})), TypeError);
  EXPECT_THROW(ops::gather(s, Tensor::from_vector<int32_t>({0})), TypeError);
}

TEST(ArrayGrad, CopyOps) {
  auto a = sample({2, 3}), b = sample({2, 2}, -1, 1, 2), c = sample({2, 3}, -1, 1, 3);
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::concatenate(x, 1); },
                         {a, b});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::stack(x, 1) * x[0][0]; },
                         {a, c});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) {
        auto parts = ops::split(x[0], std::vector<int64_t>{1, 2}, 1);
        return parts[0] * parts[1];  // broadcast (2,1) * (2,2)
      },
      {a});
  auto y = sample({2, 3, 4}, -1, 1, 4);
  expect_gradients_match(
      [](const std::vector<Tensor>& x) {
        return ops::slice(x[0], {0, 1, 1}, {2, 2, 3});
      },
      {y});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) {
        return ops::pad(x[0], {{1, 2}, {0, 1}, {3, 0}}, 0.5);
      },
      {y});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::flip(x[0], {0, 2}); }, {y});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) {
        return ops::tile(x[0], {2, 1, 3});
      },
      {y});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::tile(x[0], {2, 2}); }, {a});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) {
        return ops::repeat(x[0], std::vector<int64_t>{2, 0, 3}, 1);
      },
      {y});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::repeat(x[0], 2); }, {a});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return ops::squeeze(ops::expand_dims(x[0], 1)) * x[0]; },
      {a});
}

TEST(ArrayGrad, GatherScatterAdds) {
  auto table = sample({4, 3});
  Tensor ids = Tensor::from_vector<int64_t>({1, 3, 1, -1}, {2, 2});
  expect_gradients_match([ids](const std::vector<Tensor>& x) { return ops::gather(x[0], ids); },
                         {table});
  expect_gradients_match([ids](const std::vector<Tensor>& x) { return ops::take(x[0], ids, 1); },
                         {sample({2, 4, 2})});
  // By hand: ids 1 (twice), 3 (twice through -1): rows 1 and 3 receive 2, rows 0 and 2 none.
  Tensor t = table.clone();
  GradientTape tape;
  tape.watch(t);
  Tensor g = tape.gradient(ops::sum(ops::gather(t, ids)), t);
  EXPECT_EQ(g.to_vector<double>(), (std::vector<double>{0, 0, 0, 2, 2, 2, 0, 0, 0, 2, 2, 2}));
}
