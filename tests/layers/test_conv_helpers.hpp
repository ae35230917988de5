// Shared helpers of the convolution / pooling / normalization layer tests.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "keras/layers/layer.hpp"
#include "testing/gradcheck.hpp"
#include "testing/tfjs.hpp"

namespace keras::testing {

// A float32 tensor with values in [lo, hi) from a fixed sequence.
inline Tensor sample32(const Shape& shape, uint64_t seed, double lo = -1.0, double hi = 1.0) {
  return sample(shape, lo, hi, seed).astype(float32);
}

inline std::vector<std::string> config_keys(const json& c) {
  std::vector<std::string> keys;
  for (auto it = c.begin(); it != c.end(); ++it) keys.push_back(it.key());
  return keys;
}

// get_config() -> apply_config() on a fresh layer of the same class -> the same config.
template <typename L>
void expect_config_round_trip(L& layer, L fresh) {
  const json c = layer.get_config();
  fresh.apply_config(c);
  EXPECT_EQ(fresh.get_config(), c);
}

// Runs `fn` and checks it throws ValueError whose message contains every fragment.
template <typename Fn>
void expect_value_error(Fn&& fn, const std::vector<std::string>& fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected a ValueError containing '" << fragments.front() << "'";
  } catch (const ValueError& e) {
    const std::string msg = e.what();
    for (const auto& f : fragments)
      EXPECT_NE(msg.find(f), std::string::npos) << "'" << f << "' not in: " << msg;
  }
}

// Central finite differences of sum(layer(x, training) * w) wrt x and every trainable weight of a
// float64 layer, compared with tape.gradient (relative error against max(1, |numeric|)).
inline void expect_layer_gradients_match(layers::Layer& layer, const Tensor& x_in,
                                         bool training = false, double eps = 1e-6,
                                         double tol = 1e-6) {
  ASSERT_EQ(x_in.dtype(), float64);
  Tensor x = x_in.clone();
  const Tensor y0 = layer(x, training);
  ASSERT_EQ(y0.dtype(), float64);
  const Tensor w = sample(y0.shape(), 0.5, 1.5, 7);
  const std::vector<Variable> vars = layer.trainable_weights();

  Tensor dx;
  std::vector<Tensor> dvars;
  {
    Tensor xw = x.clone();
    GradientTape tape;
    tape.watch(xw);
    Tensor loss = ops::sum(ops::multiply(layer(xw, training), w));
    dx = tape.gradient(loss, xw);
    if (!vars.empty()) dvars = tape.gradient(loss, vars);
  }
  auto loss_now = [&]() {
    autograd::NoGradGuard guard;
    const Tensor y = layer(x, training);
    const double* py = y.data<double>();
    const double* pw = w.data<double>();
    double acc = 0;
    for (int64_t i = 0; i < y.size(); ++i) acc += py[i] * pw[i];
    return acc;
  };
  auto check = [&](const std::string& what, const Tensor& analytic, auto&& get, auto&& set) {
    ASSERT_TRUE(analytic.defined()) << "no gradient for " << what;
    const Tensor ga = analytic.astype(float64);
    double worst = 0, worst_num = 0, worst_an = 0;
    int64_t worst_i = -1;
    for (int64_t i = 0; i < ga.size(); ++i) {
      const double orig = get(i);
      set(i, orig + eps);
      const double fp = loss_now();
      set(i, orig - eps);
      const double fm = loss_now();
      set(i, orig);
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
    EXPECT_LE(worst, tol) << layer.name() << " " << what << " element " << worst_i << ": analytic "
                          << worst_an << " vs numeric " << worst_num;
  };
  ASSERT_EQ(dx.shape(), x.shape());
  check(
      "input", dx, [&](int64_t i) { return x.data<double>()[i]; },
      [&](int64_t i, double v) { x.data<double>()[i] = v; });
  for (size_t k = 0; k < vars.size(); ++k) {
    Variable v = vars[k];
    ASSERT_EQ(dvars[k].shape(), v.shape()) << v.name();
    check(
        "weight " + v.name(), dvars[k],
        [&](int64_t i) { return v.value().template to_vector<double>()[i]; },
        [&](int64_t i, double value) {
          Tensor t = v.value().clone();
          t.data<double>()[i] = value;
          v.assign(t);
        });
  }
}

}  // namespace keras::testing
