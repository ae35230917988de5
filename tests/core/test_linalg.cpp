// matmul and transpose: values from numpy (expressions noted) or a naive reference written out in
// the test, gradients against finite differences.
#include <gtest/gtest.h>

#include <numeric>

#include "keras/keras.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

namespace {

Tensor a23() { return Tensor::from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3}); }
Tensor b32() { return Tensor::from_vector<double>({7, 8, 9, 10, 11, 12}, {3, 2}); }

// The naive definition, in double, as an independent reference for large products.
std::vector<double> naive_matmul(const Tensor& a, const Tensor& b) {
  const int64_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
  const std::vector<double> av = a.to_vector<double>(), bv = b.to_vector<double>();
  std::vector<double> c(m * n, 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p) c[i * n + j] += av[i * k + p] * bv[p * n + j];
  return c;
}

// out[i...] = x[i permuted back], by multi-index arithmetic on the naive definition.
std::vector<double> naive_transpose(const Tensor& x, const std::vector<int>& perm) {
  const Shape& s = x.shape();
  const int nd = x.ndim();
  Shape os(nd);
  for (int i = 0; i < nd; ++i) os[i] = s[perm[i]];
  const std::vector<double> xv = x.to_vector<double>();
  std::vector<double> out(xv.size());
  std::vector<int64_t> oi(nd, 0);
  for (size_t flat = 0; flat < out.size(); ++flat) {
    int64_t rem = static_cast<int64_t>(flat);
    for (int d = nd - 1; d >= 0; --d) {
      oi[d] = rem % os[d];
      rem /= os[d];
    }
    int64_t src = 0;
    std::vector<int64_t> ii(nd);
    for (int d = 0; d < nd; ++d) ii[perm[d]] = oi[d];
    for (int d = 0; d < nd; ++d) src = src * s[d] + ii[d];
    out[flat] = xv[src];
  }
  return out;
}

}  // namespace

TEST(Matmul, TwoDByNumpy) {
  Tensor c = ops::matmul(a23(), b32());  // a @ b
  EXPECT_EQ(c.shape(), (Shape{2, 2}));
  EXPECT_EQ(c.to_vector<double>(), (std::vector<double>{58, 64, 139, 154}));
  Tensor cf = ops::matmul(a23().astype(float32), b32().astype(float32));
  EXPECT_EQ(cf.dtype(), float32);
  EXPECT_EQ(cf.to_vector<float>(), (std::vector<float>{58, 64, 139, 154}));
  Tensor ci = ops::matmul(a23().astype(int32), b32().astype(int32));
  EXPECT_EQ(ci.dtype(), int32);
  EXPECT_EQ(ci.to_vector<int32_t>(), (std::vector<int32_t>{58, 64, 139, 154}));
  Tensor mixed = ops::matmul(a23().astype(int32), b32().astype(float32));
  EXPECT_EQ(mixed.dtype(), float32);
  EXPECT_EQ(mixed.to_vector<float>(), (std::vector<float>{58, 64, 139, 154}));
  Tensor half = ops::matmul(a23().astype(float16), b32().astype(float16));
  EXPECT_EQ(half.dtype(), float16);
  EXPECT_EQ(half.to_vector<float>(), (std::vector<float>{58, 64, 139, 154}));
}

TEST(Matmul, VectorPromotion) {
  Tensor v = Tensor::from_vector<double>({1, -1, 2});
  Tensor vb = ops::matmul(v, b32());  // v @ b
  EXPECT_EQ(vb.shape(), (Shape{2}));
  EXPECT_EQ(vb.to_vector<double>(), (std::vector<double>{20, 22}));
  Tensor av = ops::matmul(a23(), v);  // a @ v
  EXPECT_EQ(av.shape(), (Shape{2}));
  EXPECT_EQ(av.to_vector<double>(), (std::vector<double>{5, 11}));
  Tensor vv = ops::matmul(v, v);  // v @ v
  EXPECT_EQ(vv.shape(), (Shape{}));
  EXPECT_EQ(vv.item<double>(), 6.0);
}

