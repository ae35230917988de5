// Tests of conv1d / conv2d / depthwise_conv2d / conv2d_transpose (keras/ops/nn.hpp).
//
// Expected values come from numpy loop references (/usr/bin/python3, the definitions written out:
//   y[n,i,j] += x[n, i*s-pt+a*d, j*s-pl+b*d] @ w[a,b] over in-bounds taps, TF's pads), from a
// direct-loop reference in this file, and from central finite differences for the gradients.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "keras/keras.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

namespace {

Tensor iota(const Shape& shape, double start = 1.0) {
  return Tensor::arange(start, start + static_cast<double>(shape_size(shape)), 1.0, float64)
      .reshape(shape);
}

void expect_values(const Tensor& t, const Shape& shape, const std::vector<double>& want) {
  ASSERT_EQ(t.shape(), shape);
  const auto got = t.astype(float64).to_vector<double>();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-9) << "at " << i;
}

// Straight from the definition, one output element at a time (no im2col, no GEMM).
Tensor reference_conv2d(const Tensor& x, const Tensor& w, int64_t sh, int64_t sw, bool same,
                        int64_t dh, int64_t dw) {
  const int64_t N = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
  const int64_t KH = w.dim(0), KW = w.dim(1), O = w.dim(3);
  auto axis = [&](int64_t in, int64_t k, int64_t s, int64_t d, int64_t* out, int64_t* pad) {
    const int64_t dk = (k - 1) * d + 1;
    if (!same) {
      *out = (in - dk) / s + 1;
      *pad = 0;
    } else {
      *out = (in + s - 1) / s;
      *pad = std::max<int64_t>((*out - 1) * s + dk - in, 0) / 2;
    }
  };
  int64_t OH, OW, pt, pl;
  axis(H, KH, sh, dh, &OH, &pt);
  axis(W, KW, sw, dw, &OW, &pl);
  Tensor y = Tensor::zeros({N, OH, OW, O}, float64);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t i = 0; i < OH; ++i)
      for (int64_t j = 0; j < OW; ++j)
        for (int64_t o = 0; o < O; ++o) {
          double acc = 0;
          for (int64_t a = 0; a < KH; ++a)
            for (int64_t b = 0; b < KW; ++b) {
              const int64_t iy = i * sh - pt + a * dh, ix = j * sw - pl + b * dw;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              for (int64_t c = 0; c < C; ++c)
                acc += x.at<double>({n, iy, ix, c}) * w.at<double>({a, b, c, o});
            }
          y.data<double>()[((n * OH + i) * OW + j) * O + o] = acc;
        }
  return y;
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

// x = arange(1, 33).reshape(1, 4, 4, 2); w = arange(36).reshape(3, 3, 2, 2) % 7 - 3.
TEST(NnConv2D, ValuesMatchNumpy) {
  const Tensor x = iota({1, 4, 4, 2});
  std::vector<double> wv(36);
  for (int i = 0; i < 36; ++i) wv[i] = i % 7 - 3;
  const Tensor w = Tensor::from_vector<double>(wv, {3, 3, 2, 2});
  expect_values(ops::conv2d(x, w), {1, 2, 2, 2}, {46, -20, 46, -26, 46, -44, 46, -50});
  expect_values(ops::conv2d(x, w, {2, 2}, "same"), {1, 2, 2, 2},
                {46, -20, -54, 64, -32, -93, -21, 23});
  expect_values(ops::conv2d(x, w, {1}, "SAME", {2}), {1, 4, 4, 2},
                {22, -75, 24, -85, -52, 40, -58, 50, 30, -115, 32, -125, -76, 80, -82, 90,
                 17, -52, 23, -58, -1,  49, -3,  49, 41, -76,  47, -82,  -9,  49, -11, 49});
  // float32 computes the same integers exactly.
  expect_values(ops::conv2d(x.astype(float32), w.astype(float32), {2}, "same"), {1, 2, 2, 2},
                {46, -20, -54, 64, -32, -93, -21, 23});
}

