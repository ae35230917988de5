// Reduction, accuracy and regression metrics: values over several update_state calls with sample
// weights (hand-derived, and Keras's documented examples), reset_state, names, variables, the
// registry, configs and compile()'s contextual "accuracy".
#include <gtest/gtest.h>

#include <cmath>

#include "keras/keras.hpp"
#include "keras/losses/losses.hpp"
#include "keras/metrics/metrics.hpp"

namespace keras::metrics {
namespace {

Tensor f32(std::vector<float> v, Shape s = {}) { return Tensor::from_vector(v, s); }
double value(const Metric& m) { return m.result().item<double>(); }

TEST(Metrics, MeanAccumulatesWithWeightsAndResets) {
  Mean m;
  EXPECT_EQ(m.name(), "mean");
  ASSERT_EQ(m.variables().size(), 2u);
  EXPECT_EQ(m.variables()[0].name(), "total");
  EXPECT_EQ(m.variables()[1].name(), "count");
  EXPECT_EQ(m.variables()[0].path(), "mean/total");
  EXPECT_FALSE(m.variables()[0].trainable());
  EXPECT_EQ(value(m), 0.0);  // divide_no_nan
  m.update_state(Tensor(), f32({1, 2, 3}));
  m.update_state(Tensor(), f32({4, 5}), f32({0.5f, 2}));
  // total = 6 + 0.5*4 + 2*5 = 18, count = 3 + 2.5.
  EXPECT_NEAR(value(m), 18.0 / 5.5, 1e-6);
  m.reset_state();
  EXPECT_EQ(m.variables()[0].value().item<double>(), 0.0);
  EXPECT_EQ(value(m), 0.0);
  // Rank-2 values: per-sample means [1.5, 4]; weights (2,) -> (1.5 + 3*4) / 4.
  m.update_state(Tensor(), f32({1, 2, 3, 5}, {2, 2}), f32({1, 3}));
  EXPECT_NEAR(value(m), 13.5 / 4, 1e-6);
  m.reset_state();
  // Weights of the values' shape: rows mean(v*w) = [0.5, 4], count = mean rows of w = 0.5 + 1.
  m.update_state(Tensor(), f32({1, 2, 3, 5}, {2, 2}), f32({1, 0, 1, 1}, {2, 2}));
  EXPECT_NEAR(value(m), 4.5 / 1.5, 1e-6);
  m.reset_state();
  // A scalar weight makes the whole batch one sample (Keras reduces values to the weight's rank).
  m.update_state(Tensor(), f32({1, 2, 3, 5}, {2, 2}), Tensor::scalar(2.0));
  m.update_state(Tensor(), f32({4, 4}), Tensor::scalar(2.0));
  EXPECT_NEAR(value(m), (2.75 * 2 + 4 * 2) / 4, 1e-6);
}

TEST(Metrics, LossTrackerWeighsBatchesBySize) {
  auto tracker = make_mean("loss");
  EXPECT_EQ(tracker->name(), "loss");
  EXPECT_EQ(tracker->variables()[1].path(), "loss/count");
  tracker->update_state(Tensor(), Tensor::scalar(2.0), Tensor::scalar(32.0));
  tracker->update_state(Tensor(), Tensor::scalar(1.0), Tensor::scalar(16.0));
  EXPECT_NEAR(value(*tracker), (64.0 + 16.0) / 48.0, 1e-6);
}

TEST(Metrics, Sum) {
  Sum s;
  EXPECT_EQ(s.name(), "sum");
  s.update_state(Tensor(), f32({1, 2, 3}), f32({1, 0, 2}));
  s.update_state(Tensor(), f32({1, 2, 3, 4}, {2, 2}));
  EXPECT_NEAR(value(s), 7.0 + 10.0, 1e-6);
  s.reset_state();
  EXPECT_EQ(value(s), 0.0);
}

TEST(Metrics, SparseCategoricalAccuracy) {
  SparseCategoricalAccuracy m;
  EXPECT_EQ(m.name(), "sparse_categorical_accuracy");
  // argmax = [0, 2, 2] vs labels [0, 1, 2]: matches [1, 0, 1], weights [1, 2, 3].
  m.update_state(Tensor::from_vector<int64_t>({0, 1, 2}),
                 f32({0.9f, 0.05f, 0.05f, 0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f}, {3, 3}),
                 f32({1, 2, 3}));
  EXPECT_NEAR(value(m), 4.0 / 6.0, 1e-6);
  // (N, 1) float labels; a tie picks the first maximum (index 0).
  m.update_state(f32({1, 0}, {2, 1}), f32({0.4f, 0.6f, 0, 0.5f, 0.5f, 0}, {2, 3}));
  EXPECT_NEAR(value(m), 6.0 / 8.0, 1e-6);
  m.reset_state();
  EXPECT_EQ(value(m), 0.0);
  EXPECT_THROW(m.update_state(Tensor::from_vector<int64_t>({0, 1}), f32({1, 2, 3}, {1, 3})),
               ValueError);
}

TEST(Metrics, CategoricalAndBinaryAccuracy) {
  CategoricalAccuracy c;
  EXPECT_EQ(c.name(), "categorical_accuracy");
  c.update_state(f32({0, 0, 1, 0, 1, 0}, {2, 3}), f32({0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0}, {2, 3}),
                 f32({3, 1}));
  EXPECT_NEAR(value(c), 1.0 / 4.0, 1e-6);  // argmax [2, 1] vs [1, 1], weights [3, 1]
  BinaryAccuracy b;
  EXPECT_EQ(b.name(), "binary_accuracy");
  // p > 0.5 -> [1, 0, 0, 0] vs [1, 0, 1, 0]: matches [1, 1, 0, 1].
  b.update_state(f32({1, 0, 1, 0}, {4, 1}), f32({0.7f, 0.5f, 0.4f, 0.2f}, {4, 1}));
  EXPECT_NEAR(value(b), 0.75, 1e-6);
  b.reset_state();
  b.update_state(f32({1, 0, 1, 0}, {4, 1}), f32({0.7f, 0.5f, 0.4f, 0.2f}, {4, 1}),
                 f32({1, 1, 2, 0}));
  EXPECT_NEAR(value(b), 2.0 / 4.0, 1e-6);
  BinaryAccuracy b2({.threshold = 0.3});
  b2.update_state(f32({1, 0, 1, 0}), f32({0.7f, 0.5f, 0.4f, 0.2f}));
  EXPECT_NEAR(value(b2), 0.75, 1e-6);
  EXPECT_EQ(b2.get_config()["threshold"], 0.3);
  // keras.metrics.Accuracy docstring: [[1], [2], [3], [4]] vs [[0], [2], [3], [4]] -> 0.75.
  Accuracy a;
  a.update_state(f32({1, 2, 3, 4}, {4, 1}), f32({0, 2, 3, 4}, {4, 1}));
  EXPECT_NEAR(value(a), 0.75, 1e-6);
}

TEST(Metrics, TopKUsesTfInTopKTies) {
  SparseTopKCategoricalAccuracy m({.k = 2});
  EXPECT_EQ(m.name(), "sparse_top_k_categorical_accuracy");
  // Row 0: label 2 (0.4) has one greater -> in; row 1: label 1 ties 0.3 with index 0, one greater
  // (0.4) -> in; row 2: label 1 (0.2) has two greater -> out.
  const Tensor p = f32({0.1f, 0.5f, 0.4f, 0.3f, 0.3f, 0.4f, 0.6f, 0.2f, 0.3f}, {3, 3});
  m.update_state(Tensor::from_vector<int32_t>({2, 1, 1}), p);
  EXPECT_NEAR(value(m), 2.0 / 3.0, 1e-6);
  // Label 0 (0.1) has two greater predictions: out, with weight 3.
  m.update_state(Tensor::from_vector<int32_t>({0}, {1}), f32({0.1f, 0.2f, 0.7f}, {1, 3}),
                 f32({3}, {1}));
  EXPECT_NEAR(value(m), 2.0 / 6.0, 1e-6);
  TopKCategoricalAccuracy t({.k = 1});
  EXPECT_EQ(t.name(), "top_k_categorical_accuracy");
  t.update_state(f32({0, 0, 1, 0, 1, 0}, {2, 3}), f32({0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0}, {2, 3}));
  EXPECT_NEAR(value(t), 0.5, 1e-6);
  EXPECT_EQ(TopKCategoricalAccuracy().get_config()["k"], 5);
}

TEST(Metrics, RegressionMetricsKerasDocstrings) {
  const Tensor yt = f32({0, 1, 0, 0}, {2, 2}), yp = f32({1, 1, 0, 0}, {2, 2});
  MeanSquaredError mse;
  mse.update_state(yt, yp);
  EXPECT_NEAR(value(mse), 0.25, 1e-6);
  mse.reset_state();
  mse.update_state(yt, yp, f32({1, 0}));
  EXPECT_NEAR(value(mse), 0.5, 1e-6);
  RootMeanSquaredError rmse;
  EXPECT_EQ(rmse.name(), "root_mean_squared_error");
  rmse.update_state(yt, yp);
  EXPECT_NEAR(value(rmse), 0.5, 1e-6);
  rmse.reset_state();
  rmse.update_state(yt, yp, f32({1, 0}));
  EXPECT_NEAR(value(rmse), 0.70710677, 1e-6);
  MeanAbsoluteError mae;
  mae.update_state(yt, yp);
  mae.update_state(f32({2, 2}, {1, 2}), f32({0, 1}, {1, 2}), f32({2}));
  // (0.5 + 0 + 2 * 1.5) / (2 + 2)
  EXPECT_NEAR(value(mae), 3.5 / 4.0, 1e-6);
}

TEST(Metrics, LossWrappingMetrics) {
  auto ce = SparseCategoricalCrossentropy({.from_logits = true});
  EXPECT_EQ(ce->name(), "sparse_categorical_crossentropy");
  ce->update_state(Tensor::from_vector<int64_t>({1, 2}),
                   Tensor::from_vector<double>({1., 2., 0.5, 0.2, -1., 3.}, {2, 3}));
  // numpy: -(x - logsumexp(x))[r, label] = [0.46436878, 0.07615118]
  EXPECT_NEAR(value(*ce), (0.4643687841079447 + 0.07615117764997636) / 2, 1e-6);
  auto bce = get("binary_crossentropy");
  EXPECT_EQ(bce->class_name(), "BinaryCrossentropy");
  json c = BinaryCrossentropy({.from_logits = true})->get_config();
  EXPECT_EQ(c, json::parse(R"({"name":"binary_crossentropy","dtype":"float32",
                               "from_logits":true,"label_smoothing":0.0})"));
  auto back = deserialize(json{{"class_name", "BinaryCrossentropy"}, {"config", c}});
  EXPECT_EQ(back->get_config(), c);
}

TEST(Metrics, GetNamesTheMetricAfterTheIdentifier) {
  EXPECT_EQ(get("mae")->class_name(), "MeanAbsoluteError");
  EXPECT_EQ(get("mae")->name(), "mae");
  EXPECT_EQ(get("mse")->class_name(), "MeanSquaredError");
  EXPECT_EQ(get("sparse_categorical_accuracy")->class_name(), "SparseCategoricalAccuracy");
  EXPECT_EQ(get("AUC")->class_name(), "AUC");
  EXPECT_EQ(get("auc")->variables()[0].path(), "auc/true_positives");
  EXPECT_EQ(get("root_mean_squared_error")->class_name(), "RootMeanSquaredError");
  EXPECT_EQ(get("accuracy")->class_name(), "Accuracy");
  EXPECT_THROW(get("acuracy"), UnknownObjectError);
  EXPECT_THROW(deserialize(json{{"class_name", "F1"}, {"config", json::object()}}),
               UnknownObjectError);
  MetricArg arg("top_k_categorical_accuracy");
  EXPECT_EQ(arg->class_name(), "TopKCategoricalAccuracy");
}

TEST(Metrics, ConfigRoundTrips) {
  EXPECT_EQ(Mean().get_config(), json::parse(R"({"name":"mean","dtype":"float32"})"));
  for (const char* name :
       {"Mean", "Sum", "BinaryAccuracy", "SparseTopKCategoricalAccuracy", "Precision", "Recall",
        "AUC", "RootMeanSquaredError", "CategoricalCrossentropy", "KLDivergence"}) {
    auto m = deserialize(json{{"class_name", name}, {"config", json::object()}});
    json c = m->get_config();
    EXPECT_EQ(deserialize(json{{"class_name", name}, {"config", c}})->get_config(), c) << name;
  }
  // Keras 3 writes dtype as a DTypePolicy in newer versions.
  auto m = deserialize(json::parse(R"({"module":"keras.metrics","class_name":"Mean","config":{
      "name":"m","dtype":{"module":"keras","class_name":"DTypePolicy",
      "config":{"name":"float64"}}},"registered_name":null})"));
  EXPECT_EQ(m->dtype(), DType::float64);
  EXPECT_EQ(m->name(), "m");
  EXPECT_EQ(m->variables()[0].path(), "m/total");
}

TEST(Metrics, ResolveContextualAccuracy) {
  const Tensor probs = f32({0.2f, 0.8f, 0.6f, 0.4f}, {2, 2});
  // Sparse: y_true of lower rank, or a last axis of 1 against a wider y_pred.
  auto m = resolve_contextual("accuracy", Tensor::from_vector<int64_t>({1, 0}), probs, nullptr);
  EXPECT_EQ(m->class_name(), "SparseCategoricalAccuracy");
  EXPECT_EQ(m->name(), "accuracy");
  EXPECT_EQ(resolve_contextual("acc", f32({1, 0}, {2, 1}), probs, nullptr)->class_name(),
            "SparseCategoricalAccuracy");
  // Binary: y_pred's last axis is 1.
  m = resolve_contextual("acc", f32({1, 0}, {2, 1}), f32({0.7f, 0.1f}, {2, 1}), nullptr);
  EXPECT_EQ(m->class_name(), "BinaryAccuracy");
  EXPECT_EQ(m->name(), "acc");
  // Categorical: same shapes.
  EXPECT_EQ(resolve_contextual("Accuracy", f32({0, 1, 1, 0}, {2, 2}), probs, nullptr)->class_name(),
            "CategoricalAccuracy");
  // Keras 2's "crossentropy" follows the same rule and the loss's from_logits.
  losses::SparseCategoricalCrossentropy loss({.from_logits = true});
  m = resolve_contextual("ce", Tensor::from_vector<int64_t>({1, 0}), probs, &loss);
  EXPECT_EQ(m->class_name(), "SparseCategoricalCrossentropy");
  EXPECT_EQ(m->get_config()["from_logits"], true);
  EXPECT_EQ(m->name(), "ce");
  EXPECT_EQ(resolve_contextual("mae", f32({1}), f32({1}), nullptr)->class_name(),
            "MeanAbsoluteError");
}

}  // namespace
}  // namespace keras::metrics
