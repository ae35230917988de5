// Losses: values against numpy (expressions below, run with /usr/bin/python3 in float64) and
// Keras's documented examples, every reduction, sample weights, gradients by finite
// differences, extreme logits, the registry and config round trips.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/keras.hpp"
#include "keras/losses/losses.hpp"
#include "testing/gradcheck.hpp"

namespace keras::losses {
namespace {

Tensor f64(std::vector<double> v, Shape s) { return Tensor::from_vector(v, s); }

// Shared inputs (as in the numpy script; numpy expressions per loss in the table below).
const Tensor kYtReg = f64({0., 1., 2., 1.5, -1., 0.5}, {2, 3});
const Tensor kYpReg = f64({0.5, 0.8, 2.6, 3.0, -0.2, 0.7}, {2, 3});
const Tensor kYtProb = f64({0, 1, 0, 0.2, 0.3, 0.5}, {2, 3});
const Tensor kYpProb = f64({0.1, 0.7, 0.2, 0.25, 0.25, 0.5}, {2, 3});
const Tensor kYtCount = f64({1, 2, 0, 0, 3, 1}, {2, 3});
const Tensor kYpCount = f64({0.9, 1.8, 0.3, 0.4, 2.5, 1.1}, {2, 3});
const Tensor kYtBin = f64({0, 1, 1, 1, 0, 0}, {2, 3});
const Tensor kYpHinge = f64({-0.3, 0.8, 1.4, 0.2, -1.1, 0.4}, {2, 3});
const Tensor kYtOneHot = f64({0, 1, 0, 1, 0, 0}, {2, 3});
const Tensor kYpBinProb = f64({0.1, 0.8, 0.6, 0.7, 0.2, 0.4}, {2, 3});
const Tensor kYpLogits = f64({-1.2, 0.8, 2.0, 0.3, -0.5, 1.1}, {2, 3});
const Tensor kYtCat = f64({0, 1, 0, 0, 0, 1}, {2, 3});
const Tensor kYpCatProb = f64({0.05, 0.95, 0, 0.1, 0.8, 0.1}, {2, 3});
const Tensor kYpCatLogits = f64({1., 2., 0.5, 0.2, -1., 3.}, {2, 3});
const Tensor kLabels = Tensor::from_vector<int64_t>({1, 2});

struct Case {
  const char* what;
  std::function<std::shared_ptr<Loss>()> make;
  Tensor y_true, y_pred;
  std::vector<double> per_sample;  // numpy
};

std::vector<Case> cases() {
  using std::make_shared;
  return {
      // np.mean((yt-yp)**2,-1)
      {"mse",
       [] { return make_shared<MeanSquaredError>(); },
       kYtReg,
       kYpReg,
       {0.2166666666666667, 0.9766666666666667}},
      // np.mean(abs(yt-yp),-1)
      {"mae",
       [] { return make_shared<MeanAbsoluteError>(); },
       kYtReg,
       kYpReg,
       {0.43333333333333335, 0.8333333333333334}},
      // 100*np.mean(abs((yt-yp)/np.maximum(abs(yt),1e-7)),-1)
      {"mape",
       [] { return make_shared<MeanAbsolutePercentageError>(); },
       kYtReg,
       kYpReg,
       {166666683.3333333, 73.33333333333334}},
      // np.mean((np.log(np.maximum(yp,1e-7)+1)-np.log(np.maximum(yt,1e-7)+1))**2,-1)
      {"msle",
       [] { return make_shared<MeanSquaredLogarithmicError>(); },
       kYtReg,
       kYpReg,
       {0.06958128704387069, 0.07885640795276261}},
      // e=yp-yt; np.mean(np.where(abs(e)<=1, 0.5*e*e, abs(e)-0.5),-1)
      {"huber",
       [] { return make_shared<Huber>(); },
       kYtReg,
       kYpReg,
       {0.10833333333333335, 0.4466666666666667}},
      // np.mean(np.log(np.cosh(yp-yt)),-1)
      {"log_cosh",
       [] { return make_shared<LogCosh>(); },
       kYtReg,
       kYpReg,
       {0.10337262185879019, 0.38868726772739914}},
      // -np.sum(n(yt)*n(yp),-1), n(x)=x/np.linalg.norm(x,axis=-1,keepdims=True)
      {"cosine",
       [] { return make_shared<CosineSimilarity>(); },
       kYtReg,
       kYpReg,
       {-0.9701425001453318, -0.8744015234914767}},
      // t,q=clip(yt,1e-7,1),clip(yp,1e-7,1); np.sum(t*np.log(t/q),-1)
      {"kld",
       [] { return make_shared<KLDivergence>(); },
       kYtProb,
       kYpProb,
       {0.35667211152190276, 0.010067756775344432}},
      // np.mean(yp-yt*np.log(yp+1e-7),-1)
      {"poisson",
       [] { return make_shared<Poisson>(); },
       kYtCount,
       kYpCount,
       {0.6432623212104586, 0.38527247122137515}},
      // s=2*yt-1; np.mean(np.maximum(1-s*yp,0),-1)
      {"hinge", [] { return make_shared<Hinge>(); }, kYtBin, kYpHinge, {0.3, 0.7333333333333334}},
      // np.mean(np.maximum(1-s*yp,0)**2,-1)
      {"squared_hinge",
       [] { return make_shared<SquaredHinge>(); },
       kYtBin,
       kYpHinge,
       {0.17666666666666664, 0.8666666666666666}},
      // np.maximum(np.max((1-yt)*yp,-1)-np.sum(yt*yp,-1)+1,0)
      {"categorical_hinge",
       [] { return make_shared<CategoricalHinge>(); },
       kYtOneHot,
       kYpHinge,
       {1.6, 1.2}},
      // c=clip(yp,1e-7,1-1e-7); np.mean(-(yt*np.log(c)+(1-yt)*np.log(1-c)),-1)
      {"bce",
       [] { return make_shared<BinaryCrossentropy>(); },
       kYtBin,
       kYpBinProb,
       {0.2797765635793423, 0.3635480396729776}},
      // ts=yt*0.9+0.05; s=sigmoid(x); np.mean(-(ts*np.log(s)+(1-ts)*np.log(1-s)),-1)
      {"bce_logits_ls",
       [] {
         return make_shared<BinaryCrossentropy>(
             BinaryCrossentropyOptions{.from_logits = true, .label_smoothing = 0.1});
       },
       kYtBin,
       kYpLogits,
       {0.3204370481095937, 0.8002558512546881}},
      // q=clip(yp/yp.sum(-1,keepdims=True),1e-7,1-1e-7); -np.sum(yt*np.log(q),-1)
      {"cce",
       [] { return make_shared<CategoricalCrossentropy>(); },
       kYtCat,
       kYpCatProb,
       {0.05129329438755058, 2.3025850929940455}},
      // ls=yt*0.8+0.2/3; -np.sum(ls*(x-logsumexp(x)),-1)
      {"cce_logits_ls",
       [] {
         return make_shared<CategoricalCrossentropy>(
             CategoricalCrossentropyOptions{.from_logits = true, .label_smoothing = 0.2});
       },
       kYtCat,
       kYpCatLogits,
       {0.6310354507746114, 0.5294845109833097}},
      // c=clip(yp,1e-7,1-1e-7); -np.log(c[r,lab])+np.log(c.sum(-1))
      {"scce",
       [] { return make_shared<SparseCategoricalCrossentropy>(); },
       kLabels,
       kYpCatProb,
       {0.051293394387545634, 2.3025850929940455}},
      // -(x-logsumexp(x))[r,lab]
      {"scce_logits",
       [] {
         return make_shared<SparseCategoricalCrossentropy>(
             SparseCategoricalCrossentropyOptions{.from_logits = true});
       },
       kLabels,
       kYpCatLogits,
       {0.4643687841079447, 0.07615117764997636}},
  };
}

// The same loss with another reduction, through a config round trip.
std::shared_ptr<Loss> with_reduction(const std::shared_ptr<Loss>& loss, const std::string& r) {
  json config = loss->get_config();
  config["reduction"] = r;
  return deserialize(json{{"class_name", loss->class_name()}, {"config", config}});
}

void expect_near_rel(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::abs(expected))) << what;
}