TEST(NnConv2D, MatchesDirectLoopsOverConfigurations) {
  const Tensor x = sample({2, 7, 6, 3}, -1, 1, 11);
  for (auto [kh, kw] : {std::pair{3, 3}, {1, 1}, {2, 3}, {1, 2}})
    for (int64_t s : {1, 2, 3})
      for (int64_t d : {1, 2})
        for (bool same : {false, true}) {
          const Tensor w = sample({kh, kw, 3, 4}, -1, 1, 5);
          const Tensor got = ops::conv2d(x, w, {s, s == 3 ? 1 : s}, same ? "same" : "valid", {d});
          const Tensor want = reference_conv2d(x, w, s, s == 3 ? 1 : s, same, d, d);
          ASSERT_EQ(got.shape(), want.shape()) << kh << "x" << kw << " s" << s << " d" << d;
          const auto g = got.to_vector<double>(), r = want.to_vector<double>();
          for (size_t i = 0; i < g.size(); ++i)
            ASSERT_NEAR(g[i], r[i], 1e-12)
                << kh << "x" << kw << " s" << s << " d" << d << " " << same << " at " << i;
        }
}

// Output sizes from TF's formulas: valid ceil((in - (k-1)d) / s), same ceil(in / s).
TEST(NnConv2D, OutputShapesFollowTensorFlow) {
  const Tensor x = Tensor::zeros({2, 28, 28, 1});
  EXPECT_EQ(ops::conv2d(x, Tensor::zeros({3, 3, 1, 32})).shape(), (Shape{2, 26, 26, 32}));
  EXPECT_EQ(ops::conv2d(x, Tensor::zeros({3, 3, 1, 8}), {2}, "same").shape(),
            (Shape{2, 14, 14, 8}));
  EXPECT_EQ(ops::conv2d(x, Tensor::zeros({5, 5, 1, 8}), {2}).shape(), (Shape{2, 12, 12, 8}));
  EXPECT_EQ(ops::conv2d(x, Tensor::zeros({3, 3, 1, 8}), {1}, "valid", {2}).shape(),
            (Shape{2, 24, 24, 8}));
  EXPECT_EQ(ops::conv2d(x, Tensor::zeros({3, 3, 1, 8}), {1}, "same", {2}).shape(),
            (Shape{2, 28, 28, 8}));
  EXPECT_EQ(ops::conv2d(x, Tensor::zeros({4, 2, 1, 8}), {3, 5}, "same").shape(),
            (Shape{2, 10, 6, 8}));
  EXPECT_EQ(ops::conv2d(x, Tensor::zeros({4, 2, 1, 8}), {3, 5}, "valid").shape(),
            (Shape{2, 9, 6, 8}));
  EXPECT_EQ(ops::conv2d(x, Tensor::zeros({28, 28, 1, 3})).shape(), (Shape{2, 1, 1, 3}));
  EXPECT_EQ(ops::conv_output_length(7, 3, "same", 3), 3);
  EXPECT_EQ(ops::conv_output_length(7, 3, "valid", 3), 2);
  EXPECT_EQ(ops::conv_output_length(10, 3, "valid", 1, 4), 2);
  EXPECT_EQ(ops::conv_output_length(2, 5, "valid", 2), -1);  // Keras: (2 - 5 + 2) // 2
  EXPECT_EQ(ops::conv1d(Tensor::zeros({1, 9, 2}), Tensor::zeros({3, 2, 5}), 2, "causal").shape(),
            (Shape{1, 5, 5}));
}

