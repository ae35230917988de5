// Recurrent layers: GRU(reset_after=true) against the Keras formula written out here in double
// precision, finite-difference gradients (inputs and weights, float64), the object tree and
// weights Keras's files depend on, configs (Keras 3 get_config keys), state handling, errors.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/core/random.hpp"
#include "keras/keras.hpp"
#include "keras/layers/core/dense.hpp"
#include "keras/layers/rnn_layers.hpp"
#include "testing/gradcheck.hpp"

using namespace keras;
using namespace keras::layers;
using keras::testing::expect_gradients_match;
using keras::testing::sample;

namespace {

DenseOptions dense_options(const std::string& activation, const std::string& name = "",
                           const std::string& dtype = "float32") {
  DenseOptions o;
  o.activation = activation;
  o.name = name;
  o.dtype = dtype;
  return o;
}

std::vector<std::string> keys(const json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

double max_diff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  if (a.shape() != b.shape()) return 1e30;
  auto va = a.to_vector<double>(), vb = b.to_vector<double>();
  double m = 0;
  for (size_t i = 0; i < va.size(); ++i) m = std::max(m, std::abs(va[i] - vb[i]));
  return m;
}

// Every output of a layer call flattened into one tensor (so gradients flow through states too).
Tensor all_outputs(layers::Layer& layer, const Tensor& x) {
  std::vector<Tensor> parts;
  for (auto& y : layer(std::vector<Tensor>{x}, false)) parts.push_back(y.reshape({-1}));
  return parts.size() == 1 ? parts[0] : ops::concatenate(parts, 0);
}

// tape.gradient of sum(outputs * w) with respect to every trainable weight, against central
// differences of the same sum with each weight element perturbed in place.
void expect_weight_gradients_match(layers::Layer& layer, const Tensor& x, double eps = 1e-6,
                                   double tol = 1e-6) {
  const auto vars = layer.trainable_weights();
  ASSERT_FALSE(vars.empty());
  const Tensor w = sample(all_outputs(layer, x).shape(), 0.5, 1.5, 7);
  auto loss_value = [&]() {
    return ops::sum(ops::multiply(all_outputs(layer, x), w)).item<double>();
  };
  std::vector<Tensor> analytic;
  {
    GradientTape tape;
    Tensor loss = ops::sum(ops::multiply(all_outputs(layer, x), w));
    analytic = tape.gradient(loss, vars);
  }
  for (size_t k = 0; k < vars.size(); ++k) {
    ASSERT_TRUE(analytic[k].defined()) << "no gradient for " << vars[k].name();
    Variable v = vars[k];
    const Tensor original = v.value().clone();
    const auto g = analytic[k].to_vector<double>();
    double worst = 0;
    for (int64_t i = 0; i < original.size(); ++i) {
      Tensor p = original.clone();
      p.data<double>()[i] += eps;
      v.assign(p);
      const double fp = loss_value();
      p.data<double>()[i] -= 2 * eps;
      v.assign(p);
      const double fm = loss_value();
      v.assign(original);
      const double numeric = (fp - fm) / (2 * eps);
      worst = std::max(worst, std::abs(numeric - g[i]) / std::max(1.0, std::abs(numeric)));
    }
    EXPECT_LE(worst, tol) << "weight " << vars[k].path();
  }
}

void randomize(layers::Layer& layer, int64_t seed, DType dtype = float64) {
  std::vector<Tensor> w;
  int64_t k = 0;
  for (const auto& v : layer.weights())
    w.push_back(random::uniform(v.shape(), -0.6, 0.6, dtype, seed * 100 + k++));
  layer.set_weights(w);
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

}  // namespace

// ---------------------------------------------------------------- reference math

TEST(RnnLayers, GRUResetAfterMatchesTheKerasFormula) {
  const int64_t B = 2, T = 4, I = 3, U = 5;
  GRU gru(U, {.return_sequences = true, .dtype = "float64"});
  Tensor x = sample({B, T, I}, -1, 1, 3);
  gru.ensure_built(x.shape());
  randomize(gru, 1);
  auto w = gru.get_weights();
  ASSERT_EQ(w[2].shape(), (Shape{2, 3 * U}));
  const auto K = w[0].to_vector<double>(), R = w[1].to_vector<double>(),
             b = w[2].to_vector<double>(), xs = x.to_vector<double>();
  // Keras GRUCell, reset_after=True, gates z, r, h:
  //   x_g = x @ K[:, g] + b_in[g];  rec_g = h @ R[:, g] + b_rec[g]
  //   z = sigmoid(x_z + rec_z); r = sigmoid(x_r + rec_r); hh = tanh(x_h + r * rec_h)
  //   h = z * h + (1 - z) * hh
  std::vector<double> expected;
  std::vector<double> out(B * T * U);
  for (int64_t n = 0; n < B; ++n) {
    std::vector<double> h(U, 0.0);
    for (int64_t t = 0; t < T; ++t) {
      std::vector<double> xg(3 * U), rg(3 * U);
      for (int64_t j = 0; j < 3 * U; ++j) {
        double a = b[j], r = b[3 * U + j];
        for (int64_t i = 0; i < I; ++i) a += xs[(n * T + t) * I + i] * K[i * 3 * U + j];
        for (int64_t i = 0; i < U; ++i) r += h[i] * R[i * 3 * U + j];
        xg[j] = a;
        rg[j] = r;
      }
      std::vector<double> hn(U);
      for (int64_t j = 0; j < U; ++j) {
        const double z = sigmoid(xg[j] + rg[j]);
        const double r = sigmoid(xg[U + j] + rg[U + j]);
        const double hh = std::tanh(xg[2 * U + j] + r * rg[2 * U + j]);
        hn[j] = z * h[j] + (1 - z) * hh;
      }
      h = hn;
      for (int64_t j = 0; j < U; ++j) out[(n * T + t) * U + j] = h[j];
    }
  }
  Tensor y = gru(x);
  EXPECT_LT(max_diff(y, Tensor::from_vector<double>(out, {B, T, U})), 1e-12);
}

TEST(RnnLayers, LSTMCellCalledDirectlyIsOneStep) {
  LSTMCell cell(3, {.dtype = "float64"});
  Tensor x = sample({2, 4}, -1, 1, 5), h = sample({2, 3}, -1, 1, 6), c = sample({2, 3}, -1, 1, 7);
  auto out = cell(std::vector<Tensor>{x, h, c});
  ASSERT_EQ(out.size(), 3u);
  // Same weights through the layer over one timestep with initial states (h, c).
  auto k = cell.kernel().value(), r = cell.recurrent_kernel().value(), bias = cell.bias().value();
  const auto K = k.to_vector<double>(), R = r.to_vector<double>(), bv = bias.to_vector<double>();
  const auto xv = x.to_vector<double>(), hv = h.to_vector<double>(), cv = c.to_vector<double>();
  for (int n = 0; n < 2; ++n) {
    for (int j = 0; j < 3; ++j) {
      double z[4];
      for (int g = 0; g < 4; ++g) {
        z[g] = bv[g * 3 + j];
        for (int i = 0; i < 4; ++i) z[g] += xv[n * 4 + i] * K[i * 12 + g * 3 + j];
        for (int i = 0; i < 3; ++i) z[g] += hv[n * 3 + i] * R[i * 12 + g * 3 + j];
      }
      const double cn = sigmoid(z[1]) * cv[n * 3 + j] + sigmoid(z[0]) * std::tanh(z[2]);
      const double hn = sigmoid(z[3]) * std::tanh(cn);
      EXPECT_NEAR(out[0].at<double>({n, j}), hn, 1e-12);
      EXPECT_NEAR(out[1].at<double>({n, j}), hn, 1e-12);
      EXPECT_NEAR(out[2].at<double>({n, j}), cn, 1e-12);
    }
  }
}

// ---------------------------------------------------------------- gradients

TEST(RnnLayers, GradientsMatchFiniteDifferences) {
  const Tensor x = sample({2, 3, 4}, -1, 1, 9);
  std::vector<std::shared_ptr<layers::Layer>> layers{
      std::make_shared<SimpleRNN>(3,
                                  SimpleRNNOptions{.return_sequences = true, .dtype = "float64"}),
      std::make_shared<LSTM>(3, LSTMOptions{.return_state = true, .dtype = "float64"}),
      std::make_shared<GRU>(
          3, GRUOptions{.return_sequences = true, .go_backwards = true, .dtype = "float64"}),
      std::make_shared<GRU>(
          3, GRUOptions{.return_state = true, .reset_after = false, .dtype = "float64"}),
      std::make_shared<Bidirectional>(
          LSTM(2, {.return_sequences = true, .dtype = "float64"}),
          BidirectionalOptions{.merge_mode = "mul", .dtype = "float64"}),
      std::make_shared<TimeDistributed>(Dense(2, dense_options("tanh", "", "float64")),
                                        LayerOptions{.name = "td64", .dtype = "float64"}),
  };
  int64_t seed = 20;
  for (auto& layer : layers) {
    SCOPED_TRACE(layer->class_name());
    layer->compute_output_shape(std::vector<Shape>{x.shape()});
    randomize(*layer, seed++);
    expect_gradients_match(
        [&](const std::vector<Tensor>& in) { return all_outputs(*layer, in[0]); }, {x});
    expect_weight_gradients_match(*layer, x);
  }
}

TEST(RnnLayers, GradientsFlowIntoInitialStates) {
  LSTM lstm(2, {.return_sequences = true, .dtype = "float64"});
  const Tensor x = sample({2, 3, 4}, -1, 1, 10);
  lstm.ensure_built(x.shape());
  randomize(lstm, 30);
  expect_gradients_match(
      [&](const std::vector<Tensor>& in) {
        return lstm(std::vector<Tensor>{in[0], in[1], in[2]})[0];
      },
      {x, sample({2, 2}, -1, 1, 11), sample({2, 2}, -1, 1, 12)});
}

// ---------------------------------------------------------------- structure and weights

TEST(RnnLayers, WeightNamesShapesAndOrder) {
  LSTM lstm(3, {.name = "probe_lstm"});
  lstm.ensure_built({-1, 7, 5});
  auto w = lstm.weights();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].name(), "kernel");
  EXPECT_EQ(w[1].name(), "recurrent_kernel");
  EXPECT_EQ(w[2].name(), "bias");
  EXPECT_EQ(w[0].shape(), (Shape{5, 12}));
  EXPECT_EQ(w[1].shape(), (Shape{3, 12}));
  EXPECT_EQ(w[2].shape(), (Shape{12}));
  EXPECT_EQ(w[0].path(), "probe_lstm/lstm_cell/kernel");
  // The layer owns nothing; its cell, tracked as "cell" and named "lstm_cell", owns the weights.
  EXPECT_TRUE(lstm.own_variables().empty());
  const TrackedChild* cell = lstm.find_child("cell");
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(lstm.cell().name(), "lstm_cell");
  EXPECT_EQ(lstm.cell().own_variables().size(), 3u);
  // unit_forget_bias: the f slice (second quarter) starts at one, the rest at zero.
  auto b = w[2].value().to_vector<float>();
  for (int i = 0; i < 12; ++i) EXPECT_EQ(b[i], (i >= 3 && i < 6) ? 1.0f : 0.0f) << i;
  // Orthogonal recurrent kernel (3, 12): orthonormal rows, R @ R^T = I.
  Tensor rrt = ops::matmul(w[1].value(), w[1].value(), false, true);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(rrt.at<float>({i, j}), i == j ? 1.0 : 0.0, 1e-5);
  EXPECT_EQ(lstm.count_params(), 5 * 12 + 3 * 12 + 12);

  GRU gru(4);
  gru.ensure_built({2, 3, 6});
  EXPECT_EQ(gru.weights()[2].shape(), (Shape{2, 12}));
  EXPECT_EQ(gru.cell().name(), "gru_cell");
  GRU gru_before(4, {.reset_after = false});
  gru_before.ensure_built({2, 3, 6});
  EXPECT_EQ(gru_before.weights()[2].shape(), (Shape{12}));
  SimpleRNN rnn(4, {.use_bias = false});
  rnn.ensure_built({2, 3, 6});
  ASSERT_EQ(rnn.weights().size(), 2u);
  EXPECT_EQ(rnn.weights()[1].shape(), (Shape{4, 4}));
  EXPECT_EQ(rnn.cell().name(), "simple_rnn_cell");
}

