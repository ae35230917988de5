// keras::random: Philox known answers, determinism of every seed kind, and statistics checked
// against hand-derived moments and CDFs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <set>

#include "keras/core/random.hpp"

namespace keras {
namespace {

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.dtype() == b.dtype() &&
         std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()) == 0;
}

double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double std_of(const std::vector<double>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

// Kolmogorov-Smirnov statistic sqrt(n) * sup|F_n - F|.
template <typename Cdf>
double ks_statistic(std::vector<double> v, Cdf cdf) {
  std::sort(v.begin(), v.end());
  const double n = static_cast<double>(v.size());
  double d = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const double f = cdf(v[i]);
    d = std::max({d, std::abs(f - static_cast<double>(i) / n),
                  std::abs(static_cast<double>(i + 1) / n - f)});
  }
  return d * std::sqrt(n);
}
// 1.95 is the Kolmogorov distribution's 0.1% critical value: a loose, fixed threshold.
constexpr double kKsCritical = 1.95;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(RandomPhilox, Random123KnownAnswers) {
  // Random123's kat_vectors for philox4x32_10 (Salmon et al. 2011).
  EXPECT_EQ(random::philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (random::PhiloxCounter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(random::philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                                  {0xffffffff, 0xffffffff}),
            (random::PhiloxCounter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(random::philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                                  {0xa4093822, 0x299f31d0}),
            (random::PhiloxCounter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(RandomSeeds, IntegerSeedIsStateless) {
  Tensor a = random::uniform({1000}, 0, 1, float32, 42);
  Tensor b = random::uniform({1000}, 0, 1, float32, 42);
  Tensor c = random::uniform({1000}, 0, 1, float32, 43);
  EXPECT_TRUE(same_bits(a, b));
  EXPECT_FALSE(same_bits(a, c));
  EXPECT_TRUE(same_bits(random::normal({7, 3}, 0, 1, float64, 5),
                        random::normal({7, 3}, 0, 1, float64, 5)));
  EXPECT_TRUE(
      same_bits(random::randint({100}, -5, 5, int32, 9), random::randint({100}, -5, 5, int32, 9)));
}

TEST(RandomSeeds, SeedGeneratorAdvancesAndReplays) {
  random::SeedGenerator g1(1337), g2(1337), g3(1338);
  Tensor a1 = random::normal({64}, 0, 1, float32, g1);
  Tensor b1 = random::normal({64}, 0, 1, float32, g1);
  Tensor a2 = random::normal({64}, 0, 1, float32, g2);
  Tensor b2 = random::normal({64}, 0, 1, float32, g2);
  Tensor a3 = random::normal({64}, 0, 1, float32, g3);
  EXPECT_FALSE(same_bits(a1, b1));  // each draw gets a fresh stream
  EXPECT_TRUE(same_bits(a1, a2));
  EXPECT_TRUE(same_bits(b1, b2));
  EXPECT_FALSE(same_bits(a1, a3));
  // Keras's state variable: [seed, number of draws].
  EXPECT_EQ(g1.state(), (std::array<uint32_t, 2>{1337, 2}));
  random::SeedGenerator restored(0);
  restored.set_state({1337, 1});
  EXPECT_TRUE(same_bits(random::normal({64}, 0, 1, float32, restored), b1));
}

TEST(RandomSeeds, SetSeedMakesUnseededCallsDeterministic) {
  random::set_seed(2024);
  Tensor a = random::uniform({50});
  Tensor b = random::uniform({50});
  random::SeedGenerator unseeded;
  Tensor c = random::truncated_normal({50}, 0, 1, float32, unseeded);
  Tensor p = random::permutation(20);
  random::set_seed(2024);
  Tensor a2 = random::uniform({50});
  Tensor b2 = random::uniform({50});
  random::SeedGenerator unseeded2;
  Tensor c2 = random::truncated_normal({50}, 0, 1, float32, unseeded2);
  Tensor p2 = random::permutation(20);
  EXPECT_FALSE(same_bits(a, b));
  EXPECT_TRUE(same_bits(a, a2));
  EXPECT_TRUE(same_bits(b, b2));
  EXPECT_TRUE(same_bits(c, c2));
  EXPECT_TRUE(same_bits(p, p2));
  random::set_seed(2025);
  EXPECT_FALSE(same_bits(random::uniform({50}), a));
}

TEST(RandomUniform, MomentsBoundsAndChiSquare) {
  for (DType dtype : {float32, float64}) {
    const int n = 100000;
    std::vector<double> v = random::uniform({n}, 0, 1, dtype, 7).to_vector<double>();
    EXPECT_GE(*std::min_element(v.begin(), v.end()), 0.0);
    EXPECT_LT(*std::max_element(v.begin(), v.end()), 1.0);
    // U(0,1): mean 1/2, standard deviation 1/sqrt(12) = 0.288675.
    EXPECT_NEAR(mean_of(v), 0.5, 0.005);
    EXPECT_NEAR(std_of(v), 0.288675, 0.003);
    // Pearson chi-square over 100 equal bins: 99 degrees of freedom, 0.1% critical value 148.2.
    std::vector<int> bins(100, 0);
    for (double x : v) ++bins[static_cast<size_t>(x * 100)];
    double chi2 = 0;
    for (int count : bins) chi2 += (count - n / 100.0) * (count - n / 100.0) / (n / 100.0);
    EXPECT_LT(chi2, 148.2) << dtype_name(dtype);
    EXPECT_LT(ks_statistic(v, [](double x) { return x; }), kKsCritical);
  }
  std::vector<double> w = random::uniform({20000}, -3, 5, float32, 8).to_vector<double>();
  EXPECT_GE(*std::min_element(w.begin(), w.end()), -3.0);
  EXPECT_LT(*std::max_element(w.begin(), w.end()), 5.0);
  EXPECT_NEAR(mean_of(w), 1.0, 0.05);
}

TEST(RandomNormal, MomentsAndKolmogorovSmirnov) {
  for (DType dtype : {float32, float64}) {
    std::vector<double> v = random::normal({100000}, 0, 1, dtype, 11).to_vector<double>();
    EXPECT_NEAR(mean_of(v), 0.0, 0.01);
    EXPECT_NEAR(std_of(v), 1.0, 0.01);
    EXPECT_LT(ks_statistic(v, normal_cdf), kKsCritical) << dtype_name(dtype);
  }
  std::vector<double> s = random::normal({100000}, 3, 0.5, float32, 12).to_vector<double>();
  EXPECT_NEAR(mean_of(s), 3.0, 0.01);
  EXPECT_NEAR(std_of(s), 0.5, 0.005);
}

TEST(RandomTruncatedNormal, BoundsMomentsAndKolmogorovSmirnov) {
  // Standard normal truncated to (-2, 2): Z = Phi(2) - Phi(-2), variance 1 - 2*2*phi(2)/Z.
  const double z = normal_cdf(2) - normal_cdf(-2);
  const double phi2 = std::exp(-2.0) / std::sqrt(2 * M_PI);
  const double expected_std = std::sqrt(1 - 4 * phi2 / z);  // 0.87962
  for (DType dtype : {float32, float64}) {
    std::vector<double> v =
        random::truncated_normal({100000}, 1.0, 2.0, dtype, 13).to_vector<double>();
    for (double x : v) ASSERT_LT(std::abs(x - 1.0), 4.0 + 1e-6);
    EXPECT_NEAR(mean_of(v), 1.0, 0.02);
    EXPECT_NEAR(std_of(v), 2.0 * expected_std, 0.02);
    auto cdf = [&](double x) { return (normal_cdf((x - 1.0) / 2.0) - normal_cdf(-2)) / z; };
    EXPECT_LT(ks_statistic(v, cdf), kKsCritical) << dtype_name(dtype);
  }
}

TEST(RandomRandint, RangeUniformityAndDtypes) {
  Tensor t = random::randint({60000}, -3, 7, int32, 21);
  EXPECT_EQ(t.dtype(), int32);
  std::vector<int> counts(10, 0);
  for (int32_t x : t.to_vector<int32_t>()) {
    ASSERT_GE(x, -3);
    ASSERT_LT(x, 7);
    ++counts[static_cast<size_t>(x + 3)];
  }
  double chi2 = 0;
  for (int c : counts) chi2 += (c - 6000.0) * (c - 6000.0) / 6000.0;
  EXPECT_LT(chi2, 27.88);  // 9 degrees of freedom, 0.1% critical value
  std::vector<uint8_t> u = random::randint({5000}, 0, 256, uint8, 3).to_vector<uint8_t>();
  EXPECT_EQ(*std::max_element(u.begin(), u.end()), 255);
  EXPECT_EQ(*std::min_element(u.begin(), u.end()), 0);
  Tensor big = random::randint({1000}, INT64_MIN, INT64_MAX, int64, 4);
  EXPECT_EQ(std::set<int64_t>(big.data<int64_t>(), big.data<int64_t>() + 1000).size(), 1000u);
  EXPECT_THROW(random::randint({3}, 0, 300, uint8), ValueError);
  EXPECT_THROW(random::randint({3}, 5, 5, int32), ValueError);
  EXPECT_THROW(random::randint({3}, 0, 5, float32), TypeError);
}

TEST(RandomPermutation, IsAPermutationAndShuffleMovesRows) {
  Tensor p = random::permutation(1000, 5);
  std::vector<int64_t> v = p.to_vector<int64_t>();
  std::vector<int64_t> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i], i);
  EXPECT_NE(v, sorted);
  // Every position equally likely: position of 0 over many seeds lands in each half ~equally.
  int first_half = 0;
  for (int s = 0; s < 400; ++s) {
    std::vector<int64_t> q = random::permutation(10, s).to_vector<int64_t>();
    first_half += std::find(q.begin(), q.end(), 0) - q.begin() < 5;
  }
  EXPECT_NEAR(first_half, 200, 45);

  Tensor x = Tensor::arange(0.0, 12.0, 1.0, float32).reshape({6, 2});
  Tensor y = random::shuffle(x, 77);
  EXPECT_EQ(y.shape(), x.shape());
  std::vector<float> yv = y.to_vector<float>();
  std::set<float> firsts;
  for (int r = 0; r < 6; ++r) {
    EXPECT_EQ(yv[2 * r + 1], yv[2 * r] + 1);  // rows move whole
    firsts.insert(yv[2 * r]);
  }
  EXPECT_EQ(firsts, (std::set<float>{0, 2, 4, 6, 8, 10}));
  Tensor s = random::shuffle(Tensor::from_strings({"a", "b", "c"}), 1);
  std::vector<std::string> sv = s.to_vector<std::string>();
  std::sort(sv.begin(), sv.end());
  EXPECT_EQ(sv, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(RandomDtypes, NarrowFloatsAndErrors) {
  EXPECT_EQ(random::uniform({4}, 0, 1, float16, 1).dtype(), float16);
  EXPECT_EQ(random::normal({4}, 0, 1, bfloat16, 1).dtype(), bfloat16);
  EXPECT_EQ(random::uniform({0, 3}, 0, 1, float32, 1).size(), 0);
  EXPECT_THROW(random::uniform({4}, 0, 1, int32), TypeError);
  EXPECT_THROW(random::normal({-1}), ValueError);
  EXPECT_THROW(random::uniform({2}, 1, 0), ValueError);
  EXPECT_THROW(random::permutation(-1), ValueError);
  EXPECT_THROW(random::shuffle(Tensor::scalar(1)), ValueError);
}

}  // namespace
}  // namespace keras