TEST(NnConv2D, GradientsMatchFiniteDifferences) {
  const Tensor x = sample({2, 5, 6, 3}, -1, 1, 21);
  const Tensor w = sample({3, 2, 3, 2}, -1, 1, 22);
  for (const char* pad : {"valid", "same"})
    for (int64_t s : {1, 2})
      for (int64_t d : {1, 2}) {
        SCOPED_TRACE(std::string(pad) + " s" + std::to_string(s) + " d" + std::to_string(d));
        expect_gradients_match(
            [&](const std::vector<Tensor>& v) { return ops::conv2d(v[0], v[1], {s}, pad, {d}); },
            {x, w});
      }
  // 1x1 stride 1 takes the plain-matmul path.
  expect_gradients_match(
      [](const std::vector<Tensor>& v) { return ops::conv2d(v[0], v[1], {1}, "same"); },
      {x, sample({1, 1, 3, 4}, -1, 1, 23)});
  // 1x1 with stride 2 subsamples through im2col.
  expect_gradients_match(
      [](const std::vector<Tensor>& v) {
        return ops::conv2d(v[0], v[1], {2, 1});
      },
      {x, sample({1, 1, 3, 4}, -1, 1, 24)});
}

// The float32 kernels (sgemm) give the float64 gradients to float32 precision.
TEST(NnConv2D, Float32GradientsAgreeWithFloat64) {
  const Tensor x = sample({2, 6, 5, 3}, -1, 1, 35), w = sample({3, 3, 3, 4}, -1, 1, 36);
  auto grads = [](Tensor xv, Tensor wv) {
    GradientTape tape;
    tape.watch(xv);
    tape.watch(wv);
    Tensor y = ops::conv2d(xv, wv, {2}, "same");
    y = ops::max_pool2d(y, {2}, {1}, "same");
    return tape.gradient(ops::sum(y * y), {xv, wv});
  };
  const auto g64 = grads(x.clone(), w.clone());
  const auto g32 = grads(x.astype(float32), w.astype(float32));
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(g32[i].dtype(), float32);
    const auto a = g64[i].to_vector<double>(), b = g32[i].astype(float64).to_vector<double>();
    for (size_t j = 0; j < a.size(); ++j) EXPECT_NEAR(a[j], b[j], 1e-4) << i << " at " << j;
  }
}

TEST(NnConv2D, KernelOnlyGradientWhenInputIsConstant) {
  const Tensor x = sample({2, 5, 5, 2}, -1, 1, 31);
  Variable w(sample({3, 3, 2, 3}, -1, 1, 32), "kernel");
  GradientTape tape;
  Tensor loss = ops::sum(ops::conv2d(x, w, {1}, "same"));
  const Tensor gw = tape.gradient(loss, std::vector<Variable>{w})[0];
  // d sum(y) / d w[a,b,c,o] = sum over outputs of the tapped input: the same for every o.
  ASSERT_EQ(gw.shape(), (Shape{3, 3, 2, 3}));
  for (int64_t a = 0; a < 3; ++a)
    for (int64_t b = 0; b < 3; ++b)
      for (int64_t c = 0; c < 2; ++c) {
        double want = 0;
        for (int64_t n = 0; n < 2; ++n)
          for (int64_t i = 0; i < 5; ++i)
            for (int64_t j = 0; j < 5; ++j) {
              const int64_t iy = i - 1 + a, ix = j - 1 + b;
              if (iy >= 0 && iy < 5 && ix >= 0 && ix < 5) want += x.at<double>({n, iy, ix, c});
            }
        for (int64_t o = 0; o < 3; ++o) EXPECT_NEAR(gw.at<double>({a, b, c, o}), want, 1e-12);
      }
}