TEST(RnnLayers, BidirectionalStructure) {
  Bidirectional bi(LSTM(3, {.name = "enc"}), {.name = "bi"});
  EXPECT_EQ(bi.forward_layer().name(), "forward_enc");
  EXPECT_EQ(bi.backward_layer().name(), "backward_enc");
  EXPECT_FALSE(bi.forward_layer().go_backwards());
  EXPECT_TRUE(bi.backward_layer().go_backwards());
  ASSERT_NE(bi.find_child("forward_layer"), nullptr);
  ASSERT_NE(bi.find_child("backward_layer"), nullptr);
  EXPECT_EQ(bi.tracked_children()[0].name, "forward_layer");
  bi.compute_output_shape(Shape{-1, 4, 2});
  auto w = bi.weights();
  ASSERT_EQ(w.size(), 6u);
  EXPECT_EQ(w[0].path(), "bi/forward_enc/lstm_cell/kernel");
  EXPECT_EQ(w[2].path(), "bi/forward_enc/lstm_cell/bias");
  EXPECT_EQ(w[3].path(), "bi/backward_enc/lstm_cell/kernel");
  EXPECT_EQ(w[5].shape(), (Shape{12}));
  // A given backward layer is used as is.
  Bidirectional custom(GRU(2), {.backward_layer = GRU(2, {.go_backwards = true, .name = "mine"})});
  EXPECT_EQ(custom.backward_layer().name(), "mine");

  TimeDistributed td(Dense(3, dense_options("", "inner")));
  td.compute_output_shape(Shape{-1, 4, 2});
  ASSERT_NE(td.find_child("layer"), nullptr);
  ASSERT_EQ(td.weights().size(), 2u);
  EXPECT_EQ(td.weights()[0].shape(), (Shape{2, 3}));
}

