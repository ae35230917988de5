// Optimizer base behaviour: Keras 3's variable names and order, clipping, weight decay, loss
// scaling, gradient accumulation, EMA, errors, get()/deserialize() and config round trips.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keras/keras.hpp"
#include "keras/optimizers/optimizers.hpp"

namespace keras::optimizers {
namespace {

// A Dense layer's two variables, with Keras 3 paths.
struct Model2 {
  Variable kernel, bias;
  Model2() {
    kernel = Variable(Tensor::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3}), "kernel");
    kernel.set_path("dense/kernel");
    bias = Variable(Tensor::from_vector(std::vector<float>{0.5f, -0.5f, 1}), "bias");
    bias.set_path("dense/bias");
  }
  std::vector<Variable> vars() const { return {kernel, bias}; }
};

std::vector<std::string> names(const Optimizer& opt) {
  std::vector<std::string> out;
  for (const auto& v : opt.variables()) out.push_back(v.name());
  return out;
}

using Names = std::vector<std::string>;

TEST(OptimizerVariables, KerasNamesAndOrder) {
  Model2 m;
  Adam adam;
  adam.build(m.vars());
  EXPECT_EQ(names(adam),
            (Names{"iteration", "learning_rate", "dense_kernel_momentum", "dense_kernel_velocity",
                   "dense_bias_momentum", "dense_bias_velocity"}));
  // Paths are under the optimizer's name scope (Keras 3.13's `adam/dense_kernel_momentum`).
  EXPECT_EQ(adam.variables()[0].path(), "adam/iteration");
  EXPECT_EQ(adam.variables()[2].path(), "adam/dense_kernel_momentum");
  EXPECT_EQ(adam.variables()[0].dtype(), DType::int64);
  EXPECT_EQ(adam.variables()[0].shape(), Shape{});
  EXPECT_EQ(adam.variables()[1].dtype(), DType::float32);
  EXPECT_EQ(adam.variables()[2].shape(), (Shape{2, 3}));
  EXPECT_EQ(adam.variables()[4].shape(), (Shape{3}));
  for (const auto& v : adam.variables()) EXPECT_FALSE(v.trainable());

  Adam ams({.amsgrad = true});
  ams.build(m.vars());
  EXPECT_EQ(names(ams),
            (Names{"iteration", "learning_rate", "dense_kernel_momentum", "dense_kernel_velocity",
                   "dense_bias_momentum", "dense_bias_velocity", "dense_kernel_velocity_hat",
                   "dense_bias_velocity_hat"}));

  SGD sgd;
  sgd.build(m.vars());
  EXPECT_EQ(names(sgd), (Names{"iteration", "learning_rate"}));
  SGD sgd_m({.momentum = 0.9});
  sgd_m.build(m.vars());
  EXPECT_EQ(names(sgd_m),
            (Names{"iteration", "learning_rate", "dense_kernel_momentum", "dense_bias_momentum"}));
  EXPECT_EQ(sgd_m.variables()[0].path(), "SGD/iteration");

  RMSprop rms({.momentum = 0.5, .centered = true});
  rms.build(m.vars());
  EXPECT_EQ(names(rms),
            (Names{"iteration", "learning_rate", "dense_kernel_velocity", "dense_bias_velocity",
                   "dense_kernel_momentum", "dense_bias_momentum", "dense_kernel_average_gradient",
                   "dense_bias_average_gradient"}));

  Adagrad adagrad;
  adagrad.build(m.vars());
  EXPECT_EQ(names(adagrad), (Names{"iteration", "learning_rate", "dense_kernel_accumulator",
                                   "dense_bias_accumulator"}));
  for (double x : adagrad.variables()[2].value().to_vector<double>()) EXPECT_NEAR(x, 0.1, 1e-8);

  Adadelta adadelta;
  adadelta.build(m.vars());
  EXPECT_EQ(names(adadelta),
            (Names{"iteration", "learning_rate", "dense_kernel_accumulated_grad",
                   "dense_kernel_accumulated_delta_var", "dense_bias_accumulated_grad",
                   "dense_bias_accumulated_delta_var"}));

  Adamax adamax;
  adamax.build(m.vars());
  EXPECT_EQ(names(adamax), (Names{"iteration", "learning_rate", "dense_kernel_momentum",
                                  "dense_kernel_norm", "dense_bias_momentum", "dense_bias_norm"}));

  Nadam nadam;
  nadam.build(m.vars());
  EXPECT_EQ(names(nadam),
            (Names{"iteration", "learning_rate", "dense_kernel_momentum", "dense_kernel_velocity",
                   "dense_bias_momentum", "dense_bias_velocity", "variable"}));
  EXPECT_EQ(nadam.variables().back().value().item<double>(), 1.0);

  // A schedule replaces the learning_rate variable.
  Adam scheduled({.learning_rate = schedules::ExponentialDecay(0.1, 10, 0.9)});
  scheduled.build(m.vars());
  EXPECT_EQ(names(scheduled).size(), 5u);
  EXPECT_EQ(names(scheduled)[1], "dense_kernel_momentum");
  EXPECT_EQ(scheduled.own_variables().size(), 5u);
}