TEST(NnConv2D, EmptyOutputsAndBatchesAreFine) {
  Tensor x = Tensor::ones({1, 4, 4, 2}, float64);
  Tensor w = Tensor::ones({5, 5, 2, 3}, float64);
  GradientTape tape;
  tape.watch(x);
  tape.watch(w);
  const Tensor y = ops::conv2d(x, w, {2});  // TF: (4 - 5 + 2) / 2 = 0
  EXPECT_EQ(y.shape(), (Shape{1, 0, 0, 3}));
  const auto g = tape.gradient(ops::sum(y), {x, w});
  EXPECT_EQ(g[0].to_vector<double>(), std::vector<double>(32, 0.0));
  EXPECT_EQ(g[1].to_vector<double>(), std::vector<double>(150, 0.0));
  EXPECT_EQ(ops::conv2d(Tensor::zeros({0, 4, 4, 2}), Tensor::zeros({3, 3, 2, 3})).shape(),
            (Shape{0, 2, 2, 3}));
  EXPECT_EQ(ops::depthwise_conv2d(Tensor::zeros({0, 4, 4, 2}), Tensor::zeros({3, 3, 2, 3})).shape(),
            (Shape{0, 2, 2, 6}));
}

TEST(NnConv2D, BadArgumentsNameOpAndShapes) {
  const Tensor x = Tensor::zeros({1, 5, 5, 2});
  expect_value_error(
      [&] {
        ops::conv2d(Tensor::zeros({5, 5, 2}), Tensor::zeros({3, 3, 2, 4}));
      },
      {"conv2d", "rank 4", "(5, 5, 2)"});
  expect_value_error(
      [&] {
        ops::conv2d(x, Tensor::zeros({3, 3, 2}));
      },
      {"conv2d", "kernel", "(3, 3, 2)"});
  expect_value_error(
      [&] {
        ops::conv2d(x, Tensor::zeros({3, 3, 3, 4}));
      },
      {"conv2d", "(1, 5, 5, 2)", "(3, 3, 3, 4)"});
  expect_value_error(
      [&] {
        ops::conv2d(x, Tensor::zeros({3, 3, 2, 4}), {0, 1});
      },
      {"conv2d", "strides", "(1, 5, 5, 2)", "(3, 3, 2, 4)"});
  expect_value_error(
      [&] {
        ops::conv2d(x, Tensor::zeros({3, 3, 2, 4}), {1}, "valid", {0});
      },
      {"conv2d", "dilation_rate"});
  expect_value_error(
      [&] {
        ops::conv2d(x, Tensor::zeros({3, 3, 2, 4}), {1, 2, 3});
      },
      {"conv2d", "strides", "(1, 2, 3)"});
  expect_value_error(
      [&] {
        ops::conv2d(x, Tensor::zeros({3, 3, 2, 4}), {1}, "full");
      },
      {"conv2d", "padding", "full"});
  expect_value_error(
      [&] {
        ops::conv2d(x, Tensor::zeros({7, 3, 2, 4}));
      },
      {"conv2d", "negative", "(7, 3, 2, 4)"});
  expect_value_error(
      [&] {
        ops::conv2d(x, Tensor::zeros({3, 3, 2, 4}), {1}, "causal");
      },
      {"conv2d", "padding"});
  EXPECT_THROW(ops::conv2d(x, Tensor::zeros({3, 3, 2, 4}, float64)), TypeError);
  EXPECT_THROW(ops::conv2d(x.astype(int32), Tensor::zeros({3, 3, 2, 4}, int32)), TypeError);
}

TEST(NnConv2D, ConcurrentCallsAgree) {
  const Tensor x = sample({4, 12, 12, 3}, -1, 1, 41).astype(float32);
  const Tensor w = sample({3, 3, 3, 8}, -1, 1, 42).astype(float32);
  const auto want = ops::conv2d(x, w, {1}, "same").to_vector<float>();
  std::vector<std::vector<float>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int r = 0; r < 20; ++r) got[t] = ops::conv2d(x, w, {1}, "same").to_vector<float>();
    });
  for (auto& th : threads) th.join();
  for (const auto& g : got) EXPECT_EQ(g, want);
}

