#include "keras/layers/rnn/lstm.hpp"

#include "cell_common.hpp"

namespace keras::layers {

using namespace rnn_internal;

// ---------------------------------------------------------------- LSTMCell

LSTMCell::LSTMCell(int64_t units, const LSTMCellOptions& options)
    : RNNCell({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
              "LSTMCell"),
      units_(units),
      o_(options) {
  check_units(units);
  check_rates(o_.dropout, o_.recurrent_dropout);
  drop_.dropout = o_.dropout;
  drop_.recurrent_dropout = o_.recurrent_dropout;
  drop_.seed = o_.seed;
}

void LSTMCell::build(const Shape& input_shape) {
  if (input_shape.empty() || input_shape.back() < 0)
    throw ValueError("LSTMCell '" + name() +
                     "': the last dimension of the inputs must be "
                     "known; received input shape " +
                     shape_str(input_shape) + ".");
  const int64_t in = input_shape.back();
  kernel_ = add_weight(
      "kernel", {in, 4 * units_},
      weight_options(o_.kernel_initializer, o_.kernel_regularizer, o_.kernel_constraint));
  recurrent_kernel_ = add_weight(
      "recurrent_kernel", {units_, 4 * units_},
      weight_options(o_.recurrent_initializer, o_.recurrent_regularizer, o_.recurrent_constraint));
  if (o_.use_bias) {
    bias_ =
        add_weight("bias", {4 * units_},
                   weight_options(o_.bias_initializer, o_.bias_regularizer, o_.bias_constraint));
    if (o_.unit_forget_bias) {
      // Keras: concatenate(init(units), ones(units), init(2 * units)).
      const auto& init = *o_.bias_initializer.get();
      bias_.assign(ops::concatenate(
          {init({units_}, dtype()), Tensor::ones({units_}, dtype()), init({2 * units_}, dtype())}));
    }
  }
}

void LSTMCell::begin_sequence(int64_t batch, bool training) {
  if (training && o_.recurrent_dropout > 0.0 && o_.recurrent_dropout < 1.0)
    throw NotImplementedError("LSTMCell '" + name() + "': training with recurrent_dropout=" +
                              std::to_string(o_.recurrent_dropout) +
                              " is not implemented (inference is).");
  drop_.begin({batch, kernel_.shape()[0]}, batch, units_, dtype(), training, name());
}

void LSTMCell::end_sequence() { drop_.end(); }

Tensor LSTMCell::project_inputs(const Tensor& inputs_time_major, bool training) {
  (void)training;
  return project_sequence(inputs_time_major, kernel_.value(),
                          o_.use_bias ? bias_.value() : Tensor(), drop_.input_mask, name());
}

std::pair<Tensor, std::vector<Tensor>> LSTMCell::step_projected(const Tensor& projected,
                                                                const std::vector<Tensor>& states,
                                                                bool training) {
  (void)training;
  if (states.size() != 2)
    throw ValueError("LSTMCell '" + name() + "' expects 2 states (h, c); received " +
                     std::to_string(states.size()) + ".");
  const Tensor& h_prev = states[0];
  const Tensor& c_prev = states[1];
  const Tensor z = ops::add(projected, ops::matmul(h_prev, recurrent_kernel_.value()));
  const std::vector<Tensor> g = ops::split(z, 4, 1);
  const std::string& ract = o_.recurrent_activation;
  const Tensor i = apply_activation(ract, g[0]);
  const Tensor f = apply_activation(ract, g[1]);
  const Tensor c =
      ops::add(ops::multiply(f, c_prev), ops::multiply(i, apply_activation(o_.activation, g[2])));
  const Tensor o = apply_activation(ract, g[3]);
  Tensor h = ops::multiply(o, apply_activation(o_.activation, c));
  return {h, {h, c}};
}

std::pair<Tensor, std::vector<Tensor>> LSTMCell::step(const Tensor& inputs,
                                                      const std::vector<Tensor>& states,
                                                      bool training) {
  return RNNCell::step(inputs, states, training);
}

void LSTMCell::config(ConfigIO& io) {
  Layer::config(io);
  const int64_t old_units = units_;
  const bool old_use_bias = o_.use_bias;
  io("units", units_);
  std::string activation = activation_name(o_.activation);
  io("activation", activation);
  std::string recurrent_activation = activation_name(o_.recurrent_activation);
  io("recurrent_activation", recurrent_activation);
  io("use_bias", o_.use_bias);
  io("unit_forget_bias", o_.unit_forget_bias);
  io("kernel_initializer", o_.kernel_initializer);
  io("recurrent_initializer", o_.recurrent_initializer);
  io("bias_initializer", o_.bias_initializer);
  io("kernel_regularizer", o_.kernel_regularizer);
  io("recurrent_regularizer", o_.recurrent_regularizer);
  io("bias_regularizer", o_.bias_regularizer);
  io("kernel_constraint", o_.kernel_constraint);
  io("recurrent_constraint", o_.recurrent_constraint);
  io("bias_constraint", o_.bias_constraint);
  io("dropout", o_.dropout);
  io("recurrent_dropout", o_.recurrent_dropout);
  io("seed", o_.seed);
  if (io.reading()) {
    check_units(units_);
    if (built() && (units_ != old_units || o_.use_bias != old_use_bias))
      throw ValueError("LSTMCell '" + name() +
                       "' is built; a config cannot change its weight "
                       "shapes (units, use_bias).");
    o_.activation = activation;
    o_.recurrent_activation = recurrent_activation;
    check_rates(o_.dropout, o_.recurrent_dropout);
    drop_.dropout = o_.dropout;
    drop_.recurrent_dropout = o_.recurrent_dropout;
    drop_.seed = o_.seed;
    drop_.generator.reset();
  }
}

// ---------------------------------------------------------------- LSTM

std::shared_ptr<RNNCell> LSTM::make_cell(int64_t units, const LSTMOptions& o) {
  return std::make_shared<LSTMCell>(
      units, LSTMCellOptions{.activation = o.activation,
                             .recurrent_activation = o.recurrent_activation,
                             .use_bias = o.use_bias,
                             .kernel_initializer = o.kernel_initializer,
                             .recurrent_initializer = o.recurrent_initializer,
                             .bias_initializer = o.bias_initializer,
                             .unit_forget_bias = o.unit_forget_bias,
                             .kernel_regularizer = o.kernel_regularizer,
                             .recurrent_regularizer = o.recurrent_regularizer,
                             .bias_regularizer = o.bias_regularizer,
                             .kernel_constraint = o.kernel_constraint,
                             .recurrent_constraint = o.recurrent_constraint,
                             .bias_constraint = o.bias_constraint,
                             .dropout = o.dropout,
                             .recurrent_dropout = o.recurrent_dropout,
                             .seed = o.seed,
                             .name = "lstm_cell",
                             .trainable = o.trainable,
                             .dtype = o.dtype});
}

LSTM::LSTM(int64_t units, const LSTMOptions& options)
    : RNN(make_cell(units, options),
          RNNOptions{.return_sequences = options.return_sequences,
                     .return_state = options.return_state,
                     .go_backwards = options.go_backwards,
                     .stateful = options.stateful,
                     .unroll = options.unroll,
                     .zero_output_for_mask = false,
                     .activity_regularizer = options.activity_regularizer,
                     .name = options.name,
                     .trainable = options.trainable,
                     .dtype = options.dtype},
          "LSTM"),
      units_(units),
      o_(options) {}

void LSTM::config(ConfigIO& io) {
  rnn_config(io);
  io("units", units_);
  std::string activation = activation_name(o_.activation);
  io("activation", activation);
  std::string recurrent_activation = activation_name(o_.recurrent_activation);
  io("recurrent_activation", recurrent_activation);
  io("use_bias", o_.use_bias);
  io("kernel_initializer", o_.kernel_initializer);
  io("recurrent_initializer", o_.recurrent_initializer);
  io("bias_initializer", o_.bias_initializer);
  io("unit_forget_bias", o_.unit_forget_bias);
  io("kernel_regularizer", o_.kernel_regularizer);
  io("recurrent_regularizer", o_.recurrent_regularizer);
  io("bias_regularizer", o_.bias_regularizer);
  io("activity_regularizer", activity_regularizer());
  io("kernel_constraint", o_.kernel_constraint);
  io("recurrent_constraint", o_.recurrent_constraint);
  io("bias_constraint", o_.bias_constraint);
  io("dropout", o_.dropout);
  io("recurrent_dropout", o_.recurrent_dropout);
  io("seed", o_.seed);
  if (io.reading()) {
    io.consume("implementation");  // tf.keras writes it; Keras 3 reads and drops it
    o_.activation = activation;
    o_.recurrent_activation = recurrent_activation;
    o_.trainable = trainable();
    o_.dtype = std::string(dtype_name(dtype()));
    auto fresh = make_cell(units_, o_);
    if (built()) {
      cell().apply_config(fresh->get_config());
    } else {
      set_cell(std::move(fresh));
    }
  }
}

}  // namespace keras::layers