TEST(Matmul, BatchedBroadcast) {
  // A = np.arange(12.).reshape(2, 1, 2, 3) - 5; B = np.arange(18.).reshape(3, 3, 2) / 2; A @ B
  Tensor a = Tensor::arange(0, 12, 1, float64).reshape({2, 1, 2, 3}) - 5.0;
  Tensor b = Tensor::arange(0, 18, 1, float64).reshape({3, 3, 2}) / 2.0;
  Tensor c = ops::matmul(a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 3, 2, 2}));
  EXPECT_EQ(c.to_vector<double>(),
            (std::vector<double>{-10, -16, -1, -2.5, -46, -52, -10, -11.5, -82, -88, -19, -20.5,
                                 8,   11,  17, 24.5, 26,  29,  62,  69.5,  44,  47,  107, 114.5}));
  // A stack times one matrix (the folded path) equals each matrix product.
  Tensor s = sample({4, 5, 3}, -1, 1, 3), w = sample({3, 2}, -1, 1, 4);
  Tensor sw = ops::matmul(s, w);
  EXPECT_EQ(sw.shape(), (Shape{4, 5, 2}));
  for (int64_t i = 0; i < 4; ++i) {
    const std::vector<double> ref = naive_matmul(s[i], w);
    const std::vector<double> got = sw[i].to_vector<double>();
    for (size_t j = 0; j < ref.size(); ++j) EXPECT_NEAR(got[j], ref[j], 1e-12);
  }
}

TEST(Matmul, TransposeFlagsEqualExplicitTransposes) {
  Tensor a = sample({4, 3}, -1, 1, 1), b = sample({5, 4}, -1, 1, 2);
  Tensor at = ops::transpose(a), bt = ops::transpose(b);
  auto same = [](const Tensor& x, const Tensor& y) {
    ASSERT_EQ(x.shape(), y.shape());
    const auto xv = x.to_vector<double>(), yv = y.to_vector<double>();
    for (size_t i = 0; i < xv.size(); ++i) EXPECT_NEAR(xv[i], yv[i], 1e-12);
  };
  same(ops::matmul(a, b, true, true), ops::matmul(at, bt));  // a^T b^T: (3, 4) @ (4, 5)
  same(ops::matmul(b, a, false, false), ops::matmul(b, a));  // (5,4)(4,3)
  same(ops::matmul(bt, a, true, false), ops::matmul(b, a));  // (bt)^T = b
  same(ops::matmul(b, at, false, true), ops::matmul(b, a));  // (at)^T = a
  // Batched with flags: each matrix of the stack.
  Tensor sa = sample({2, 3, 4}, -1, 1, 5), sb = sample({2, 5, 3}, -1, 1, 6);
  Tensor c = ops::matmul(sa, sb, true, true);  // (2, 4, 5)
  EXPECT_EQ(c.shape(), (Shape{2, 4, 5}));
  for (int64_t i = 0; i < 2; ++i)
    same(c[i], ops::matmul(ops::transpose(sa[i]), ops::transpose(sb[i])));
}

TEST(Matmul, TrainingShapesMatchNaiveProduct) {
  // 128x784 @ 784x256 in float32 against a double reference.
  Tensor x = sample({128, 784}, 0, 1, 11).astype(float32);
  Tensor w = sample({784, 256}, -0.1, 0.1, 12).astype(float32);
  Tensor y = ops::matmul(x, w);
  const std::vector<double> ref = naive_matmul(x, w);
  const std::vector<float> got = y.to_vector<float>();
  double worst = 0;
  for (size_t i = 0; i < ref.size(); ++i) worst = std::max(worst, std::abs(got[i] - ref[i]));
  EXPECT_LT(worst, 1e-3);
  // The backward shapes: x^T @ g (784x128 @ 128x256) through the transpose flag.
  Tensor g = sample({128, 256}, -1, 1, 13).astype(float32);
  Tensor dw = ops::matmul(x, g, true, false);
  EXPECT_EQ(dw.shape(), (Shape{784, 256}));
  const std::vector<double> ref2 = naive_matmul(ops::transpose(x), g);
  const std::vector<float> got2 = dw.to_vector<float>();
  worst = 0;
  for (size_t i = 0; i < ref2.size(); ++i) worst = std::max(worst, std::abs(got2[i] - ref2[i]));
  EXPECT_LT(worst, 1e-3);
}