// x1 = arange(1, 11).reshape(1, 5, 2); w1 = [1, -1, 2, 0, -2, 1].reshape(3, 2, 1).
TEST(NnConv1D, ValuesMatchNumpy) {
  const Tensor x = iota({1, 5, 2});
  const Tensor w = Tensor::from_vector<double>({1, -1, 2, 0, -2, 1}, {3, 2, 1});
  expect_values(ops::conv1d(x, w), {1, 3, 1}, {1, 3, 5});
  expect_values(ops::conv1d(x, w, 2, "same"), {1, 3, 1}, {0, 3, 17});
  expect_values(ops::conv1d(x, w, 1, "causal", 2), {1, 5, 1}, {0, -2, -2, 0, 1});
}

TEST(NnConv1D, GradientsMatchFiniteDifferences) {
  const Tensor x = sample({2, 9, 3}, -1, 1, 51);
  const Tensor w = sample({3, 3, 2}, -1, 1, 52);
  for (const char* pad : {"valid", "same", "causal"})
    for (int64_t s : {1, 2})
      for (int64_t d : {1, 2}) {
        SCOPED_TRACE(std::string(pad) + " s" + std::to_string(s) + " d" + std::to_string(d));
        expect_gradients_match(
            [&](const std::vector<Tensor>& v) { return ops::conv1d(v[0], v[1], s, pad, d); },
            {x, w});
      }
}

TEST(NnConv1D, BadArgumentsNameOpAndShapes) {
  expect_value_error(
      [] {
        ops::conv1d(Tensor::zeros({1, 5, 5, 2}), Tensor::zeros({3, 2, 4}));
      },
      {"conv1d", "rank 3", "(1, 5, 5, 2)"});
  expect_value_error(
      [] {
        ops::conv1d(Tensor::zeros({1, 5, 2}), Tensor::zeros({3, 4, 4}));
      },
      {"conv1d", "(1, 5, 2)", "(3, 4, 4)"});
  expect_value_error(
      [] {
        ops::conv1d(Tensor::zeros({1, 5, 2}), Tensor::zeros({3, 2, 4}), 0);
      },
      {"conv1d", "strides", "(1, 5, 2)", "(3, 2, 4)"});
}

// xd = arange(1, 19).reshape(1, 3, 3, 2); wd as below (2, 2, 2, 2); y[..., c*M+m].
TEST(NnDepthwiseConv2D, ValuesMatchNumpy) {
  const Tensor x = iota({1, 3, 3, 2});
  const Tensor w = Tensor::from_vector<double>({1, 2, -1, 0, 0, 1, 1, -1, 2, 0, 0, 1, -1, 1, 1, 0},
                                               {2, 2, 2, 2});
  expect_values(ops::depthwise_conv2d(x, w), {1, 2, 2, 4},
                {6, 14, 12, 4, 10, 22, 14, 4, 18, 38, 18, 4, 22, 46, 20, 4});
  expect_values(ops::depthwise_conv2d(x, w, {1}, "same"), {1, 3, 3, 4},
                {6,  14, 12, 4,  10,  22, 14, 4,  27, 10,  -6, 12, 18, 38,  18, 4,  22,  46,
                 20, 4,  45, 22, -12, 18, 13, 41, 2,  -16, 15, 47, 2,  -18, 17, 34, -18, 0});
}

TEST(NnDepthwiseConv2D, GradientsMatchFiniteDifferences) {
  const Tensor x = sample({2, 6, 5, 3}, -1, 1, 61);
  for (int64_t mult : {1, 2})
    for (const char* pad : {"valid", "same"})
      for (int64_t s : {1, 2})
        for (int64_t d : {1, 2}) {
          SCOPED_TRACE(std::string(pad) + " s" + std::to_string(s) + " d" + std::to_string(d) +
                       " M" + std::to_string(mult));
          const Tensor w = sample({3, 2, 3, mult}, -1, 1, 62);
          expect_gradients_match(
              [&](const std::vector<Tensor>& v) {
                return ops::depthwise_conv2d(v[0], v[1], {s}, pad, {d});
              },
              {x, w});
        }
}

