// The first steps of every optimizer against its update rule evaluated here in double precision,
// written from Keras 3's keras/src/optimizers/*.py (update_step), independently of the library.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "keras/keras.hpp"
#include "keras/optimizers/optimizers.hpp"

namespace keras::optimizers {
namespace {

// 11 elements: one full SIMD pack of float32 (8) or two of float64 (4) plus a scalar tail.
constexpr int kN = 11;

std::vector<double> initial_values() {
  std::vector<double> w(kN);
  for (int i = 0; i < kN; ++i) w[i] = 0.3 * i - 1.4;
  return w;
}

// A different gradient per step, with both signs and a zero.
std::vector<double> gradient(int step) {
  std::vector<double> g(kN);
  for (int i = 0; i < kN; ++i) g[i] = std::sin(1.7 * i + 0.9 * step) * (1.0 + 0.5 * step);
  g[3] = 0.0;
  return g;
}

Tensor to_tensor(const std::vector<double>& v, DType dtype) {
  return Tensor::from_vector(v).astype(dtype);
}

// A reference rule: updates w (and its own state) in place for 1-based step t.
using Rule = std::function<void(std::vector<double>& w, const std::vector<double>& g, int t)>;

// Runs three steps of `opt` and `rule` side by side, comparing the variable after each.
void expect_matches(Optimizer& opt, const Rule& rule, DType dtype) {
  std::vector<double> w = initial_values();
  Variable var(to_tensor(w, dtype), "kernel");
  var.set_path("dense/kernel");
  const double tol = dtype == DType::float64 ? 1e-12 : 2e-6;
  for (int t = 1; t <= 3; ++t) {
    const auto g = gradient(t);
    opt.apply({to_tensor(g, dtype)}, {var});
    rule(w, g, t);
    const auto got = var.value().to_vector<double>();
    for (int i = 0; i < kN; ++i)
      EXPECT_NEAR(got[i], w[i], tol * std::max(1.0, std::fabs(w[i])))
          << opt.class_name() << " step " << t << " element " << i << " dtype " << dtype;
  }
  EXPECT_EQ(opt.iterations().value().item<int64_t>(), 3);
}

// Runs the same check in float32 and float64 on fresh optimizers from `make`.
template <typename Make, typename MakeRule>
void check_both_dtypes(Make make, MakeRule make_rule) {
  for (DType dtype : {DType::float64, DType::float32}) {
    auto opt = make();
    expect_matches(opt, make_rule(), dtype);
  }
}

TEST(OptimizerUpdateRules, SgdPlain) {
  check_both_dtypes([] { return SGD({.learning_rate = 0.25}); },
                    [] {
                      return Rule([](std::vector<double>& w, const std::vector<double>& g, int) {
                        for (int i = 0; i < kN; ++i) w[i] -= g[i] * 0.25;
                      });
                    });
}

TEST(OptimizerUpdateRules, SgdMomentumAndNesterov) {
  for (bool nesterov : {false, true}) {
    check_both_dtypes(
        [&] { return SGD({.learning_rate = 0.25, .momentum = 0.75, .nesterov = nesterov}); },
        [&] {
          auto m = std::make_shared<std::vector<double>>(kN, 0.0);
          return Rule([m, nesterov](std::vector<double>& w, const std::vector<double>& g, int) {
            for (int i = 0; i < kN; ++i) {
              (*m)[i] = (*m)[i] * 0.75 - g[i] * 0.25;
              w[i] += nesterov ? (*m)[i] * 0.75 - g[i] * 0.25 : (*m)[i];
            }
          });
        });
  }
}

Rule adam_rule(double lr, double b1, double b2, double eps, bool amsgrad) {
  auto m = std::make_shared<std::vector<double>>(kN, 0.0);
  auto v = std::make_shared<std::vector<double>>(kN, 0.0);
  auto vh = std::make_shared<std::vector<double>>(kN, 0.0);
  return [=](std::vector<double>& w, const std::vector<double>& g, int t) {
    const double alpha = lr * std::sqrt(1 - std::pow(b2, t)) / (1 - std::pow(b1, t));
    for (int i = 0; i < kN; ++i) {
      (*m)[i] += (g[i] - (*m)[i]) * (1 - b1);
      (*v)[i] += (g[i] * g[i] - (*v)[i]) * (1 - b2);
      double vi = (*v)[i];
      if (amsgrad) {
        (*vh)[i] = std::max((*vh)[i], (*v)[i]);
        vi = (*vh)[i];
      }
      w[i] -= (*m)[i] * alpha / (std::sqrt(vi) + eps);
    }
  };
}

TEST(OptimizerUpdateRules, Adam) {
  check_both_dtypes([] { return Adam({.learning_rate = 0.125, .beta_1 = 0.8, .epsilon = 1e-3}); },
                    [] { return adam_rule(0.125, 0.8, 0.999, 1e-3, false); });
  check_both_dtypes([] { return Adam({.learning_rate = 0.125}); },
                    [] { return adam_rule(0.125, 0.9, 0.999, 1e-7, false); });
}

TEST(OptimizerUpdateRules, AdamAmsgrad) {
  check_both_dtypes([] { return Adam({.learning_rate = 0.125, .amsgrad = true}); },
                    [] { return adam_rule(0.125, 0.9, 0.999, 1e-7, true); });
}

TEST(OptimizerUpdateRules, AdamWDecaysBeforeTheAdamStep) {
  check_both_dtypes(
      [] { return AdamW({.learning_rate = 0.125, .weight_decay = 0.5}); },
      [] {
        Rule adam = adam_rule(0.125, 0.9, 0.999, 1e-7, false);
        return Rule([adam](std::vector<double>& w, const std::vector<double>& g, int t) {
          // BaseOptimizer._apply_weight_decay: var - var * wd * lr, then the step.
          for (auto& x : w) x = x - x * 0.5 * 0.125;
          adam(w, g, t);
        });
      });
}

TEST(OptimizerUpdateRules, RMSpropAllVariants) {
  for (double momentum : {0.0, 0.5}) {
    for (bool centered : {false, true}) {
      check_both_dtypes(
          [&] {
            return RMSprop({.learning_rate = 0.0625,
                            .rho = 0.8,
                            .momentum = momentum,
                            .epsilon = 1e-4,
                            .centered = centered});
          },
          [&] {
            auto vel = std::make_shared<std::vector<double>>(kN, 0.0);
            auto mom = std::make_shared<std::vector<double>>(kN, 0.0);
            auto avg = std::make_shared<std::vector<double>>(kN, 0.0);
            return Rule([=](std::vector<double>& w, const std::vector<double>& g, int) {
              const double rho = 0.8, lr = 0.0625, eps = 1e-4;
              for (int i = 0; i < kN; ++i) {
                (*vel)[i] = rho * (*vel)[i] + (1 - rho) * g[i] * g[i];
                double denominator = (*vel)[i] + eps;
                if (centered) {
                  (*avg)[i] = rho * (*avg)[i] + (1 - rho) * g[i];
                  denominator = (*vel)[i] - (*avg)[i] * (*avg)[i] + eps;
                }
                const double increment = lr * g[i] / std::sqrt(denominator);
                if (momentum > 0) {
                  (*mom)[i] = momentum * (*mom)[i] + increment;
                  w[i] -= (*mom)[i];
                } else {
                  w[i] -= increment;
                }
              }
            });
          });
    }
  }
}

TEST(OptimizerUpdateRules, Adagrad) {
  check_both_dtypes([] { return Adagrad({.learning_rate = 0.25}); },
                    [] {
                      auto acc = std::make_shared<std::vector<double>>(kN, 0.1);
                      return Rule([acc](std::vector<double>& w, const std::vector<double>& g, int) {
                        for (int i = 0; i < kN; ++i) {
                          (*acc)[i] += g[i] * g[i];
                          w[i] -= 0.25 * g[i] / std::sqrt((*acc)[i] + 1e-7);
                        }
                      });
                    });
}

TEST(OptimizerUpdateRules, Adadelta) {
  check_both_dtypes([] { return Adadelta({.learning_rate = 0.5, .rho = 0.9, .epsilon = 1e-3}); },
                    [] {
                      auto ag = std::make_shared<std::vector<double>>(kN, 0.0);
                      auto ad = std::make_shared<std::vector<double>>(kN, 0.0);
                      return Rule([=](std::vector<double>& w, const std::vector<double>& g, int) {
                        const double rho = 0.9, eps = 1e-3;
                        auto rms = [&](double x) { return std::sqrt(x + eps); };
                        for (int i = 0; i < kN; ++i) {
                          (*ag)[i] = rho * (*ag)[i] + (1 - rho) * g[i] * g[i];
                          const double delta = -(rms((*ad)[i]) * g[i]) / rms((*ag)[i]);
                          (*ad)[i] = rho * (*ad)[i] + (1 - rho) * delta * delta;
                          w[i] += 0.5 * delta;
                        }
                      });
                    });
}

TEST(OptimizerUpdateRules, Adamax) {
  check_both_dtypes([] { return Adamax({.learning_rate = 0.125}); },
                    [] {
                      auto m = std::make_shared<std::vector<double>>(kN, 0.0);
                      auto u = std::make_shared<std::vector<double>>(kN, 0.0);
                      return Rule([=](std::vector<double>& w, const std::vector<double>& g, int t) {
                        const double b1 = 0.9, b2 = 0.999, eps = 1e-7;
                        for (int i = 0; i < kN; ++i) {
                          (*m)[i] += (g[i] - (*m)[i]) * (1 - b1);
                          (*u)[i] = std::max(b2 * (*u)[i], std::fabs(g[i]));
                          w[i] -= 0.125 * (*m)[i] / ((1 - std::pow(b1, t)) * ((*u)[i] + eps));
                        }
                      });
                    });
}

TEST(OptimizerUpdateRules, Nadam) {
  check_both_dtypes([] { return Nadam({.learning_rate = 0.125}); },
                    [] {
                      auto m = std::make_shared<std::vector<double>>(kN, 0.0);
                      auto v = std::make_shared<std::vector<double>>(kN, 0.0);
                      auto u_product = std::make_shared<double>(1.0);
                      return Rule([=](std::vector<double>& w, const std::vector<double>& g, int t) {
                        const double b1 = 0.9, b2 = 0.999, eps = 1e-7, lr = 0.125;
                        // Nadam._backend_update_step, once per step.
                        *u_product *= b1 * (1.0 - 0.5 * std::pow(0.96, t));
                        const double u_t = b1 * (1.0 - 0.5 * std::pow(0.96, t));
                        const double u_t_1 = b1 * (1.0 - 0.5 * std::pow(0.96, t + 1));
                        const double u_product_t_1 = *u_product * u_t_1;
                        for (int i = 0; i < kN; ++i) {
                          (*m)[i] += (g[i] - (*m)[i]) * (1 - b1);
                          (*v)[i] += (g[i] * g[i] - (*v)[i]) * (1 - b2);
                          const double m_hat = u_t_1 * (*m)[i] / (1 - u_product_t_1) +
                                               (1 - u_t) * g[i] / (1 - *u_product);
                          const double v_hat = (*v)[i] / (1 - std::pow(b2, t));
                          w[i] -= m_hat * lr / (std::sqrt(v_hat) + eps);
                        }
                      });
                    });
}

TEST(OptimizerUpdateRules, NadamUProductIsTheLastVariable) {
  Nadam opt;
  Variable var(Tensor::ones({2}), "kernel");
  for (int t = 1; t <= 2; ++t) opt.apply({Tensor::ones({2})}, {var});
  const auto vars = opt.variables();
  ASSERT_EQ(vars.size(), 5u);
  EXPECT_EQ(vars.back().shape(), Shape{});
  const double expected = 0.9 * (1 - 0.5 * 0.96) * 0.9 * (1 - 0.5 * 0.96 * 0.96);
  EXPECT_NEAR(vars.back().value().item<double>(), expected, 1e-7);
}

TEST(OptimizerUpdateRules, ScheduleGivesEachStepItsLearningRate) {
  // ExponentialDecay(1, 1, 0.5): the step applied at iterations = k uses 0.5^k.
  SGD opt({.learning_rate = schedules::ExponentialDecay(1.0, 1, 0.5)});
  Variable var(Tensor::zeros({1}, DType::float64), "w");
  std::vector<double> expected = {-1.0, -1.5, -1.75};
  for (int t = 0; t < 3; ++t) {
    EXPECT_DOUBLE_EQ(opt.learning_rate(), std::pow(0.5, t));
    opt.apply({Tensor::ones({1}, DType::float64)}, {var});
    EXPECT_DOUBLE_EQ(var.value().item<double>(), expected[t]);
  }
}

// Minimises sum((w - c)^2) with gradients from the tape.
double minimise(Optimizer& opt, int steps) {
  const Tensor c = Tensor::from_vector(std::vector<double>{1.5, -2.0, 0.5, 3.0});
  Variable w(Tensor::zeros({4}, DType::float64), "w");
  for (int s = 0; s < steps; ++s) {
    GradientTape tape;
    Tensor loss = ops::sum(ops::square(ops::subtract(w, c)));
    tape.stop_recording();
    opt.apply(tape.gradient(loss, std::vector<Variable>{w}), {w});
  }
  double worst = 0.0;
  const auto got = w.value().to_vector<double>();
  const auto want = c.to_vector<double>();
  for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::fabs(got[i] - want[i]));
  return worst;
}

TEST(OptimizerUpdateRules, EveryOptimizerMinimisesAQuadratic) {
  SGD sgd({.learning_rate = 0.1});
  EXPECT_LT(minimise(sgd, 200), 1e-3);
  SGD nesterov({.learning_rate = 0.05, .momentum = 0.9, .nesterov = true});
  EXPECT_LT(minimise(nesterov, 300), 1e-3);
  Adam adam({.learning_rate = 0.05});
  EXPECT_LT(minimise(adam, 1500), 1e-2);
  Adam amsgrad({.learning_rate = 0.05, .amsgrad = true});
  EXPECT_LT(minimise(amsgrad, 1500), 1e-2);
  AdamW adamw({.learning_rate = 0.05, .weight_decay = 1e-4});
  EXPECT_LT(minimise(adamw, 1500), 1e-2);
  RMSprop rmsprop({.learning_rate = 0.01, .momentum = 0.5, .centered = true});
  EXPECT_LT(minimise(rmsprop, 2000), 2e-2);
  Adagrad adagrad({.learning_rate = 0.5});
  EXPECT_LT(minimise(adagrad, 1000), 1e-2);
  Adamax adamax({.learning_rate = 0.05});
  EXPECT_LT(minimise(adamax, 1500), 1e-2);
  Nadam nadam({.learning_rate = 0.05});
  EXPECT_LT(minimise(nadam, 1500), 1e-2);
  Adadelta adadelta({.learning_rate = 1.0, .rho = 0.9, .epsilon = 1e-3});
  EXPECT_LT(minimise(adadelta, 3000), 5e-2);
}

}  // namespace
}  // namespace keras::optimizers