// ---------------------------------------------------------------- semantics

TEST(RnnLayers, GoBackwardsIsTheReversedSequence) {
  Tensor x = sample({2, 5, 3}, -1, 1, 40);
  SimpleRNN fwd(4, {.return_sequences = true, .dtype = "float64"});
  SimpleRNN bwd(4, {.return_sequences = true, .go_backwards = true, .dtype = "float64"});
  fwd.ensure_built(x.shape());
  bwd.ensure_built(x.shape());
  randomize(fwd, 41);
  bwd.set_weights(fwd.get_weights());
  // Keras returns the outputs in processing order: go_backwards(x) == forward(flip(x)).
  EXPECT_LT(max_diff(bwd(x), fwd(ops::flip(x, {1}))), 1e-14);
}

TEST(RnnLayers, ReturnStateAndInitialStateContinueASequence) {
  Tensor x = sample({2, 6, 3}, -1, 1, 50);
  LSTM lstm(4, {.return_sequences = true, .return_state = true, .dtype = "float64"});
  lstm.ensure_built(x.shape());
  randomize(lstm, 51);
  auto full = lstm(std::vector<Tensor>{x});
  ASSERT_EQ(full.size(), 3u);
  // The last step of the sequences output is the h state.
  EXPECT_LE(max_diff(ops::slice(full[0], {0, 5, 0}, {2, 1, 4}).reshape({2, 4}), full[1]), 0.0);
  Tensor a = ops::slice(x, {0, 0, 0}, {2, 3, 3}), b = ops::slice(x, {0, 3, 0}, {2, 3, 3});
  auto part1 = lstm(std::vector<Tensor>{a});
  auto part2 = lstm(std::vector<Tensor>{b, part1[1], part1[2]});
  EXPECT_LT(max_diff(part2[0], ops::slice(full[0], {0, 3, 0}, {2, 3, 4})), 1e-14);
  EXPECT_LT(max_diff(part2[2], full[2]), 1e-14);
}

