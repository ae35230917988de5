// Activations (keras/ops/math.hpp): values from the published formulas evaluated with numpy
// (`/usr/bin/python3`, the expression named beside each list; erf from Python's math.erf; SELU
// constants from Klambauer et al. 2017; Keras's relu composition re-typed from
// keras/src/activations/activations.py), gradients against central finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keras/keras.hpp"
#include "keras/ops/math.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

namespace {

using Fn = std::function<Tensor(const Tensor&)>;

Tensor f64(const std::vector<double>& v) { return Tensor::from_vector<double>(v); }

void expect_values(const Tensor& t, const std::vector<double>& want, double rtol,
                   double atol = 0.0) {
  const std::vector<double> got = t.to_vector<double>();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], atol + rtol * std::abs(want[i])) << "element " << i;
}

// float64 to 1e-13 relative; float32 to a few float ulps (absolute floor for values near 0).
void expect_both_dtypes(const Fn& fn, const std::vector<double>& x,
                        const std::vector<double>& want) {
  Tensor y64 = fn(f64(x));
  EXPECT_EQ(y64.dtype(), float64);
  // atol 1e-15: the tanh-form gelu's 1 + tanh(..) cancels near x = -4 in any implementation.
  expect_values(y64, want, 1e-13, 1e-15);
  Tensor y32 = fn(f64(x).astype(float32));
  EXPECT_EQ(y32.dtype(), float32);
  expect_values(y32, want, 1e-6, 2e-7);
}

// x = np.array([-4.0, -2.5, -1.0, -0.3, 0.2, 0.7, 1.5, 3.25, 7.0])
const std::vector<double> kX = {-4.0, -2.5, -1.0, -0.3, 0.2, 0.7, 1.5, 3.25, 7.0};

}  // namespace

