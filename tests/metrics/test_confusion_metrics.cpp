// Precision, Recall, AUC: Keras's documented examples and AUC against a numpy implementation of
// Keras's formulas (keras/src/metrics/confusion_metrics.py: AUC.result's Riemann sums and
// interpolate_pr_auc), whose counts compare every prediction with every threshold directly
// (p > t in float32) instead of bucketing, over several weighted batches.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/keras.hpp"
#include "keras/metrics/metrics.hpp"

namespace keras::metrics {
namespace {

Tensor f32(std::vector<float> v, Shape s = {}) { return Tensor::from_vector(v, s); }
double value(const Metric& m) { return m.result().item<double>(); }

TEST(ConfusionMetrics, PrecisionKerasDocstring) {
  Precision m;
  EXPECT_EQ(m.name(), "precision");
  ASSERT_EQ(m.variables().size(), 2u);
  EXPECT_EQ(m.variables()[0].name(), "true_positives");
  EXPECT_EQ(m.variables()[1].name(), "false_positives");
  EXPECT_EQ(m.variables()[0].shape(), Shape({1}));
  m.update_state(f32({0, 1, 1, 1}), f32({1, 0, 1, 1}));
  EXPECT_NEAR(value(m), 2.0 / 3.0, 1e-6);
  m.reset_state();
  m.update_state(f32({0, 1, 1, 1}), f32({1, 0, 1, 1}), f32({0, 0, 1, 0}));
  EXPECT_NEAR(value(m), 1.0, 1e-6);
  // top_k: only the k largest predictions of each row count as positive.
  Precision top2({.top_k = 2});
  top2.update_state(f32({0, 0, 1, 1}, {1, 4}), f32({1, 1, 1, 1}, {1, 4}));
  EXPECT_NEAR(value(top2), 0.0, 1e-6);
  Precision top4({.top_k = 4});
  top4.update_state(f32({0, 0, 1, 1}, {1, 4}), f32({1, 1, 1, 1}, {1, 4}));
  EXPECT_NEAR(value(top4), 0.5, 1e-6);
  // Several thresholds give one value each; class_id picks a column.
  Precision multi({.thresholds = std::vector<double>{0.3, 0.7}});
  multi.update_state(f32({0, 1, 1, 0}), f32({0.5f, 0.8f, 0.4f, 0.9f}));
  // t=0.3: positives 0.5(F) 0.8(T) 0.4(T) 0.9(F) -> 2/4; t=0.7: 0.8(T) 0.9(F) -> 1/2.
  EXPECT_EQ(multi.result().to_vector<double>(), (std::vector<double>{0.5, 0.5}));
  Precision cls({.class_id = 1});
  cls.update_state(f32({0, 1, 1, 0}, {2, 2}), f32({0.1f, 0.9f, 0.2f, 0.8f}, {2, 2}));
  EXPECT_NEAR(value(cls), 0.5, 1e-6);
  json c = multi.get_config();
  EXPECT_EQ(c["thresholds"], json::parse("[0.3, 0.7]"));
  EXPECT_TRUE(c["top_k"].is_null());
  EXPECT_THROW(Precision({.thresholds = std::vector<double>{1.5}}), ValueError);
}

TEST(ConfusionMetrics, RecallKerasDocstring) {
  Recall m;
  EXPECT_EQ(m.name(), "recall");
  EXPECT_EQ(m.class_name(), "Recall");
  EXPECT_EQ(m.variables()[1].name(), "false_negatives");
  m.update_state(f32({0, 1, 1, 1}), f32({1, 0, 1, 1}));
  EXPECT_NEAR(value(m), 2.0 / 3.0, 1e-6);
  m.reset_state();
  m.update_state(f32({0, 1, 1, 1}), f32({1, 0, 1, 1}), f32({0, 0, 1, 0}));
  EXPECT_NEAR(value(m), 1.0, 1e-6);
}

TEST(ConfusionMetrics, AUCKerasDocstring) {
  AUC m({.num_thresholds = 3});
  EXPECT_EQ(m.name(), "auc");
  ASSERT_EQ(m.variables().size(), 4u);
  const char* names[] = {"true_positives", "false_positives", "true_negatives", "false_negatives"};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(m.variables()[i].name(), names[i]);
  EXPECT_EQ(m.thresholds(), (std::vector<double>{-1e-7, 0.5, 1 + 1e-7}));
  m.update_state(f32({0, 0, 1, 1}), f32({0, 0.5f, 0.3f, 0.9f}));
  // tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2], tn = [0, 2, 2] (the docstring's counts).
  EXPECT_EQ(m.variables()[0].value().to_vector<double>(), (std::vector<double>{2, 1, 0}));
  EXPECT_EQ(m.variables()[2].value().to_vector<double>(), (std::vector<double>{0, 2, 2}));
  EXPECT_NEAR(value(m), 0.75, 1e-6);
  m.reset_state();
  m.update_state(f32({0, 0, 1, 1}), f32({0, 0.5f, 0.3f, 0.9f}), f32({1, 0, 0, 1}));
  EXPECT_NEAR(value(m), 1.0, 1e-6);
  EXPECT_EQ(AUC().variables()[0].shape(), Shape({200}));
}

// The data of the numpy reference: pred = frac(i * golden ratio) in float32,
// label = ((37 i) % 11 < 5) or pred > 0.7, weight = 0.5 + 0.25 (i % 4), i < 100, fed in
// three batches of 40, 35 and 25 (as (n, 1) columns for the middle one).
struct Data {
  std::vector<float> pred, label, weight;
};
Data data() {
  Data d;
  for (int i = 0; i < 100; ++i) {
    double ip;
    const float p = static_cast<float>(std::modf(i * 0.6180339887498949, &ip));
    d.pred.push_back(p);
    d.label.push_back(((i * 37) % 11) < 5 || p > 0.7f ? 1.0f : 0.0f);
    d.weight.push_back(0.5f + 0.25f * (i % 4));
  }
  return d;
}

double run_auc(AUC& m, bool weighted) {
  const Data d = data();
  const int bounds[] = {0, 40, 75, 100};
  for (int b = 0; b < 3; ++b) {
    const int lo = bounds[b], n = bounds[b + 1] - lo;
    auto slice = [&](const std::vector<float>& v) {
      return std::vector<float>(v.begin() + lo, v.begin() + lo + n);
    };
    const Shape s = b == 1 ? Shape{n, 1} : Shape{n};
    m.update_state(f32(slice(d.label), s), f32(slice(d.pred), s),
                   weighted ? f32(slice(d.weight)) : Tensor());
  }
  return value(m);
}

TEST(ConfusionMetrics, AUCMatchesNumpyReference) {
  struct Case {
    int t;
    const char* curve;
    const char* method;
    double weighted, unweighted;  // numpy (see the file comment)
  };
  const Case cases[] = {
      {200, "ROC", "interpolation", 0.7016731558455225, 0.7300347222222221},
      {200, "PR", "interpolation", 0.8500628612726407, 0.8641935332741875},
      {50, "ROC", "minoring", 0.6986565645936371, 0.7269965277777777},
      {50, "PR", "majoring", 0.8530861035450145, 0.867114136160903},
      {7, "ROC", "interpolation", 0.7001999368620435, 0.7319878472222221},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.curve) + " " + c.method + " " + std::to_string(c.t));
    AUCOptions o{.num_thresholds = c.t, .curve = c.curve, .summation_method = c.method};
    AUC weighted(o), plain(o);
    EXPECT_NEAR(run_auc(weighted, true), c.weighted, 2e-6);
    EXPECT_NEAR(run_auc(plain, false), c.unweighted, 2e-6);
    // Explicit evenly spaced thresholds are the same metric.
    std::vector<double> inner;
    for (int i = 0; i < c.t - 2; ++i) inner.push_back((i + 1) * 1.0 / (c.t - 1));
    AUCOptions oe = o;
    oe.thresholds = inner;
    AUC explicit_t(oe);
    EXPECT_NEAR(run_auc(explicit_t, true), c.weighted, 2e-6);
  }
}