TEST(Losses, ValuesForEveryReductionAndSampleWeights) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.what);
    auto loss = c.make();
    const double l0 = c.per_sample[0], l1 = c.per_sample[1];
    Tensor none = (*with_reduction(loss, "none"))(c.y_true, c.y_pred);
    ASSERT_EQ(none.shape(), Shape({2}));
    expect_near_rel(none.at<double>({0}), l0, "none[0]");
    expect_near_rel(none.at<double>({1}), l1, "none[1]");
    expect_near_rel(loss->call(c.y_true, c.y_pred).at<double>({1}), l1, "call");
    Tensor sobs = (*loss)(c.y_true, c.y_pred);
    EXPECT_EQ(sobs.ndim(), 0);
    expect_near_rel(sobs.item<double>(), (l0 + l1) / 2, "sum_over_batch_size");
    expect_near_rel((*with_reduction(loss, "mean"))(c.y_true, c.y_pred).item<double>(),
                    (l0 + l1) / 2, "mean");
    expect_near_rel((*with_reduction(loss, "sum"))(c.y_true, c.y_pred).item<double>(), l0 + l1,
                    "sum");
    const Tensor sw = f64({0.3, 0.7}, {2});
    expect_near_rel((*loss)(c.y_true, c.y_pred, sw).item<double>(), (0.3 * l0 + 0.7 * l1) / 2,
                    "weighted sum_over_batch_size");
    expect_near_rel((*loss)(c.y_true, c.y_pred, sw.reshape({2, 1})).item<double>(),
                    (0.3 * l0 + 0.7 * l1) / 2, "weights (2, 1)");
    expect_near_rel((*loss)(c.y_true, c.y_pred, Tensor::scalar(2.0, DType::float64)).item<double>(),
                    l0 + l1, "scalar weight");
    expect_near_rel((*with_reduction(loss, "sum"))(c.y_true, c.y_pred, sw).item<double>(),
                    0.3 * l0 + 0.7 * l1, "weighted sum");
    expect_near_rel(
        (*with_reduction(loss, "mean_with_sample_weight"))(c.y_true, c.y_pred, sw).item<double>(),
        0.3 * l0 + 0.7 * l1, "mean_with_sample_weight");
    Tensor wn = (*with_reduction(loss, "none"))(c.y_true, c.y_pred, sw);
    expect_near_rel(wn.at<double>({1}), 0.7 * l1, "weighted none");
  }
}