TEST(Activations, ValuesMatchPublishedFormulas) {
  // 1 / (1 + np.exp(-x))
  expect_both_dtypes([](const Tensor& t) { return ops::sigmoid(t); }, kX,
                     {0.01798620996209156, 0.07585818002124355, 0.2689414213699951,
                      0.425557483188341, 0.549833997312478, 0.668187772168166, 0.8175744761936437,
                      0.9626731126558706, 0.9990889488055994});
  // np.tanh(x)
  expect_both_dtypes([](const Tensor& t) { return ops::tanh(t); }, kX,
                     {-0.999329299739067, -0.9866142981514303, -0.7615941559557649,
                      -0.2913126124515909, 0.197375320224904, 0.6043677771171634,
                      0.9051482536448665, 0.996997635486526, 0.9999983369439447});
  // np.log1p(np.exp(x))
  expect_both_dtypes([](const Tensor& t) { return ops::softplus(t); }, kX,
                     {0.018149927917809734, 0.07888973429254964, 0.31326168751822286,
                      0.5543552444685271, 0.7981388693815918, 1.103186048885458, 1.7014132779827524,
                      3.288041371687783, 7.000911466453774});
  // x / (1 + np.abs(x))
  expect_both_dtypes([](const Tensor& t) { return ops::softsign(t); }, kX,
                     {-0.8, -0.7142857142857143, -0.5, -0.23076923076923075, 0.16666666666666669,
                      0.4117647058823529, 0.6, 0.7647058823529411, 0.875});
  // x * sigmoid(x)
  expect_both_dtypes([](const Tensor& t) { return ops::silu(t); }, kX,
                     {-0.07194483984836623, -0.18964545005310887, -0.2689414213699951,
                      -0.1276672449565023, 0.1099667994624956, 0.4677314405177162,
                      1.2263617142904655, 3.1286876161315798, 6.993622641639195});
  // np.where(x > 0, x, np.expm1(x)) and with alpha 0.5
  expect_both_dtypes([](const Tensor& t) { return ops::elu(t); }, kX,
                     {-0.9816843611112658, -0.9179150013761012, -0.6321205588285577,
                      -0.2591817793182821, 0.2, 0.7, 1.5, 3.25, 7.0});
  expect_both_dtypes([](const Tensor& t) { return ops::elu(t, 0.5); }, kX,
                     {-0.4908421805556329, -0.4589575006880506, -0.31606027941427883,
                      -0.12959088965914106, 0.2, 0.7, 1.5, 3.25, 7.0});
  // scale * np.where(x > 0, x, alpha * np.expm1(x)), scale/alpha from the SELU paper
  expect_both_dtypes([](const Tensor& t) { return ops::selu(t); }, kX,
                     {-1.7258986281898945, -1.6137857588732423, -1.1113307378125625,
                      -0.4556673153791221, 0.2101401974710961, 0.7354906911488363,
                      1.5760514810332207, 3.4147782089053114, 7.354906911488364});
  // 0.5 * x * (1 + erf(x / sqrt(2)))
  expect_both_dtypes([](const Tensor& t) { return ops::gelu(t, false); }, kX,
                     {-0.00012668496733247991, -0.015524163314440398, -0.15865525393145707,
                      -0.1146265733433142, 0.11585194188782061, 0.5306254434438489,
                      1.399789198096713, 3.24812466861223, 6.999999999991041});
  // 0.5 * x * (1 + np.tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))
  expect_both_dtypes([](const Tensor& t) { return ops::gelu(t, true); }, kX,
                     {-7.02459481924933e-05, -0.015084266089998577, -0.1588080093917233,
                      -0.11462907645724076, 0.11585142978210627, 0.5305701347051167,
                      1.3995715769802328, 3.2484313728552525, 6.999999999999997});
  // np.clip(x + 3, 0, 6) / 6 (Keras 3) and np.clip(0.2 * x + 0.5, 0, 1) (Keras 2)
  expect_both_dtypes([](const Tensor& t) { return ops::hard_sigmoid(t); }, kX,
                     {0.0, 0.08333333333333333, 0.3333333333333333, 0.45, 0.5333333333333333,
                      0.6166666666666667, 0.75, 1.0, 1.0});
  expect_both_dtypes([](const Tensor& t) { return ops::hard_sigmoid_keras2(t); }, kX,
                     {0.0, 0.0, 0.3, 0.44, 0.54, 0.64, 0.8, 1.0, 1.0});
  // x * np.clip(x + 3, 0, 6) / 6
  expect_both_dtypes([](const Tensor& t) { return ops::hard_silu(t); }, kX,
                     {0.0, -0.20833333333333334, -0.3333333333333333, -0.135, 0.10666666666666669,
                      0.43166666666666664, 1.125, 3.25, 7.0});
  // np.where(x > 0, x, 0.2 * x), np.clip(x, 0, 6)
  expect_both_dtypes([](const Tensor& t) { return ops::leaky_relu(t); }, kX,
                     {-0.8, -0.5, -0.2, -0.06, 0.2, 0.7, 1.5, 3.25, 7.0});
  expect_both_dtypes([](const Tensor& t) { return ops::relu6(t); }, kX,
                     {0.0, 0.0, 0.0, 0.0, 0.2, 0.7, 1.5, 3.25, 6.0});
  expect_both_dtypes([](const Tensor& t) { return ops::relu(t); }, kX,
                     {0.0, 0.0, 0.0, 0.0, 0.2, 0.7, 1.5, 3.25, 7.0});
  // x * np.tanh(np.log1p(np.exp(x))), np.log(sigmoid(x))
  expect_both_dtypes([](const Tensor& t) { return ops::mish(t); }, kX,
                     {-0.07259174079202534, -0.19681620390653337, -0.30340146137410895,
                      -0.15113317713833455, 0.13259900186215923, 0.5611483776438518,
                      1.4033782663958028, 3.2409561733599657, 6.999988379809741});
  expect_both_dtypes([](const Tensor& t) { return ops::log_sigmoid(t); }, kX,
                     {-4.0181499279178094, -2.5788897342925496, -1.3132616875182228,
                      -0.8543552444685271, -0.5981388693815918, -0.403186048885458,
                      -0.20141327798275244, -0.03804137168778303, -0.0009114664537742021});
}

TEST(Activations, ReluFollowsKerasComposition) {
  // krelu(x, negative_slope, max_value, threshold) re-typed in numpy from Keras's ReLU.static_call.
  expect_both_dtypes([](const Tensor& t) { return ops::relu(t, 0.1, 2.0, 0.5); }, kX,
                     {-0.45, -0.30000000000000004, -0.15000000000000002, -0.08000000000000002,
                      -0.03, 0.7, 1.5, 2.0, 2.0});
  // Keras's quirk: a negative threshold without max_value lets x in (threshold, 0] through.
  expect_both_dtypes([](const Tensor& t) { return ops::relu(t, 0.0, std::nullopt, -1.5); }, kX,
                     {0.0, 0.0, -1.0, -0.3, 0.2, 0.7, 1.5, 3.25, 7.0});
  expect_both_dtypes([](const Tensor& t) { return ops::relu(t, 0.0, 1.0); }, kX,
                     {0.0, 0.0, 0.0, 0.0, 0.2, 0.7, 1.0, 1.0, 1.0});
  expect_both_dtypes([](const Tensor& t) { return ops::relu(t, 0.0, 3.0, -1.5); }, kX,
                     {0.0, 0.0, 0.0, 0.0, 0.2, 0.7, 1.5, 3.0, 3.0});
  // relu(x, max_value=6) is relu6; relu(x, negative_slope=a) is leaky_relu(x, a).
  expect_both_dtypes([](const Tensor& t) { return ops::relu(t, 0.0, 6.0); }, kX,
                     {0.0, 0.0, 0.0, 0.0, 0.2, 0.7, 1.5, 3.25, 6.0});
  expect_both_dtypes([](const Tensor& t) { return ops::relu(t, 0.3); }, kX,
                     {-1.2, -0.75, -0.3, -0.09, 0.2, 0.7, 1.5, 3.25, 7.0});
}

