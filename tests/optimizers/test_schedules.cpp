// keras.optimizers.schedules: values at several steps against the formulas in Keras's docstrings
// evaluated by hand, configs in Keras's field order, and bad arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "keras/optimizers/schedules.hpp"

namespace keras::optimizers::schedules {
namespace {

constexpr double kTol = 1e-12;

TEST(Schedules, ExponentialDecay) {
  ExponentialDecay s(0.1, 10, 0.5);
  EXPECT_NEAR(s(0), 0.1, kTol);
  EXPECT_NEAR(s(5), 0.1 * std::sqrt(0.5), kTol);  // 0.5 ^ (5 / 10)
  EXPECT_NEAR(s(20), 0.025, kTol);
  ExponentialDecay stairs(0.1, 10, 0.5, true);
  EXPECT_NEAR(stairs(9), 0.1, kTol);
  EXPECT_NEAR(stairs(15), 0.05, kTol);
  EXPECT_NEAR(stairs(30), 0.0125, kTol);
}

TEST(Schedules, PiecewiseConstantDecay) {
  PiecewiseConstantDecay s({10, 20}, {1.0, 0.5, 0.1});
  EXPECT_EQ(s(0), 1.0);
  EXPECT_EQ(s(10), 1.0);  // step <= boundaries[0]
  EXPECT_EQ(s(11), 0.5);
  EXPECT_EQ(s(20), 0.5);
  EXPECT_EQ(s(21), 0.1);
  EXPECT_EQ(s(1000000), 0.1);
  EXPECT_THROW(PiecewiseConstantDecay({10, 20}, {1.0, 0.5}), ValueError);
}

TEST(Schedules, PolynomialDecay) {
  PolynomialDecay s(1.0, 100, 0.0, 2.0);
  EXPECT_NEAR(s(0), 1.0, kTol);
  EXPECT_NEAR(s(50), 0.25, kTol);  // (1 - 0.5)^2
  EXPECT_NEAR(s(150), 0.0, kTol);  // clamped at decay_steps
  PolynomialDecay cyc(1.0, 100, 0.0, 2.0, true);
  EXPECT_NEAR(cyc(150), 0.0625, kTol);  // decay_steps -> 200, (1 - 0.75)^2
  EXPECT_NEAR(cyc(0), 1.0, kTol);
  PolynomialDecay lin(0.1, 10);  // end 0.0001, power 1
  EXPECT_NEAR(lin(5), (0.1 - 0.0001) * 0.5 + 0.0001, kTol);
}

TEST(Schedules, InverseTimeDecay) {
  InverseTimeDecay s(1.0, 10, 0.5);
  EXPECT_NEAR(s(0), 1.0, kTol);
  EXPECT_NEAR(s(10), 1 / 1.5, kTol);
  EXPECT_NEAR(s(15), 1 / 1.75, kTol);
  InverseTimeDecay stairs(1.0, 10, 0.5, true);
  EXPECT_NEAR(stairs(15), 1 / 1.5, kTol);
  EXPECT_NEAR(stairs(20), 0.5, kTol);
}

TEST(Schedules, CosineDecay) {
  CosineDecay s(1.0, 100);
  EXPECT_NEAR(s(0), 1.0, kTol);
  EXPECT_NEAR(s(25), 0.5 * (1 + std::sqrt(0.5)), kTol);  // cos(pi / 4)
  EXPECT_NEAR(s(50), 0.5, kTol);
  EXPECT_NEAR(s(100), 0.0, kTol);
  EXPECT_NEAR(s(300), 0.0, kTol);
  CosineDecay floor(2.0, 100, 0.1);
  EXPECT_NEAR(floor(50), 2.0 * (0.9 * 0.5 + 0.1), kTol);
  EXPECT_NEAR(floor(100), 0.2, kTol);
  CosineDecay warm(0.0, 100, 0.0, "CosineDecay", 1.0, 10);
  EXPECT_NEAR(warm(0), 0.0, kTol);
  EXPECT_NEAR(warm(5), 0.5, kTol);   // linear warmup to the target
  EXPECT_NEAR(warm(10), 1.0, kTol);  // decay starts from warmup_target
  EXPECT_NEAR(warm(60), 0.5, kTol);
  EXPECT_NEAR(warm(1000), 0.0, kTol);
}

TEST(Schedules, ConfigsInKerasOrderAndRoundTrip) {
  ExponentialDecay e(0.1, 1000, 0.96, true);
  EXPECT_EQ(serialize(e).dump(),
            R"({"class_name":"ExponentialDecay","config":{"initial_learning_rate":0.1,)"
            R"("decay_steps":1000,"decay_rate":0.96,"staircase":true,"name":"ExponentialDecay"}})");
  PiecewiseConstantDecay p({100000, 110000}, {1.0, 0.5, 0.1});
  EXPECT_EQ(serialize(p).dump(),
            R"({"class_name":"PiecewiseConstantDecay","config":{"boundaries":[100000,110000],)"
            R"("values":[1.0,0.5,0.1],"name":"PiecewiseConstant"}})");
  PolynomialDecay poly(0.1, 10000, 0.01, 0.5);
  EXPECT_EQ(serialize(poly)["config"].dump(),
            R"({"initial_learning_rate":0.1,"decay_steps":10000,"end_learning_rate":0.01,)"
            R"("power":0.5,"cycle":false,"name":"PolynomialDecay"})");
  InverseTimeDecay inv(0.1, 1.5, 0.5);
  EXPECT_EQ(serialize(inv)["config"].dump(),
            R"({"initial_learning_rate":0.1,"decay_steps":1.5,"decay_rate":0.5,)"
            R"("staircase":false,"name":"InverseTimeDecay"})");
  CosineDecay cos(0.1, 1000);
  EXPECT_EQ(serialize(cos)["config"].dump(),
            R"({"initial_learning_rate":0.1,"decay_steps":1000,"alpha":0.0,)"
            R"("name":"CosineDecay","warmup_target":null,"warmup_steps":0})");

  std::vector<LearningRateSchedule*> all = {&e, &p, &poly, &inv, &cos};
  for (auto* s : all) {
    const json j = serialize(*s);
    auto back = deserialize(j);
    EXPECT_EQ(serialize(*back).dump(), j.dump());
    for (int64_t step : {0, 7, 500, 100001, 200000}) EXPECT_EQ((*back)(step), (*s)(step));
  }
}

TEST(Schedules, BadArguments) {
  EXPECT_THROW(ExponentialDecay(0.1, 0, 0.5), ValueError);
  EXPECT_THROW(CosineDecay(0.1, -5), ValueError);
  EXPECT_THROW(InverseTimeDecay(0.1, 0, 0.5), ValueError);
  EXPECT_THROW(PolynomialDecay(0.1, 0), ValueError);
  EXPECT_THROW(deserialize(json{{"class_name", "CosineDecayRestartz"}, {"config", json::object()}}),
               UnknownObjectError);
  EXPECT_THROW(deserialize(json{{"class_name", "ExponentialDecay"},
                                {"config", {{"initial_learning_rate", 0.1}}}}),
               ValueError);
  EXPECT_THROW(
      deserialize(json{
          {"class_name", "ExponentialDecay"},
          {"config", {{"initial_learning_rate", 0.1}, {"decay_steps", 0}, {"decay_rate", 0.5}}}}),
      ValueError);
  EXPECT_THROW(deserialize(json::array()), ValueError);
}

}  // namespace
}  // namespace keras::optimizers::schedules