TEST(Losses, Float32InputsComputeInFloat32) {
  auto loss = MeanSquaredError();
  Tensor out = loss(kYtReg.astype(DType::float32), kYpReg.astype(DType::float32));
  EXPECT_EQ(out.dtype(), DType::float32);
  EXPECT_NEAR(out.item<double>(), (0.2166666666666667 + 0.9766666666666667) / 2, 1e-6);
}

TEST(Losses, KerasDocumentedExamples) {
  // keras.losses.BinaryCrossentropy docstring (from_logits=True).
  const Tensor yt = Tensor::from_vector<float>({0, 1, 0, 0}, {2, 2});
  const Tensor yp = Tensor::from_vector<float>({-18.6f, 0.51f, 2.94f, -12.8f}, {2, 2});
  BinaryCrossentropy bce({.from_logits = true});
  EXPECT_NEAR(bce(yt, yp).item<double>(), 0.8654, 1e-4);
  EXPECT_NEAR(bce(yt, yp, Tensor::from_vector<float>({0.8f, 0.2f})).item<double>(), 0.243, 1e-3);
  EXPECT_NEAR(BinaryCrossentropy({.from_logits = true, .reduction = "sum"})(yt, yp).item<double>(),
              1.730, 1e-3);
  Tensor none = BinaryCrossentropy({.from_logits = true, .reduction = "none"})(yt, yp);
  EXPECT_NEAR(none.at<double>({0}), 0.235, 1e-3);
  EXPECT_NEAR(none.at<double>({1}), 1.496, 1e-3);
  // keras.losses.CategoricalCrossentropy / SparseCategoricalCrossentropy docstrings.
  const Tensor p = Tensor::from_vector<float>({0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f}, {2, 3});
  const Tensor onehot = Tensor::from_vector<float>({0, 1, 0, 0, 0, 1}, {2, 3});
  const Tensor w = Tensor::from_vector<float>({0.3f, 0.7f});
  EXPECT_NEAR(CategoricalCrossentropy()(onehot, p).item<double>(), 1.177, 1e-3);
  EXPECT_NEAR(CategoricalCrossentropy()(onehot, p, w).item<double>(), 0.814, 1e-3);
  EXPECT_NEAR(CategoricalCrossentropy({.reduction = "sum"})(onehot, p).item<double>(), 2.354, 1e-3);
  const Tensor labels = Tensor::from_vector<int32_t>({1, 2});
  EXPECT_NEAR(SparseCategoricalCrossentropy()(labels, p).item<double>(), 1.177, 1e-3);
  EXPECT_NEAR(SparseCategoricalCrossentropy()(labels, p, w).item<double>(), 0.814, 1e-3);
  // keras.losses.huber docstring: 0.155.
  EXPECT_NEAR(Huber()(Tensor::from_vector<float>({0, 1, 0, 0}, {2, 2}),
                      Tensor::from_vector<float>({0.6f, 0.4f, 0.4f, 0.6f}, {2, 2}))
                  .item<double>(),
              0.155, 1e-3);
}