TEST(Matmul, EmptyAndErrors) {
  Tensor e = ops::matmul(Tensor::zeros({2, 0}), Tensor::zeros({0, 3}));
  EXPECT_EQ(e.shape(), (Shape{2, 3}));
  EXPECT_EQ(e.to_vector<float>(), (std::vector<float>(6, 0.0f)));
  EXPECT_EQ(ops::matmul(Tensor::zeros({0, 4}), Tensor::zeros({4, 3})).shape(), (Shape{0, 3}));
  try {
    (void)ops::matmul(Tensor::zeros({2, 3}), Tensor::zeros({4, 5}));
    FAIL() << "expected ValueError";
  } catch (const ValueError& err) {
    const std::string msg = err.what();
    EXPECT_NE(msg.find("(2, 3)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(4, 5)"), std::string::npos) << msg;
  }
  EXPECT_THROW(ops::matmul(Tensor::zeros({2, 2, 3}), Tensor::zeros({3, 3, 2})), ValueError);
  EXPECT_THROW(ops::matmul(Tensor::scalar(1.0), Tensor::zeros({1})), ValueError);
  EXPECT_THROW(ops::matmul(Tensor::zeros({2}, bool_), Tensor::zeros({2}, bool_)), TypeError);
}

TEST(MatmulGrad, AllTransposeCasesAndBroadcasts) {
  Tensor a = sample({3, 4}, -1, 1, 1), b = sample({4, 2}, -1, 1, 2);
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); },
                         {a, b});
  Tensor at = sample({4, 3}, -1, 1, 3), bt = sample({2, 4}, -1, 1, 4);
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1], true, false); }, {at, b});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1], false, true); }, {a, bt});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1], true, true); }, {at, bt});
  // A stack times one matrix (b's gradient sums over the stack), and the reverse.
  Tensor s = sample({2, 3, 4}, -1, 1, 5);
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); },
                         {s, b});
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1], false, true); }, {s, bt});
  Tensor sb = sample({2, 4, 2}, -1, 1, 6);
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); },
                         {a, sb});
  // Broadcast batch dims on both sides, with flags.
  Tensor p = sample({2, 1, 4, 3}, -1, 1, 7), q = sample({3, 2, 4}, -1, 1, 8);
  expect_gradients_match(
      [](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1], true, true); }, {p, q});
  // Vectors.
  Tensor v = sample({4}, -1, 1, 9), w = sample({3}, -1, 1, 10);
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); },
                         {v, b});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); },
                         {a, v});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); },
                         {w, s});
  expect_gradients_match([](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); },
                         {v, v.clone()});
}