TEST(Activations, NumericallyStableAtExtremes) {
  const double big = 1000.0;
  for (DType dt : {float32, float64}) {
    Tensor x = f64({-big, big}).astype(dt);
    expect_values(ops::softplus(x), {0.0, big}, 0);
    expect_values(ops::sigmoid(x), {0.0, 1.0}, 0);
    expect_values(ops::log_sigmoid(x), {-big, 0.0}, 0);
    expect_values(ops::tanh(x), {-1.0, 1.0}, 0);
    expect_values(ops::silu(x), {0.0, big}, 0);
    expect_values(ops::elu(x), {-1.0, big}, 0);
    expect_values(ops::gelu(x, false), {0.0, big}, 0);
    expect_values(ops::gelu(x, true), {0.0, big}, 0);
    expect_values(ops::mish(x), {0.0, big}, 0);
    // sigmoid's output-based backward at saturation is exactly 0, never NaN.
    GradientTape tape;
    tape.watch(x);
    Tensor g = tape.gradient(ops::sum(ops::sigmoid(x)), x);
    expect_values(g, {0.0, 0.0}, 0);
  }
  // Float32 gelu uses a rational erf approximation: check it across the range against libm.
  std::vector<double> xs;
  for (double v = -6.0; v <= 6.0; v += 0.013) xs.push_back(v);
  const std::vector<double> x32 = f64(xs).astype(float32).to_vector<double>();
  const std::vector<float> y = ops::gelu(f64(x32).astype(float32), false).to_vector<float>();
  for (size_t i = 0; i < x32.size(); ++i) {
    const double want = 0.5 * x32[i] * std::erfc(-x32[i] / std::sqrt(2.0));
    // 1 + erf(x/sqrt 2) has float32's absolute error near erf = -1, scaled by x: the error
    // is bounded relative to |x| (as for Eigen's float32 gelu), not relative to the tiny result.
    ASSERT_NEAR(y[i], want, 4e-7 * std::abs(want) + 1.5e-7 * std::max(1.0, std::abs(x32[i])))
        << "gelu(" << x32[i] << ")";
  }
}

TEST(Activations, GradientsMatchFiniteDifferences) {
  // Points kept away from every kink (0, +-3, 6, +-2.5, thresholds).
  const Tensor x = f64({-4.1, -2.6, -1.1, -0.35, 0.25, 0.65, 1.45, 3.3, 7.2, -2.9, 2.9, 5.5});
  const Tensor s = sample({3, 5}, -5.0, 5.0, 31);
  std::vector<std::pair<const char*, Fn>> fns = {
      {"relu", [](const Tensor& t) { return ops::relu(t); }},
      {"relu6", [](const Tensor& t) { return ops::relu6(t); }},
      {"leaky_relu", [](const Tensor& t) { return ops::leaky_relu(t); }},
      {"elu", [](const Tensor& t) { return ops::elu(t); }},
      {"elu(0.7)", [](const Tensor& t) { return ops::elu(t, 0.7); }},
      {"selu", [](const Tensor& t) { return ops::selu(t); }},
      {"gelu", [](const Tensor& t) { return ops::gelu(t, false); }},
      {"gelu_tanh", [](const Tensor& t) { return ops::gelu(t, true); }},
      {"sigmoid", [](const Tensor& t) { return ops::sigmoid(t); }},
      {"hard_sigmoid", [](const Tensor& t) { return ops::hard_sigmoid(t); }},
      {"hard_sigmoid_keras2", [](const Tensor& t) { return ops::hard_sigmoid_keras2(t); }},
      {"hard_silu", [](const Tensor& t) { return ops::hard_silu(t); }},
      {"tanh", [](const Tensor& t) { return ops::tanh(t); }},
      {"softplus", [](const Tensor& t) { return ops::softplus(t); }},
      {"softsign", [](const Tensor& t) { return ops::softsign(t); }},
      {"silu", [](const Tensor& t) { return ops::silu(t); }},
      {"mish", [](const Tensor& t) { return ops::mish(t); }},
      {"log_sigmoid", [](const Tensor& t) { return ops::log_sigmoid(t); }},
      {"exponential", [](const Tensor& t) { return ops::exponential(t); }},
      {"relu(0.1, 2, 0.5)", [](const Tensor& t) { return ops::relu(t, 0.1, 2.0, 0.5); }},
      {"relu(0, none, -1.5)",
       [](const Tensor& t) { return ops::relu(t, 0.0, std::nullopt, -1.5); }},
      {"relu(0, 3, -1.5)", [](const Tensor& t) { return ops::relu(t, 0.0, 3.0, -1.5); }},
      {"clip", [](const Tensor& t) { return ops::clip(t, -1.0, 2.0); }},
  };
  for (const auto& [name, fn] : fns) {
    SCOPED_TRACE(name);
    expect_gradients_match([fn](const std::vector<Tensor>& v) { return fn(v[0]); }, {x});
    expect_gradients_match([fn](const std::vector<Tensor>& v) { return fn(v[0]); }, {s});
  }
}