TEST(OptimizerVariables, EmaAndAccumulatorsComeBeforeTheSlots) {
  Model2 m;
  Adam adam({.use_ema = true, .gradient_accumulation_steps = 2});
  adam.build(m.vars());
  EXPECT_EQ(names(adam),
            (Names{"iteration", "learning_rate", "dense_kernel_average", "dense_bias_average",
                   "dense_kernel_gradient_accumulator", "dense_bias_gradient_accumulator",
                   "dense_kernel_momentum", "dense_kernel_velocity", "dense_bias_momentum",
                   "dense_bias_velocity"}));
}

TEST(OptimizerVariables, LearningRateIsAFloat32Variable) {
  Adam adam;
  EXPECT_EQ(adam.learning_rate(), static_cast<double>(0.001f));
  adam.set_learning_rate(0.25);
  EXPECT_EQ(adam.learning_rate(), 0.25);
  EXPECT_EQ(adam.variables()[1].value().item<float>(), 0.25f);
  SGD scheduled({.learning_rate = schedules::InverseTimeDecay(1.0, 1, 1.0)});
  EXPECT_THROW(scheduled.set_learning_rate(0.1), ValueError);
}

// ---------------------------------------------------------------- clipping and decay

// SGD with lr 1 moves each variable by exactly minus the processed gradient.
std::vector<double> step_delta(SGD& opt, std::vector<std::vector<double>> grads) {
  std::vector<Variable> vars;
  std::vector<Tensor> g;
  for (const auto& gi : grads) {
    vars.emplace_back(Tensor::zeros({static_cast<int64_t>(gi.size())}, DType::float64), "w");
    g.push_back(Tensor::from_vector(gi));
  }
  opt.apply(g, vars);
  std::vector<double> out;
  for (const auto& v : vars)
    for (double x : v.value().to_vector<double>()) out.push_back(-x);
  return out;
}

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << i;
}

TEST(OptimizerClipping, ClipnormIsPerTensor) {
  SGD opt({.learning_rate = 1.0, .clipnorm = 1.0});
  // |(3, 4)| = 5 -> scaled to norm 1; (0.1, 0) is under the limit and unchanged.
  expect_near_all(step_delta(opt, {{3, 4}, {0.1, 0}}), {0.6, 0.8, 0.1, 0.0});
}

TEST(OptimizerClipping, GlobalClipnormScalesAllTogether) {
  SGD opt({.learning_rate = 1.0, .global_clipnorm = 1.0});
  // Global norm sqrt(9 + 16 + 144) = 13.
  expect_near_all(step_delta(opt, {{3, 4}, {0, 12}}), {3 / 13.0, 4 / 13.0, 0, 12 / 13.0});
  SGD small({.learning_rate = 1.0, .global_clipnorm = 100.0});
  expect_near_all(step_delta(small, {{3, 4}, {0, 12}}), {3, 4, 0, 12});
}

TEST(OptimizerClipping, ClipvalueClampsEachElement) {
  SGD opt({.learning_rate = 1.0, .clipvalue = 0.5});
  expect_near_all(step_delta(opt, {{-2, 0.1, 3, -0.5, 0.25, 7, -7, 0, 1, 2, -3}}),
                  {-0.5, 0.1, 0.5, -0.5, 0.25, 0.5, -0.5, 0, 0.5, 0.5, -0.5});
}