TEST(RnnLayers, StatefulKeepsStatesUntilReset) {
  Tensor x = sample({2, 6, 3}, -1, 1, 60);
  GRU whole(4, {.dtype = "float64"});
  GRU stateful(4, {.stateful = true, .dtype = "float64"});
  whole.ensure_built(x.shape());
  stateful.ensure_built(x.shape());
  randomize(whole, 61);
  stateful.set_weights(whole.get_weights());
  Tensor a = ops::slice(x, {0, 0, 0}, {2, 3, 3}), b = ops::slice(x, {0, 3, 0}, {2, 3, 3});
  Tensor first = stateful(a);
  Tensor second = stateful(b);
  EXPECT_LT(max_diff(second, whole(x)), 1e-14);
  ASSERT_EQ(stateful.states().size(), 1u);
  stateful.reset_states();
  EXPECT_LT(max_diff(stateful(a), first), 1e-14);
  // A different batch size than the states were made for.
  EXPECT_THROW(stateful(sample({3, 2, 3})), ValueError);
  // Weights do not include the states (Keras does not save them).
  EXPECT_EQ(stateful.weights().size(), 3u);
}

TEST(RnnLayers, DropoutOnlyInTraining) {
  Tensor x = sample({4, 5, 6}, -1, 1, 70);
  SimpleRNN rnn(3, {.dropout = 0.5, .recurrent_dropout = 0.3, .seed = 3, .dtype = "float64"});
  Tensor inference = rnn(x);
  EXPECT_LE(max_diff(rnn(x), inference), 0.0);
  Tensor trained = rnn(x, true);
  EXPECT_GT(max_diff(trained, inference), 1e-3);
  LSTM lstm(3, {.recurrent_dropout = 0.2});
  EXPECT_NO_THROW(lstm(x.astype(float32)));
  EXPECT_THROW(lstm(x.astype(float32), true), NotImplementedError);
}