TEST(NnDepthwiseConv2D, BadArgumentsNameOpAndShapes) {
  expect_value_error(
      [] {
        ops::depthwise_conv2d(Tensor::zeros({1, 5, 5, 2}), Tensor::zeros({3, 3, 3, 1}));
      },
      {"depthwise_conv2d", "(1, 5, 5, 2)", "(3, 3, 3, 1)"});
  expect_value_error(
      [] {
        ops::depthwise_conv2d(Tensor::zeros({1, 5, 5, 2}), Tensor::zeros({3, 3, 2}));
      },
      {"depthwise_conv2d", "rank 4", "(3, 3, 2)"});
  expect_value_error(
      [] {
        ops::depthwise_conv2d(Tensor::zeros({1, 5, 5, 2}), Tensor::zeros({3, 3, 2, 1}), {1, 0});
      },
      {"depthwise_conv2d", "strides", "(1, 5, 5, 2)"});
}

// xt = arange(1, 9).reshape(1, 2, 2, 2); wt = arange(24).reshape(3, 2, 2, 2) % 5 - 2
// (kh, kw, out, in); y[n, i*s-pt+a, j*s-pl+b] += wt[a, b] @ xt[n, i, j].
TEST(NnConv2DTranspose, ValuesMatchNumpy) {
  const Tensor x = iota({1, 2, 2, 2});
  std::vector<double> wv(24);
  for (int i = 0; i < 24; ++i) wv[i] = i % 5 - 2;
  const Tensor w = Tensor::from_vector<double>(wv, {3, 2, 2, 2});
  const std::vector<double> valid = {-4, 2,   -2,  -1, -10, 4,  -2,  -3, 5,   -4, 2,   -2,  11, -10,
                                     4,  -2,  -17, 11, -6,  -3, -25, 19, -12, -3, 17,  -16, 6,  -2,
                                     23, -22, 8,   -2, -5,  17, -16, 6,  -7,  23, -22, 8};
  expect_values(ops::conv2d_transpose(x, w, {2}, "valid"), {1, 5, 4, 2}, valid);
  expect_values(ops::conv2d_transpose(x, w, {2}, "same"), {1, 4, 4, 2},
                std::vector<double>(valid.begin(), valid.begin() + 32));
}

TEST(NnConv2DTranspose, IsTheInputGradientOfConv2D) {
  const Tensor w = sample({3, 3, 2, 4}, -1, 1, 71);  // conv2d: 2 -> 4 channels
  const Tensor g = sample({2, 3, 2, 4}, -1, 1, 72);  // grad of a (2, 7, 5, 2) -> (2, 3, 2, 4) conv
  Tensor x = Tensor::zeros({2, 7, 5, 2}, float64);
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::conv2d(x, w, {2}, "valid");
  ASSERT_EQ(y.shape(), g.shape());
  const Tensor dx = tape.gradient(y, {x}, g)[0];
  const Tensor t = ops::conv2d_transpose(g, w, {2}, "valid");
  ASSERT_EQ(t.shape(), x.shape());
  const auto a = dx.to_vector<double>(), b = t.to_vector<double>();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12) << "at " << i;
}

TEST(NnConv2DTranspose, GradientsMatchFiniteDifferences) {
  const Tensor x = sample({2, 3, 4, 3}, -1, 1, 81);
  for (const char* pad : {"valid", "same"})
    for (int64_t s : {1, 2})
      for (int64_t d : {1, 2}) {
        SCOPED_TRACE(std::string(pad) + " s" + std::to_string(s) + " d" + std::to_string(d));
        const Tensor w = sample({3, 2, 2, 3}, -1, 1, 82);
        expect_gradients_match(
            [&](const std::vector<Tensor>& v) {
              return ops::conv2d_transpose(v[0], v[1], {s}, pad, {d});
            },
            {x, w});
      }
  expect_gradients_match(
      [](const std::vector<Tensor>& v) { return ops::conv2d_transpose(v[0], v[1]); },
      {x, sample({1, 1, 2, 3}, -1, 1, 83)});
}
