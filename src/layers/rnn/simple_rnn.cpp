#include "keras/layers/rnn/simple_rnn.hpp"

#include "cell_common.hpp"

namespace keras::layers {

using namespace rnn_internal;

// ---------------------------------------------------------------- SimpleRNNCell

SimpleRNNCell::SimpleRNNCell(int64_t units, const SimpleRNNCellOptions& options)
    : RNNCell({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
              "SimpleRNNCell"),
      units_(units),
      o_(options) {
  check_units(units);
  check_rates(o_.dropout, o_.recurrent_dropout);
  drop_.dropout = o_.dropout;
  drop_.recurrent_dropout = o_.recurrent_dropout;
  drop_.seed = o_.seed;
}

void SimpleRNNCell::build(const Shape& input_shape) {
  if (input_shape.empty() || input_shape.back() < 0)
    throw ValueError("SimpleRNNCell '" + name() +
                     "': the last dimension of the inputs must be "
                     "known; received input shape " +
                     shape_str(input_shape) + ".");
  const int64_t in = input_shape.back();
  kernel_ = add_weight(
      "kernel", {in, units_},
      weight_options(o_.kernel_initializer, o_.kernel_regularizer, o_.kernel_constraint));
  recurrent_kernel_ = add_weight(
      "recurrent_kernel", {units_, units_},
      weight_options(o_.recurrent_initializer, o_.recurrent_regularizer, o_.recurrent_constraint));
  if (o_.use_bias)
    bias_ =
        add_weight("bias", {units_},
                   weight_options(o_.bias_initializer, o_.bias_regularizer, o_.bias_constraint));
}

void SimpleRNNCell::begin_sequence(int64_t batch, bool training) {
  drop_.begin({batch, kernel_.shape()[0]}, batch, units_, dtype(), training, name());
}

void SimpleRNNCell::end_sequence() { drop_.end(); }

Tensor SimpleRNNCell::project_inputs(const Tensor& inputs_time_major, bool training) {
  (void)training;
  return project_sequence(inputs_time_major, kernel_.value(),
                          o_.use_bias ? bias_.value() : Tensor(), drop_.input_mask, name());
}

std::pair<Tensor, std::vector<Tensor>> SimpleRNNCell::step_projected(
    const Tensor& projected, const std::vector<Tensor>& states, bool training) {
  (void)training;
  if (states.size() != 1)
    throw ValueError("SimpleRNNCell '" + name() + "' expects 1 state; received " +
                     std::to_string(states.size()) + ".");
  Tensor h_prev = states[0];
  if (drop_.recurrent_mask.defined()) h_prev = ops::multiply(h_prev, drop_.recurrent_mask);
  Tensor h = apply_activation(o_.activation,
                              ops::add(projected, ops::matmul(h_prev, recurrent_kernel_.value())));
  return {h, {h}};
}

std::pair<Tensor, std::vector<Tensor>> SimpleRNNCell::step(const Tensor& inputs,
                                                           const std::vector<Tensor>& states,
                                                           bool training) {
  return RNNCell::step(inputs, states, training);
}

void SimpleRNNCell::config(ConfigIO& io) {
  Layer::config(io);
  const int64_t old_units = units_;
  const bool old_use_bias = o_.use_bias;
  io("units", units_);
  std::string activation = activation_name(o_.activation);
  io("activation", activation);
  io("use_bias", o_.use_bias);
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
      throw ValueError("SimpleRNNCell '" + name() +
                       "' is built; a config cannot change its weight "
                       "shapes (units, use_bias).");
    o_.activation = activation;
    check_rates(o_.dropout, o_.recurrent_dropout);
    drop_.dropout = o_.dropout;
    drop_.recurrent_dropout = o_.recurrent_dropout;
    drop_.seed = o_.seed;
    drop_.generator.reset();
  }
}

// ---------------------------------------------------------------- SimpleRNN

std::shared_ptr<RNNCell> SimpleRNN::make_cell(int64_t units, const SimpleRNNOptions& o) {
  return std::make_shared<SimpleRNNCell>(
      units, SimpleRNNCellOptions{.activation = o.activation,
                                  .use_bias = o.use_bias,
                                  .kernel_initializer = o.kernel_initializer,
                                  .recurrent_initializer = o.recurrent_initializer,
                                  .bias_initializer = o.bias_initializer,
                                  .kernel_regularizer = o.kernel_regularizer,
                                  .recurrent_regularizer = o.recurrent_regularizer,
                                  .bias_regularizer = o.bias_regularizer,
                                  .kernel_constraint = o.kernel_constraint,
                                  .recurrent_constraint = o.recurrent_constraint,
                                  .bias_constraint = o.bias_constraint,
                                  .dropout = o.dropout,
                                  .recurrent_dropout = o.recurrent_dropout,
                                  .seed = o.seed,
                                  .name = "simple_rnn_cell",
                                  .trainable = o.trainable,
                                  .dtype = o.dtype});
}

SimpleRNN::SimpleRNN(int64_t units, const SimpleRNNOptions& options)
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
          "SimpleRNN"),
      units_(units),
      o_(options) {}

void SimpleRNN::config(ConfigIO& io) {
  rnn_config(io);
  io("units", units_);
  std::string activation = activation_name(o_.activation);
  io("activation", activation);
  io("use_bias", o_.use_bias);
  io("kernel_initializer", o_.kernel_initializer);
  io("recurrent_initializer", o_.recurrent_initializer);
  io("bias_initializer", o_.bias_initializer);
  io("kernel_regularizer", o_.kernel_regularizer);
  io("recurrent_regularizer", o_.recurrent_regularizer);
  io("bias_regularizer", o_.bias_regularizer);
  io("activity_regularizer", activity_regularizer());
  io("kernel_constraint", o_.kernel_constraint);
  io("recurrent_constraint", o_.recurrent_constraint);
  io("bias_constraint", o_.bias_constraint);
  io("dropout", o_.dropout);
  io("recurrent_dropout", o_.recurrent_dropout);
  if (io.reading()) {
    io.consume("seed");  // not written by Keras 3; a config that has it still sets it
    if (const json* in = io.input(); in->contains("seed") && (*in)["seed"].is_number_integer())
      o_.seed = (*in)["seed"].get<int64_t>();
    o_.activation = activation;
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