TEST(OptimizerClipping, LossScaleFactorDividesBeforeClipping) {
  SGD opt({.learning_rate = 1.0, .clipnorm = 1.0, .loss_scale_factor = 4.0});
  // (12, 16) / 4 = (3, 4), norm 5 -> (0.6, 0.8).
  expect_near_all(step_delta(opt, {{12, 16}}), {0.6, 0.8});
  SGD plain({.learning_rate = 1.0, .loss_scale_factor = 4.0});
  expect_near_all(step_delta(plain, {{12, 16}}), {3, 4});
}

TEST(OptimizerClipping, OnlyOneClipOption) {
  EXPECT_THROW(SGD({.clipnorm = 1.0, .clipvalue = 1.0}), ValueError);
  EXPECT_THROW(Adam({.clipnorm = 1.0, .global_clipnorm = 1.0}), ValueError);
  EXPECT_THROW(SGD({.momentum = 1.5}), ValueError);
  EXPECT_THROW(SGD({.gradient_accumulation_steps = 1}), ValueError);
}

TEST(OptimizerWeightDecay, DecoupledAndExcludable) {
  Variable kernel(Tensor::from_vector(std::vector<double>{2, -4}), "kernel");
  Variable bias(Tensor::from_vector(std::vector<double>{2, -4}), "bias");
  SGD opt({.learning_rate = 0.5, .weight_decay = 0.1});
  opt.exclude_from_weight_decay({}, {"bia"});
  const Tensor g = Tensor::from_vector(std::vector<double>{1, 1});
  opt.apply({g, g}, {kernel, bias});
  // var - var * wd * lr - g * lr.
  expect_near_all(kernel.value().to_vector<double>(), {2 - 2 * 0.05 - 0.5, -4 + 4 * 0.05 - 0.5});
  expect_near_all(bias.value().to_vector<double>(), {2 - 0.5, -4 - 0.5});
  EXPECT_THROW(opt.exclude_from_weight_decay({kernel}), ValueError);  // already built
}

TEST(OptimizerWeightDecay, AdamWRequiresIt) {
  AdamW adamw;
  EXPECT_EQ(adamw.get_config()["weight_decay"], 0.004);
  EXPECT_THROW(adamw.apply_config({{"weight_decay", nullptr}}), ValueError);
}

// ---------------------------------------------------------------- apply edge cases

