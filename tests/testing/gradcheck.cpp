#include "testing/gradcheck.hpp"

#include <cmath>
#include <cstring>

namespace keras::testing {

Tensor sample(const Shape& shape, double lo, double hi, uint64_t seed) {
  Tensor t = Tensor::empty(shape, float64);
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
  double* p = t.data<double>();
  for (int64_t i = 0; i < t.size(); ++i) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    p[i] = lo + (hi - lo) * static_cast<double>(s >> 11) / 9007199254740992.0;
  }
  return t;
}

namespace {

double weighted_sum(const Tensor& y, const Tensor& w) {
  const double* py = y.data<double>();
  const double* pw = w.data<double>();
  double acc = 0;
  for (int64_t i = 0; i < y.size(); ++i) acc += py[i] * pw[i];
  return acc;
}

}  // namespace

void expect_gradients_match(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                            std::vector<Tensor> inputs, double eps, double tol) {
  for (auto& x : inputs) ASSERT_EQ(x.dtype(), float64) << "gradcheck inputs must be float64";
  Tensor y0 = f(inputs);
  ASSERT_EQ(y0.dtype(), float64);
  const Tensor w = sample(y0.shape(), 0.5, 1.5, 7);

  std::vector<Tensor> analytic;
  {
    std::vector<Tensor> watched;
    for (auto& x : inputs) watched.push_back(x.clone());
    GradientTape tape;
    for (auto& x : watched) tape.watch(x);
    Tensor loss = ops::sum(ops::multiply(f(watched), w));
    analytic = tape.gradient(loss, watched);
  }
  for (size_t k = 0; k < inputs.size(); ++k) {
    ASSERT_TRUE(analytic[k].defined()) << "no gradient for input " << k;
    ASSERT_EQ(analytic[k].shape(), inputs[k].shape()) << "gradient shape of input " << k;
    Tensor x = inputs[k].clone();
    std::vector<Tensor> args = inputs;
    args[k] = x;
    double* px = x.data<double>();
    const Tensor ga = analytic[k].astype(float64);
    double worst = 0;
    int64_t worst_i = -1;
    double worst_num = 0, worst_an = 0;
    for (int64_t i = 0; i < x.size(); ++i) {
      const double orig = px[i];
      px[i] = orig + eps;
      const double fp = weighted_sum(f(args), w);
      px[i] = orig - eps;
      const double fm = weighted_sum(f(args), w);
      px[i] = orig;
      const double numeric = (fp - fm) / (2 * eps);
      const double an = ga.data<double>()[i];
      const double err = std::abs(numeric - an) / std::max(1.0, std::abs(numeric));
      if (err > worst) {
        worst = err;
        worst_i = i;
        worst_num = numeric;
        worst_an = an;
      }
    }
    EXPECT_LE(worst, tol) << "input " << k << " element " << worst_i << ": analytic " << worst_an
                          << " vs numeric " << worst_num;
  }
}

}  // namespace keras::testing