TEST(Losses, GradientsMatchFiniteDifferences) {
  // Inputs away from kinks and clip boundaries; MAPE with nonzero targets.
  const Tensor sw = f64({0.3, 0.7}, {2});
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.what);
    auto loss = c.make();
    Tensor y_true = c.y_true, y_pred = c.y_pred;
    if (std::string(c.what) == "mape") y_true = f64({1, 2, 3, 2, -1, 1}, {2, 3});
    if (std::string(c.what) == "cce" || std::string(c.what) == "scce")
      y_pred = f64({0.05, 0.9, 0.05, 0.1, 0.8, 0.1}, {2, 3});
    testing::expect_gradients_match(
        [&](const std::vector<Tensor>& in) { return (*loss)(y_true, in[0], sw); }, {y_pred});
    auto none = with_reduction(loss, "none");
    testing::expect_gradients_match(
        [&](const std::vector<Tensor>& in) { return (*none)(y_true, in[0]); }, {y_pred});
  }
}

TEST(Losses, CrossentropyGradientsAxisAndBatchDims) {
  // Class axis 1 of a (2, 3, 2) tensor (moved last internally) and a (2, 2, 3) batch of rows.
  const Tensor x = testing::sample({2, 3, 2}, -2, 2, 7);
  const Tensor t = ops::softmax(testing::sample({2, 3, 2}, -1, 1, 8), 1);
  CategoricalCrossentropy cce({.from_logits = true, .axis = 1});
  testing::expect_gradients_match([&](const std::vector<Tensor>& in) { return cce(t, in[0]); },
                                  {x});
  // from_logits with axis=1 equals log_softmax along axis 1 (ops as the reference).
  const double ref = -ops::mean(ops::sum(t * ops::log_softmax(x, 1), {1})).item<double>();
  EXPECT_NEAR(cce(t, x).item<double>(), ref, 1e-12);
  BinaryCrossentropy bce({.from_logits = true, .axis = 1});
  testing::expect_gradients_match([&](const std::vector<Tensor>& in) { return bce(t, in[0]); },
                                  {x});
  const Tensor logits = testing::sample({2, 2, 3}, -3, 3, 9);
  const Tensor lab = Tensor::from_vector<int64_t>({0, 2, 1, 1}, {2, 2});
  SparseCategoricalCrossentropy scce({.from_logits = true});
  testing::expect_gradients_match(
      [&](const std::vector<Tensor>& in) {
        return scce(lab, in[0], f64({1, 2, 3, 4}, {2, 2}));
      },
      {logits});
}

TEST(Losses, ExtremeLogitsStayFinite) {
  const Tensor logits = Tensor::from_vector<float>({1000, -1000, 0, -1e4f, 1e4f, 3}, {2, 3});
  const Tensor labels = Tensor::from_vector<int64_t>({1, 0});
  const Tensor onehot = Tensor::from_vector<float>({0, 1, 0, 1, 0, 0}, {2, 3});
  std::vector<std::pair<std::string, std::function<Tensor(const Tensor&)>>> fns = {
      {"scce",
       [&](const Tensor& x) {
         return SparseCategoricalCrossentropy({.from_logits = true})(labels, x);
       }},
      {"cce",
       [&](const Tensor& x) { return CategoricalCrossentropy({.from_logits = true})(onehot, x); }},
      {"bce",
       [&](const Tensor& x) { return BinaryCrossentropy({.from_logits = true})(onehot, x); }},
      {"bce_prob", [&](const Tensor& x) { return BinaryCrossentropy()(onehot, ops::sigmoid(x)); }},
      {"scce_prob",
       [&](const Tensor& x) { return SparseCategoricalCrossentropy()(labels, ops::softmax(x)); }},
  };
  for (auto& [what, f] : fns) {
    SCOPED_TRACE(what);
    Tensor x = logits.clone();
    GradientTape tape;
    tape.watch(x);
    Tensor l = f(x);
    Tensor g = tape.gradient(l, x);
    EXPECT_TRUE(std::isfinite(l.item<double>()));
    for (float v : g.to_vector<float>()) EXPECT_TRUE(std::isfinite(v));
  }
  // Exact values: row 0 loses 2000 (label 1 at -1000 vs 1000), row 1 loses 2e4.
  EXPECT_NEAR(SparseCategoricalCrossentropy({.from_logits = true})(labels, logits).item<double>(),
              (2000.0 + 20000.0) / 2, 1e-2);
}