TEST(RnnLayers, FunctionalShapes) {
  auto in = Input({7, 5});
  auto seq = LSTM(3, {.return_sequences = true})(in);
  EXPECT_EQ(seq.shape(), (Shape{-1, 7, 3}));
  auto states = keras::Layer(GRU(4, {.return_state = true}))(std::vector<KerasTensor>{seq});
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0].shape(), (Shape{-1, 4}));
  EXPECT_EQ(states[1].shape(), (Shape{-1, 4}));
  auto bi = Bidirectional(LSTM(2, {.return_sequences = true}))(in);
  EXPECT_EQ(bi.shape(), (Shape{-1, 7, 4}));
  auto bi_state = keras::Layer(Bidirectional(
      LSTM(2, {.return_state = true}), {.merge_mode = std::nullopt}))(std::vector<KerasTensor>{in});
  ASSERT_EQ(bi_state.size(), 6u);
  auto td = TimeDistributed(Dense(9))(in);
  EXPECT_EQ(td.shape(), (Shape{-1, 7, 9}));
  Model m(in, td);
  EXPECT_EQ(m.predict_on_batch(Tensor::ones({2, 7, 5})).shape(), (Shape{2, 7, 9}));
}

// ---------------------------------------------------------------- configs

TEST(RnnLayers, ConfigsHaveKerasFieldsAndRoundTrip) {
  const std::vector<std::string> rnn_base{
      "name",         "trainable", "dtype",  "return_sequences",    "return_state",
      "go_backwards", "stateful",  "unroll", "zero_output_for_mask"};
  auto with = [&](std::vector<std::string> tail) {
    std::vector<std::string> all = rnn_base;
    all.insert(all.end(), tail.begin(), tail.end());
    return all;
  };
  // Keras 3.3.3 LSTM config keys as written in the corpus file keras3.3.3-stacked-lstm.
  LSTM lstm(50, {.return_sequences = true, .name = "lstm"});
  json c = lstm.get_config();
  EXPECT_EQ(keys(c),
            with({"units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
                  "recurrent_initializer", "bias_initializer", "unit_forget_bias",
                  "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                  "activity_regularizer", "kernel_constraint", "recurrent_constraint",
                  "bias_constraint", "dropout", "recurrent_dropout", "seed"}));
  EXPECT_EQ(c["units"], 50);
  EXPECT_EQ(c["activation"], "tanh");
  EXPECT_EQ(c["recurrent_activation"], "sigmoid");
  EXPECT_EQ(c["return_sequences"], true);
  EXPECT_EQ(c["unit_forget_bias"], true);
  EXPECT_EQ(c["kernel_initializer"]["class_name"], "GlorotUniform");
  EXPECT_TRUE(c["seed"].is_null());
  EXPECT_EQ(c["dropout"], 0.0);
  LSTM fresh(1);
  fresh.apply_config(c);
  EXPECT_EQ(fresh.get_config(), c);
  EXPECT_EQ(fresh.units(), 50);
  fresh.ensure_built({1, 2, 3});
  EXPECT_EQ(fresh.weights()[0].shape(), (Shape{3, 200}));

  // Keras 3 gru.py get_config.
  GRU gru(4, {.reset_after = false, .name = "g"});
  c = gru.get_config();
  EXPECT_EQ(keys(c),
            with({"units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
                  "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                  "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                  "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                  "recurrent_dropout", "reset_after", "seed"}));
  EXPECT_EQ(c["reset_after"], false);
  GRU gru2(1);
  gru2.apply_config(c);
  EXPECT_EQ(gru2.get_config(), c);

  // Keras 3 simple_rnn.py get_config (no seed).
  SimpleRNN srnn(4, {.activation = "", .kernel_regularizer = "l2", .name = "s"});
  c = srnn.get_config();
  EXPECT_EQ(keys(c),
            with({"units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                  "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
                  "bias_regularizer", "activity_regularizer", "kernel_constraint",
                  "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout"}));
  EXPECT_EQ(c["activation"], "linear");
  SimpleRNN srnn2(1);
  srnn2.apply_config(c);
  EXPECT_EQ(srnn2.get_config(), c);

  // Cells: LSTMCell writes unit_forget_bias right after use_bias (Keras 3 lstm.py).
  LSTMCell cell(2, {.name = "c"});
  EXPECT_EQ(keys(cell.get_config()), (std::vector<std::string>{"name",
                                                               "trainable",
                                                               "dtype",
                                                               "units",
                                                               "activation",
                                                               "recurrent_activation",
                                                               "use_bias",
                                                               "unit_forget_bias",
                                                               "kernel_initializer",
                                                               "recurrent_initializer",
                                                               "bias_initializer",
                                                               "kernel_regularizer",
                                                               "recurrent_regularizer",
                                                               "bias_regularizer",
                                                               "kernel_constraint",
                                                               "recurrent_constraint",
                                                               "bias_constraint",
                                                               "dropout",
                                                               "recurrent_dropout",
                                                               "seed"}));

  // The generic RNN nests its cell's config.
  RNN generic(GRUCell(3, {.name = "gc"}), {.go_backwards = true, .name = "r"});
  c = generic.get_config();
  EXPECT_EQ(keys(c), with({"cell"}));
  EXPECT_EQ(c["cell"]["class_name"], "GRUCell");
  EXPECT_EQ(c["cell"]["config"]["units"], 3);
  EXPECT_EQ(c["cell"]["config"]["reset_after"], true);
  RNN generic2(SimpleRNNCell(1));
  generic2.apply_config(c);
  EXPECT_EQ(generic2.get_config(), c);
  EXPECT_EQ(generic2.cell().class_name(), "GRUCell");

  // Bidirectional: merge_mode, layer (the forward layer), backward_layer (Keras 3
  // bidirectional.py).
  Bidirectional bi(LSTM(2, {.return_sequences = true, .name = "enc"}),
                   {.merge_mode = std::nullopt, .name = "bi"});
  c = bi.get_config();
  EXPECT_EQ(keys(c), (std::vector<std::string>{"name", "trainable", "dtype", "merge_mode", "layer",
                                               "backward_layer"}));
  EXPECT_TRUE(c["merge_mode"].is_null());
  EXPECT_EQ(c["layer"]["class_name"], "LSTM");
  EXPECT_EQ(c["layer"]["config"]["name"], "forward_enc");
  EXPECT_EQ(c["layer"]["config"]["zero_output_for_mask"], true);  // forced = return_sequences
  EXPECT_EQ(c["backward_layer"]["config"]["name"], "backward_enc");
  EXPECT_EQ(c["backward_layer"]["config"]["go_backwards"], true);
  Bidirectional bi2(SimpleRNN(1));
  bi2.apply_config(c);
  EXPECT_EQ(bi2.get_config(), c);
  EXPECT_EQ(bi2.forward_layer().class_name(), "LSTM");

  TimeDistributed td(Dense(3, dense_options("", "d")), {.name = "td"});
  c = td.get_config();
  EXPECT_EQ(keys(c), (std::vector<std::string>{"name", "trainable", "dtype", "layer"}));
  EXPECT_EQ(c["layer"]["class_name"], "Dense");
  TimeDistributed td2(Dense(1));
  td2.apply_config(c);
  EXPECT_EQ(td2.get_config(), c);
  EXPECT_EQ(
      deserialize_wrapped_layer({{"class_name", "TimeDistributed"}, {"config", c}})->get_config(),
      c);
}

// ---------------------------------------------------------------- errors

TEST(RnnLayers, BadArgumentsAndInputs) {
  auto expect_value_error = [](auto&& f, const std::string& needle) {
    try {
      f();
      ADD_FAILURE() << "no ValueError; expected one mentioning " << needle;
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_value_error(
      [] {
        LSTM l(3, {.name = "rank"});
        l(Tensor::zeros({2, 5}));
      },
      "expected ndim=3, found ndim=2");
  expect_value_error(
      [] {
        GRU l(3);
        l(Tensor::zeros({2, 5, 4, 1}));
      },
      "found ndim=4");
  expect_value_error([] { LSTM l(0); }, "got 0");
  expect_value_error([] { SimpleRNNCell c(-2); }, "got -2");
  expect_value_error([] { LSTM l(2, {.dropout = 1.5}); }, "dropout=1.5");
  expect_value_error([] { Bidirectional b(LSTM(2), {.merge_mode = "max"}); }, "Received: max");
  expect_value_error([] { Bidirectional b(Dense(2)); }, "Dense");
  expect_value_error([] { Bidirectional b(LSTM(2, {.go_backwards = true})); }, "go_backwards");
  expect_value_error(
      [] {
        Bidirectional b(
            LSTM(2), {.backward_layer = LSTM(2, {.return_sequences = true, .go_backwards = true})});
      },
      "return_sequences");
  expect_value_error([] { RNN r(Dense(2)); }, "RNN cell");
  expect_value_error(
      [] {
        TimeDistributed t(Dense(2));
        t(Tensor::zeros({2, 3}));
      },
      "at least 3 dimensions");
  expect_value_error(
      [] {
        LSTM l(3);
        l(std::vector<Tensor>{Tensor::zeros({2, 4, 5}), Tensor::zeros({2, 3})});
      },
      "expects 2 initial state(s)");
  expect_value_error(
      [] {
        GRU l(3);
        l(std::vector<Tensor>{Tensor::zeros({2, 4, 5}), Tensor::zeros({2, 4})});
      },
      "expected shape (2, 3)");
  expect_value_error(
      [] {
        LSTM l(3);
        l(Tensor::zeros({2, 4, 5}));
        l(Tensor::zeros({2, 4, 6}));
      },
      "incompatible");
  expect_value_error(
      [] {
        LSTM l(3, {.return_state = true});
        l(Tensor::zeros({2, 4, 5}));
      },
      "3 outputs where one was expected");
  expect_value_error(
      [] {
        GRU l(3, {.stateful = true});
        l.compute_output_shape(Shape{-1, 4, 5});
      },
      "batch size must be static");
}