TEST(Activations, GradientsAtKinksFollowTensorFlow) {
  auto grad = [](const Fn& fn, const std::vector<double>& at) {
    Tensor x = f64(at);
    GradientTape tape;
    tape.watch(x);
    return tape.gradient(ops::sum(fn(x)), x).to_vector<double>();
  };
  // tf.nn.relu: 0 at 0. relu6: open interval (0, 6). clip_by_value: closed interval.
  EXPECT_EQ(grad([](const Tensor& t) { return ops::relu(t); }, {0.0, 1.0}),
            (std::vector<double>{0, 1}));
  EXPECT_EQ(grad([](const Tensor& t) { return ops::relu6(t); }, {0.0, 6.0, 3.0}),
            (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(grad([](const Tensor& t) { return ops::clip(t, 0.0, 6.0); }, {0.0, 6.0, 7.0}),
            (std::vector<double>{1, 1, 0}));
  EXPECT_EQ(grad([](const Tensor& t) { return ops::hard_sigmoid_keras2(t); }, {2.5, -2.5, 3.0}),
            (std::vector<double>{0.2, 0.2, 0}));
  EXPECT_EQ(grad([](const Tensor& t) { return ops::leaky_relu(t); }, {0.0}),
            (std::vector<double>{0.2}));
}

TEST(Activations, ByNameResolvesKerasNames) {
  const Tensor x = sample({7}, -4.0, 4.0, 41);
  const std::vector<std::pair<const char*, Fn>> same = {
      {"relu", [](const Tensor& t) { return ops::relu(t); }},
      {"sigmoid", [](const Tensor& t) { return ops::sigmoid(t); }},
      {"tanh", [](const Tensor& t) { return ops::tanh(t); }},
      {"gelu", [](const Tensor& t) { return ops::gelu(t, false); }},
      {"swish", [](const Tensor& t) { return ops::silu(t); }},
      {"hard_swish", [](const Tensor& t) { return ops::hard_silu(t); }},
      {"hard_sigmoid", [](const Tensor& t) { return ops::hard_sigmoid(t); }},
      {"leaky_relu", [](const Tensor& t) { return ops::leaky_relu(t, 0.2); }},
      {"exponential", [](const Tensor& t) { return ops::exp(t); }},
      {"selu", [](const Tensor& t) { return ops::selu(t); }},
  };
  for (const auto& [name, fn] : same)
    EXPECT_EQ(ops::activation(name, x).to_vector<double>(), fn(x).to_vector<double>()) << name;
  EXPECT_TRUE(ops::activation("linear", x).shares_storage(x));
  try {
    ops::activation("relu7", x);
    FAIL() << "expected UnknownObjectError";
  } catch (const UnknownObjectError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'relu7'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("sigmoid"), std::string::npos) << msg;
  }
  EXPECT_THROW(ops::activation("softmax_test_hook", x), ValueError);
  ops::register_activation("softmax_test_hook", [](const Tensor& t) { return t * 2.0; });
  EXPECT_EQ(ops::activation("softmax_test_hook", x).to_vector<double>(),
            (x * 2.0).to_vector<double>());
  const auto names = ops::activation_names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_THROW(ops::register_activation("", [](const Tensor& t) { return t; }), ValueError);
}

TEST(Activations, DtypesAndErrors) {
  Tensor h = f64({-1.0, 2.0}).astype(float16);
  Tensor r = ops::relu(h);
  EXPECT_EQ(r.dtype(), float16);
  EXPECT_EQ(r.to_vector<float>(), (std::vector<float>{0.0f, 2.0f}));
  Tensor i = Tensor::from_vector<int32_t>({-1, 2});
  EXPECT_EQ(ops::relu(i).dtype(), float32);  // float-valued, as Keras 3 on int input
  EXPECT_THROW(ops::sigmoid(Tensor()), ValueError);
  EXPECT_THROW(ops::relu(Tensor::from_strings({"x"})), TypeError);
}