TEST(ConfusionMetrics, AUCFromLogitsAndConfig) {
  AUC logits({.num_thresholds = 3, .from_logits = true});
  // sigmoid([-inf-ish, 0, -0.85, 2.2]) ~ [0, 0.5, 0.3, 0.9]: the docstring's 0.75.
  logits.update_state(f32({0, 0, 1, 1}), f32({-20, 0, -0.8473f, 2.1972f}));
  EXPECT_NEAR(value(logits), 0.75, 1e-6);
  json c = AUC().get_config();
  std::vector<std::string> keys;
  for (auto it = c.begin(); it != c.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "dtype", "num_thresholds", "curve",
                                            "summation_method", "multi_label", "num_labels",
                                            "label_weights", "from_logits"}));
  EXPECT_EQ(c["curve"], "ROC");
  AUC explicit_t({.thresholds = std::vector<double>{0.6, 0.2}});
  json ce = explicit_t.get_config();
  EXPECT_EQ(ce["thresholds"], json::parse("[0.2, 0.6]"));
  EXPECT_EQ(ce["num_thresholds"], 4);
  auto back = deserialize(json{{"class_name", "AUC"}, {"config", ce}});
  EXPECT_EQ(back->get_config(), ce);
  EXPECT_EQ(back->variables()[0].shape(), Shape({4}));
  EXPECT_THROW(AUC({.num_thresholds = 1}), ValueError);
  EXPECT_THROW(AUC({.curve = "XY"}), ValueError);
}

}  // namespace
}  // namespace keras::metrics