TEST(Losses, SparseIgnoreClassMasksTheMean) {
  const Tensor x = f64({1, 2, 0.5, 0, 0, 0, 0.2, -1, 3}, {3, 3});
  const Tensor labels = Tensor::from_vector<int64_t>({1, -1, 2});
  const double l0 = 0.4643687841079447, l2 = 0.07615117764997636;  // scce_logits above
  SparseCategoricalCrossentropy scce({.from_logits = true, .ignore_class = -1});
  EXPECT_NEAR(scce(labels, x).item<double>(), (l0 + l2) / 2, 1e-12);
  auto sum = with_reduction(std::make_shared<SparseCategoricalCrossentropy>(scce), "sum");
  EXPECT_NEAR((*sum)(labels, x).item<double>(), l0 + l2, 1e-12);
  auto none = with_reduction(std::make_shared<SparseCategoricalCrossentropy>(scce), "none");
  EXPECT_EQ((*none)(labels, x).to_vector<double>()[1], 0.0);
  const Tensor sw = f64({2, 5, 3}, {3});
  EXPECT_NEAR(scce(labels, x, sw).item<double>(), (2 * l0 + 3 * l2) / 2, 1e-12);
  auto mws = with_reduction(std::make_shared<SparseCategoricalCrossentropy>(scce),
                            "mean_with_sample_weight");
  EXPECT_NEAR((*mws)(labels, x, sw).item<double>(), (2 * l0 + 3 * l2) / 5, 1e-12);
  Tensor xv = x.clone();
  GradientTape tape;
  tape.watch(xv);
  Tensor g = tape.gradient(scce(labels, xv), xv);
  for (int j = 0; j < 3; ++j) EXPECT_EQ(g.at<double>({1, j}), 0.0);
  testing::expect_gradients_match(
      [&](const std::vector<Tensor>& in) { return scce(labels, in[0], sw); }, {x});
}

TEST(Losses, BadInputs) {
  SparseCategoricalCrossentropy scce;
  EXPECT_THROW(scce(Tensor::from_vector<int64_t>({0, 3}), kYpCatProb), ValueError);
  EXPECT_THROW(scce(Tensor::from_vector<int64_t>({0, 1, 2}), kYpCatProb), ValueError);
  EXPECT_THROW(BinaryCrossentropy()(f64({0, 1}, {2}), kYpBinProb), ValueError);
  EXPECT_THROW(MeanSquaredError({.reduction = "average"}), ValueError);
  EXPECT_THROW(MeanSquaredError()(kYtReg, kYpReg, f64({1, 2, 3}, {3})), ValueError);
}

TEST(Losses, GetByNameAndAliases) {
  EXPECT_EQ(get("MeanSquaredError")->name(), "mean_squared_error");
  EXPECT_EQ(get("mse")->class_name(), "MeanSquaredError");
  EXPECT_EQ(get("mse")->name(), "mse");  // compile's LossFunctionWrapper(name=identifier)
  EXPECT_EQ(get("MAE")->class_name(), "MeanAbsoluteError");
  EXPECT_EQ(get("mape")->class_name(), "MeanAbsolutePercentageError");
  EXPECT_EQ(get("kld")->class_name(), "KLDivergence");
  EXPECT_EQ(get("kl_divergence")->class_name(), "KLDivergence");
  EXPECT_EQ(get("KLDivergence")->name(), "kl_divergence");
  EXPECT_EQ(get("Huber")->name(), "huber_loss");
  EXPECT_EQ(get("log_cosh")->class_name(), "LogCosh");
  EXPECT_EQ(get("bce")->class_name(), "BinaryCrossentropy");
  EXPECT_EQ(get("sparse_categorical_crossentropy")->class_name(), "SparseCategoricalCrossentropy");
  EXPECT_EQ(get("SparseCategoricalCrossentropy")->name(), "sparse_categorical_crossentropy");
  EXPECT_EQ(get("cosine_similarity")->class_name(), "CosineSimilarity");
  EXPECT_THROW(get("mean_squared_errors"), UnknownObjectError);
  EXPECT_THROW(deserialize(json{{"class_name", "Nope"}, {"config", json::object()}}),
               UnknownObjectError);
  LossArg arg("categorical_crossentropy");
  EXPECT_EQ(arg->class_name(), "CategoricalCrossentropy");
}