TEST(OptimizerApply, SkipsUndefinedGradients) {
  Model2 m;
  SGD opt({.learning_rate = 1.0});
  opt.apply({Tensor(), Tensor::ones({3})}, m.vars());
  EXPECT_EQ(m.kernel.value().to_vector<float>(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(m.bias.value().to_vector<float>(), (std::vector<float>{-0.5f, -1.5f, 0}));
  EXPECT_EQ(opt.iterations().value().item<int64_t>(), 1);
  EXPECT_THROW(opt.apply({Tensor(), Tensor()}, m.vars()), ValueError);
  opt.apply({}, {});  // Keras: no gradients at all is a no-op
  EXPECT_EQ(opt.iterations().value().item<int64_t>(), 1);
}

TEST(OptimizerApply, RejectsUnknownVariablesAndBadShapes) {
  Model2 m;
  Adam opt;
  opt.apply({Tensor::ones({2, 3}), Tensor::ones({3})}, m.vars());
  Variable other(Tensor::ones({3}), "other");
  EXPECT_THROW(opt.apply({Tensor::ones({3})}, {other}), ValueError);
  EXPECT_THROW(opt.apply({Tensor::ones({3, 2}), Tensor::ones({3})}, m.vars()), ValueError);
  EXPECT_THROW(opt.apply({Tensor::ones({3})}, m.vars()), ValueError);
}

TEST(OptimizerApply, CastsGradientsToTheVariableDtype) {
  Model2 m;
  SGD opt({.learning_rate = 1.0});
  opt.apply({Tensor::ones({2, 3}, DType::float64), Tensor::ones({3}, DType::float64)}, m.vars());
  EXPECT_EQ(m.kernel.value().to_vector<float>(), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST(OptimizerApply, DoesNotRecordOnAnActiveTape) {
  Variable w(Tensor::ones({2}, DType::float64), "w");
  SGD opt({.learning_rate = 1.0});
  GradientTape tape;
  opt.apply({Tensor::ones({2}, DType::float64)}, {w});
  EXPECT_EQ(w.value().to_vector<double>(), (std::vector<double>{0, 0}));
}

TEST(OptimizerApply, GradientAccumulationAppliesTheMeanEveryNSteps) {
  Variable w(Tensor::zeros({2}, DType::float64), "w");
  SGD opt({.learning_rate = 1.0, .gradient_accumulation_steps = 2});
  opt.apply({Tensor::from_vector(std::vector<double>{1, 2})}, {w});
  expect_near_all(w.value().to_vector<double>(), {0, 0});
  opt.apply({Tensor::from_vector(std::vector<double>{3, 6})}, {w});
  expect_near_all(w.value().to_vector<double>(), {-2, -4});
  // The accumulator starts again from zero.
  expect_near_all(opt.variables()[2].value().to_vector<double>(), {0, 0});
  opt.apply({Tensor::from_vector(std::vector<double>{1, 1})}, {w});
  opt.apply({Tensor::from_vector(std::vector<double>{1, 1})}, {w});
  expect_near_all(w.value().to_vector<double>(), {-3, -5});
  EXPECT_EQ(opt.iterations().value().item<int64_t>(), 4);
}

TEST(OptimizerApply, AdamWithAccumulationCountsUpdateSteps) {
  // Keras's Adam uses iterations // steps + 1 as its step: the second update is t = 2.
  Variable w(Tensor::zeros({1}, DType::float64), "w");
  Adam opt({.learning_rate = 0.5, .gradient_accumulation_steps = 2});
  const Tensor g = Tensor::ones({1}, DType::float64);
  for (int i = 0; i < 4; ++i) opt.apply({g}, {w});
  // Step 1: m = 0.1, v = 0.001, alpha = 0.5 sqrt(0.001) / 0.1 -> w -= 0.5 (1 - 1e-7 ish).
  double m = 0.1, v = 0.001, expected = -0.1 * 0.5 * std::sqrt(0.001) / 0.1 / (std::sqrt(v) + 1e-7);
  m += (1 - m) * 0.1;
  v += (1 - v) * 0.001;
  expected -= m * 0.5 * std::sqrt(1 - 0.999 * 0.999) / (1 - 0.9 * 0.9) / (std::sqrt(v) + 1e-7);
  EXPECT_NEAR(w.value().item<double>(), expected, 1e-12);
}

TEST(OptimizerApply, EmaAveragesAndOverwrites) {
  Variable w(Tensor::zeros({1}, DType::float64), "w");
  SGD opt(
      {.learning_rate = 1.0, .use_ema = true, .ema_momentum = 0.5, .ema_overwrite_frequency = 3});
  const Tensor g = Tensor::ones({1}, DType::float64);
  opt.apply({g}, {w});  // w = -1, average = w (first step)
  EXPECT_DOUBLE_EQ(opt.variables()[2].value().item<double>(), -1.0);
  opt.apply({g}, {w});  // w = -2, average = 0.5 * -1 + 0.5 * -2
  EXPECT_DOUBLE_EQ(opt.variables()[2].value().item<double>(), -1.5);
  opt.apply({g}, {w});  // w = -3, average = -2.25, then (2 + 1) % 3 == 0 overwrites w
  EXPECT_DOUBLE_EQ(opt.variables()[2].value().item<double>(), -2.25);
  EXPECT_DOUBLE_EQ(w.value().item<double>(), -2.25);
}

// ---------------------------------------------------------------- get / config

TEST(OptimizerGet, KerasNamesWithDefaults) {
  struct Case {
    const char* id;
    const char* class_name;
    const char* name;
    double lr;
  };
  for (const Case& c :
       {Case{"adam", "Adam", "adam", 0.001}, Case{"Adam", "Adam", "adam", 0.001},
        Case{"sgd", "SGD", "SGD", 0.01}, Case{"SGD", "SGD", "SGD", 0.01},
        Case{"rmsprop", "RMSprop", "rmsprop", 0.001}, Case{"RMSprop", "RMSprop", "rmsprop", 0.001},
        Case{"adamw", "AdamW", "adamw", 0.001}, Case{"adagrad", "Adagrad", "adagrad", 0.001},
        Case{"adadelta", "Adadelta", "adadelta", 0.001}, Case{"adamax", "Adamax", "adamax", 0.001},
        Case{"nadam", "Nadam", "nadam", 0.001}}) {
    auto opt = get(c.id);
    ASSERT_TRUE(opt) << c.id;
    EXPECT_EQ(opt->class_name(), c.class_name);
    EXPECT_EQ(opt->name(), c.name);
    EXPECT_EQ(opt->learning_rate(), static_cast<double>(static_cast<float>(c.lr)));
  }
  EXPECT_THROW(get("adamm"), UnknownObjectError);
  EXPECT_THROW(get(""), UnknownObjectError);
  EXPECT_THROW(deserialize(json{{"class_name", "Bogus"}, {"config", json::object()}}),
               UnknownObjectError);
  EXPECT_THROW(deserialize(json::array()), ValueError);
  OptimizerArg arg = "rmsprop";
  EXPECT_EQ(arg->class_name(), "RMSprop");
  OptimizerArg moved = Adam({.learning_rate = 0.5});
  EXPECT_EQ(moved->learning_rate(), 0.5);
}

TEST(OptimizerConfig, AdamMatchesKeras3) {
  // compile_config.optimizer.config of the Keras 3.9.2 file in the corpus
  // (keras3.9.2-mlp-leakyrelu/out/final_model.keras, config.json).
  const json keras = json::parse(R"({"name": "adam", "learning_rate": 0.0010000000474974513,
      "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null,
      "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
      "loss_scale_factor": null, "gradient_accumulation_steps": null, "beta_1": 0.9,
      "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false})");
  Adam adam;
  EXPECT_EQ(adam.get_config().dump(), keras.dump());
  auto back = deserialize(json{{"module", "keras.optimizers"},
                               {"class_name", "Adam"},
                               {"config", keras},
                               {"registered_name", nullptr}});
  EXPECT_EQ(back->get_config().dump(), keras.dump());
}

TEST(OptimizerConfig, SubclassFieldsInKerasOrder) {
  auto keys = [](Optimizer& o) {
    std::vector<std::string> out;
    const json config = o.get_config();
    for (auto it = config.begin(); it != config.end(); ++it) out.push_back(it.key());
    return std::vector<std::string>(out.begin() + 11, out.end());
  };
  SGD sgd;
  EXPECT_EQ(keys(sgd), (Names{"momentum", "nesterov"}));
  RMSprop rms;
  EXPECT_EQ(keys(rms), (Names{"rho", "momentum", "epsilon", "centered"}));
  Adagrad adagrad;
  EXPECT_EQ(keys(adagrad), (Names{"initial_accumulator_value", "epsilon"}));
  Adadelta adadelta;
  EXPECT_EQ(keys(adadelta), (Names{"rho", "epsilon"}));
  Adamax adamax;
  EXPECT_EQ(keys(adamax), (Names{"beta_1", "beta_2", "epsilon"}));
  Nadam nadam;
  EXPECT_EQ(keys(nadam), (Names{"beta_1", "beta_2", "epsilon"}));
  AdamW adamw;
  EXPECT_EQ(keys(adamw), (Names{"beta_1", "beta_2", "epsilon", "amsgrad"}));
  EXPECT_EQ(adagrad.get_config()["initial_accumulator_value"], 0.1);
  EXPECT_EQ(adadelta.get_config()["rho"], 0.95);
}

TEST(OptimizerConfig, RoundTripsEveryOptimizer) {
  std::vector<std::shared_ptr<Optimizer>> opts;
  opts.push_back(std::make_shared<SGD>(SGDOptions{.learning_rate = 0.5,
                                                  .momentum = 0.25,
                                                  .nesterov = true,
                                                  .clipnorm = 2.0,
                                                  .name = "my_sgd"}));
  opts.push_back(std::make_shared<Adam>(AdamOptions{.beta_1 = 0.8,
                                                    .amsgrad = true,
                                                    .weight_decay = 0.01,
                                                    .use_ema = true,
                                                    .ema_overwrite_frequency = 5}));
  opts.push_back(
      std::make_shared<AdamW>(AdamWOptions{.weight_decay = 0.1, .gradient_accumulation_steps = 4}));
  opts.push_back(std::make_shared<RMSprop>(
      RMSpropOptions{.rho = 0.7, .momentum = 0.1, .centered = true, .global_clipnorm = 3.0}));
  opts.push_back(std::make_shared<Adagrad>(
      AdagradOptions{.initial_accumulator_value = 0.5, .clipvalue = 1.0}));
  opts.push_back(std::make_shared<Adadelta>(AdadeltaOptions{.learning_rate = 1.0, .rho = 0.5}));
  opts.push_back(
      std::make_shared<Adamax>(AdamaxOptions{.beta_2 = 0.99, .loss_scale_factor = 128.0}));
  opts.push_back(std::make_shared<Nadam>(NadamOptions{
      .learning_rate = schedules::CosineDecay(0.1, 1000, 0.0, "CosineDecay", 1.0, 100)}));
  for (const auto& opt : opts) {
    const json config = opt->get_config();
    auto back = deserialize(json{{"class_name", opt->class_name()}, {"config", config}});
    EXPECT_EQ(back->class_name(), opt->class_name());
    EXPECT_EQ(back->get_config().dump(), config.dump()) << opt->class_name();
    EXPECT_EQ(back->variables().size(), opt->variables().size());
  }
  const json nadam = opts.back()->get_config();
  EXPECT_EQ(nadam["learning_rate"].dump(),
            R"({"class_name":"CosineDecay","config":{"initial_learning_rate":0.1,)"
            R"("decay_steps":1000,"alpha":0.0,"name":"CosineDecay","warmup_target":1.0,)"
            R"("warmup_steps":100}})");
  EXPECT_EQ(opts[0]->get_config()["name"], "my_sgd");
  EXPECT_EQ(opts[0]->variables()[0].path(), "my_sgd/iteration");
}

TEST(OptimizerConfig, ReadsKeras2Configs) {
  // Keras 2.1 legacy HDF5 training_config: `lr` and `decay`.
  auto adam = deserialize(json::parse(R"({"class_name": "Adam", "config": {"lr":
      0.0010000000474974513, "beta_1": 0.8999999761581421, "beta_2": 0.9990000128746033,
      "decay": 0.0, "epsilon": 1e-08, "amsgrad": false}})"));
  EXPECT_EQ(adam->learning_rate(), static_cast<double>(0.001f));
  EXPECT_EQ(adam->get_config()["epsilon"], 1e-08);
  EXPECT_EQ(adam->get_config()["beta_1"], 0.8999999761581421);
  EXPECT_EQ(adam->get_config().count("decay"), 0u);
  // tf.keras 2.11+: capitalised name, jit_compile, is_legacy_optimizer.
  auto rms = deserialize(json::parse(R"({"class_name": "RMSprop", "config": {"name": "RMSprop",
      "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null,
      "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": 100,
      "jit_compile": true, "is_legacy_optimizer": false, "learning_rate": 0.01,
      "rho": 0.9, "momentum": 0.0, "epsilon": 1e-07, "centered": false}})"));
  EXPECT_EQ(rms->name(), "RMSprop");
  EXPECT_EQ(rms->learning_rate(), static_cast<double>(0.01f));
  // A Keras 3 schedule with module/registered_name.
  auto sgd = deserialize(json::parse(R"({"class_name": "SGD", "config": {"learning_rate":
      {"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay", "config":
      {"initial_learning_rate": 0.5, "decay_steps": 10, "decay_rate": 0.5, "staircase": true,
      "name": "ExponentialDecay"}, "registered_name": null}}})"));
  EXPECT_TRUE(sgd->learning_rate_setting().is_schedule());
  EXPECT_EQ(sgd->learning_rate(), 0.5);
  EXPECT_EQ(sgd->variables().size(), 1u);
  EXPECT_THROW(deserialize(json::parse(R"({"class_name": "SGD", "config": {"learning_rate":
      "fast"}})")),
               ValueError);
  EXPECT_THROW(deserialize(json::parse(R"({"class_name": "SGD", "config": {"momentum":
      "high"}})")),
               ValueError);
}

}  // namespace
}  // namespace keras::optimizers