TEST(Transpose, MatchesNaiveDefinition) {
  // 2-D with sides that are not multiples of the 32-element tile.
  Tensor m = sample({37, 45}, -1, 1, 1);
  Tensor mt = ops::transpose(m);
  EXPECT_EQ(mt.shape(), (Shape{45, 37}));
  EXPECT_EQ(mt.to_vector<double>(), naive_transpose(m, {1, 0}));
  // Every permutation of a 3-D tensor.
  Tensor x = sample({3, 4, 5}, -1, 1, 2);
  std::vector<int> perm = {0, 1, 2};
  do {
    Tensor t = ops::transpose(x, perm);
    EXPECT_EQ(t.shape(), (Shape{x.shape()[perm[0]], x.shape()[perm[1]], x.shape()[perm[2]]}));
    EXPECT_EQ(t.to_vector<double>(), naive_transpose(x, perm)) << perm[0] << perm[1] << perm[2];
  } while (std::next_permutation(perm.begin(), perm.end()));
  // 4-D with size-1 axes and the default (reversed) order.
  Tensor y = sample({2, 1, 3, 33}, -1, 1, 3);
  EXPECT_EQ(ops::transpose(y, {2, 0, 3, 1}).to_vector<double>(), naive_transpose(y, {2, 0, 3, 1}));
  EXPECT_EQ(ops::transpose(y).to_vector<double>(), naive_transpose(y, {3, 2, 1, 0}));
  EXPECT_EQ(ops::transpose(y, {0, 2, 1, 3}).to_vector<double>(), naive_transpose(y, {0, 2, 1, 3}));
  EXPECT_EQ(ops::transpose(y, {-1, 0, 1, 2}).to_vector<double>(), naive_transpose(y, {3, 0, 1, 2}));
  // float32 (the 8 x 8 register-block path) with ragged edges, 2-D and inside a 4-D permutation.
  Tensor f = sample({37, 45}, -1, 1, 5).astype(float32);
  EXPECT_EQ(ops::transpose(f).to_vector<double>(), naive_transpose(f, {1, 0}));
  Tensor f4 = sample({3, 17, 9, 20}, -1, 1, 6).astype(float32);
  EXPECT_EQ(ops::transpose(f4, {0, 3, 1, 2}).to_vector<double>(),
            naive_transpose(f4, {0, 3, 1, 2}));
  EXPECT_EQ(ops::transpose(f4, {2, 1, 3, 0}).to_vector<double>(),
            naive_transpose(f4, {2, 1, 3, 0}));
  Tensor i32 = Tensor::arange(0, 8 * 16, 1, int32).reshape({8, 16});
  EXPECT_EQ(ops::transpose(i32).to_vector<double>(), naive_transpose(i32, {1, 0}));
  // Other element sizes.
  Tensor i8 = Tensor::from_vector<int8_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(ops::transpose(i8).to_vector<int>(), (std::vector<int>{1, 4, 2, 5, 3, 6}));
  Tensor h = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {3, 2}).astype(bfloat16);
  EXPECT_EQ(ops::transpose(h).to_vector<float>(), (std::vector<float>{1, 3, 5, 2, 4, 6}));
}

TEST(Transpose, SwapaxesMoveaxisAndErrors) {
  Tensor x = sample({2, 3, 4}, -1, 1, 4);
  EXPECT_EQ(ops::swapaxes(x, 0, 2).to_vector<double>(), naive_transpose(x, {2, 1, 0}));
  Tensor mv = ops::moveaxis(x, 0, -1);  // np.moveaxis(x, 0, -1).shape == (3, 4, 2)
  EXPECT_EQ(mv.shape(), (Shape{3, 4, 2}));
  EXPECT_EQ(mv.to_vector<double>(), naive_transpose(x, {1, 2, 0}));
  EXPECT_EQ(ops::moveaxis(x, 2, 0).shape(), (Shape{4, 2, 3}));
  EXPECT_THROW(ops::transpose(x, {0, 1}), ValueError);
  EXPECT_THROW(ops::transpose(x, {0, 1, 1}), ValueError);
  EXPECT_THROW(ops::transpose(x, {0, 1, 3}), ValueError);
  EXPECT_THROW(ops::swapaxes(x, 0, 3), ValueError);
}

TEST(TransposeGrad, InversePermutation) {
  Tensor x = sample({2, 3, 4});
  expect_gradients_match(
      [](const std::vector<Tensor>& v) {
        return ops::transpose(v[0], {1, 2, 0});
      },
      {x});
  expect_gradients_match([](const std::vector<Tensor>& v) { return ops::transpose(v[0]); }, {x});
  expect_gradients_match([](const std::vector<Tensor>& v) { return ops::moveaxis(v[0], 2, 0); },
                         {x});
}