TEST(Losses, ConfigFieldsAndRoundTrip) {
  // Keras 3 get_config key order: name, reduction, then the class's fields.
  json bce = BinaryCrossentropy().get_config();
  std::vector<std::string> keys;
  for (auto it = bce.begin(); it != bce.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "reduction", "from_logits", "label_smoothing",
                                            "axis"}));
  EXPECT_EQ(bce["name"], "binary_crossentropy");
  EXPECT_EQ(bce["reduction"], "sum_over_batch_size");
  EXPECT_EQ(MeanSquaredError().get_config(),
            json::parse(R"({"name":"mean_squared_error","reduction":"sum_over_batch_size"})"));
  EXPECT_TRUE(SparseCategoricalCrossentropy().get_config()["ignore_class"].is_null());

  // Keras 3 flavour (module / registered_name) with a Keras None reduction.
  json k3 = json::parse(R"({"module": "keras.losses", "class_name": "SparseCategoricalCrossentropy",
      "config": {"name": "scce", "reduction": null, "from_logits": true, "ignore_class": 255},
      "registered_name": null})");
  auto scce = deserialize(k3);
  EXPECT_EQ(scce->name(), "scce");
  EXPECT_EQ(scce->reduction(), "none");
  json back = scce->get_config();
  EXPECT_EQ(back["from_logits"], true);
  EXPECT_EQ(back["ignore_class"], 255);
  EXPECT_EQ(deserialize(json{{"class_name", scce->class_name()}, {"config", back}})->get_config(),
            back);
  for (const char* name : {"Huber", "CosineSimilarity", "CategoricalCrossentropy", "Poisson"}) {
    auto l = get(name);
    json c = l->get_config();
    EXPECT_EQ(deserialize(json{{"class_name", name}, {"config", c}})->get_config(), c) << name;
  }
  auto huber = deserialize(json::parse(R"({"class_name":"Huber","config":{"delta":2.5}})"));
  EXPECT_EQ(huber->get_config()["delta"], 2.5);
  // A plain function, as Keras 3 serializes one.
  EXPECT_EQ(deserialize(json::parse(R"({"class_name":"function","config":"mae"})"))->class_name(),
            "MeanAbsoluteError");
  EXPECT_EQ(deserialize(json("mse"))->class_name(), "MeanSquaredError");
  EXPECT_THROW(deserialize(json::parse(R"({"class_name":"Huber","config":{"reduction":"x"}})")),
               ValueError);
}

}  // namespace
}  // namespace keras::losses

namespace keras::losses {
namespace {

TEST(Losses, FromLogitsCrossentropiesAreOneOp) {
  // The training path records one node whose input is the logits (no chain of generic ops).
  Tensor logits = testing::sample({4, 10}, -2, 2, 3).astype(DType::float32);
  const Tensor labels = Tensor::from_vector<int64_t>({3, 0, 9, 5});
  GradientTape tape;
  tape.watch(logits);
  Tensor loss = SparseCategoricalCrossentropy({.from_logits = true})(labels, logits);
  ASSERT_TRUE(loss.grad_node());
  EXPECT_EQ(loss.grad_node()->op, "SparseSoftmaxCrossEntropyWithLogits");
  ASSERT_EQ(loss.grad_node()->inputs.size(), 1u);
  EXPECT_EQ(loss.grad_node()->inputs[0], logits.grad_node());
  // Its gradient is (softmax - onehot) / N.
  const Tensor g = tape.gradient(loss, logits);
  const Tensor expected = (ops::softmax(logits) - ops::one_hot(labels, 10)) / 4.0;
  for (int64_t i = 0; i < g.size(); ++i)
    EXPECT_NEAR(g.to_vector<double>()[i], expected.to_vector<double>()[i], 1e-6);
  Tensor bce = BinaryCrossentropy({.from_logits = true})(ops::one_hot(labels, 10), logits);
  EXPECT_EQ(bce.grad_node()->op, "SigmoidCrossEntropyWithLogits");
  Tensor cce = CategoricalCrossentropy({.from_logits = true})(ops::one_hot(labels, 10), logits);
  EXPECT_EQ(cce.grad_node()->op, "SoftmaxCrossEntropyWithLogits");
}

}  // namespace
}  // namespace keras::losses
