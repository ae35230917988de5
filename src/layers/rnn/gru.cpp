#include "keras/layers/rnn/gru.hpp"

#include "cell_common.hpp"

namespace keras::layers {

using namespace rnn_internal;

// ---------------------------------------------------------------- GRUCell

GRUCell::GRUCell(int64_t units, const GRUCellOptions& options)
    : RNNCell({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
              "GRUCell"),
      units_(units),
      o_(options) {
  check_units(units);
  check_rates(o_.dropout, o_.recurrent_dropout);
  drop_.dropout = o_.dropout;
  drop_.recurrent_dropout = o_.recurrent_dropout;
  drop_.seed = o_.seed;
}

void GRUCell::build(const Shape& input_shape) {
  if (input_shape.empty() || input_shape.back() < 0)
    throw ValueError("GRUCell '" + name() +
                     "': the last dimension of the inputs must be "
                     "known; received input shape " +
                     shape_str(input_shape) + ".");
  const int64_t in = input_shape.back();
  kernel_ = add_weight(
      "kernel", {in, 3 * units_},
      weight_options(o_.kernel_initializer, o_.kernel_regularizer, o_.kernel_constraint));
  recurrent_kernel_ = add_weight(
      "recurrent_kernel", {units_, 3 * units_},
      weight_options(o_.recurrent_initializer, o_.recurrent_regularizer, o_.recurrent_constraint));
  if (o_.use_bias) {
    // reset_after: separate input and recurrent biases, shape (2, 3 * units) (not CuDNNGRU's
    // (6 * units,), so that loaders can tell the two apart).
    const Shape shape = o_.reset_after ? Shape{2, 3 * units_} : Shape{3 * units_};
    bias_ =
        add_weight("bias", shape,
                   weight_options(o_.bias_initializer, o_.bias_regularizer, o_.bias_constraint));
  }
}

void GRUCell::begin_sequence(int64_t batch, bool training) {
  if (training && o_.recurrent_dropout > 0.0 && o_.recurrent_dropout < 1.0)
    throw NotImplementedError("GRUCell '" + name() + "': training with recurrent_dropout=" +
                              std::to_string(o_.recurrent_dropout) +
                              " is not implemented (inference is).");
  drop_.begin({batch, kernel_.shape()[0]}, batch, units_, dtype(), training, name());
  if (!o_.reset_after) {
    // h @ recurrent_kernel[:, :2u] and (r * h) @ recurrent_kernel[:, 2u:]: split once per sequence.
    auto parts = ops::split(recurrent_kernel_.value(), std::vector<int64_t>{2 * units_, units_}, 1);
    rk_zr_ = parts[0];
    rk_h_ = parts[1];
  }
}

void GRUCell::end_sequence() {
  drop_.end();
  rk_zr_ = rk_h_ = Tensor();
}

Tensor GRUCell::project_inputs(const Tensor& inputs_time_major, bool training) {
  (void)training;
  Tensor input_bias;
  if (o_.use_bias) input_bias = o_.reset_after ? bias_.value()[0] : bias_.value();
  return project_sequence(inputs_time_major, kernel_.value(), input_bias, drop_.input_mask, name());
}

std::pair<Tensor, std::vector<Tensor>> GRUCell::step_projected(const Tensor& projected,
                                                               const std::vector<Tensor>& states,
                                                               bool training) {
  (void)training;
  if (states.size() != 1)
    throw ValueError("GRUCell '" + name() + "' expects 1 state; received " +
                     std::to_string(states.size()) + ".");
  const Tensor& h_prev = states[0];
  const std::vector<Tensor> x = ops::split(projected, 3, 1);
  const std::string& ract = o_.recurrent_activation;
  Tensor z, hh;
  if (o_.reset_after) {
    Tensor inner = ops::matmul(h_prev, recurrent_kernel_.value());
    if (o_.use_bias) inner = ops::add(inner, bias_.value()[1]);
    const std::vector<Tensor> rec = ops::split(inner, 3, 1);
    z = apply_activation(ract, ops::add(x[0], rec[0]));
    const Tensor r = apply_activation(ract, ops::add(x[1], rec[1]));
    hh = apply_activation(o_.activation, ops::add(x[2], ops::multiply(r, rec[2])));
  } else {
    if (!rk_zr_.defined())
      throw ValueError("GRUCell '" + name() + "': step_projected() called outside a sequence.");
    const std::vector<Tensor> rec = ops::split(ops::matmul(h_prev, rk_zr_), 2, 1);
    z = apply_activation(ract, ops::add(x[0], rec[0]));
    const Tensor r = apply_activation(ract, ops::add(x[1], rec[1]));
    hh = apply_activation(o_.activation,
                          ops::add(x[2], ops::matmul(ops::multiply(r, h_prev), rk_h_)));
  }
  // h = z * h_prev + (1 - z) * hh
  Tensor h = ops::add(ops::multiply(z, h_prev), ops::multiply(1.0 - z, hh));
  return {h, {h}};
}

std::pair<Tensor, std::vector<Tensor>> GRUCell::step(const Tensor& inputs,
                                                     const std::vector<Tensor>& states,
                                                     bool training) {
  return RNNCell::step(inputs, states, training);
}

void GRUCell::config(ConfigIO& io) {
  Layer::config(io);
  const int64_t old_units = units_;
  const bool old_use_bias = o_.use_bias;
  const bool old_reset_after = o_.reset_after;
  io("units", units_);
  std::string activation = activation_name(o_.activation);
  io("activation", activation);
  std::string recurrent_activation = activation_name(o_.recurrent_activation);
  io("recurrent_activation", recurrent_activation);
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
  io("reset_after", o_.reset_after);
  io("seed", o_.seed);
  if (io.reading()) {
    check_units(units_);
    if (built() &&
        (units_ != old_units || o_.use_bias != old_use_bias || o_.reset_after != old_reset_after))
      throw ValueError("GRUCell '" + name() +
                       "' is built; a config cannot change its weight "
                       "shapes (units, use_bias, reset_after).");
    o_.activation = activation;
    o_.recurrent_activation = recurrent_activation;
    check_rates(o_.dropout, o_.recurrent_dropout);
    drop_.dropout = o_.dropout;
    drop_.recurrent_dropout = o_.recurrent_dropout;
    drop_.seed = o_.seed;
    drop_.generator.reset();
  }
}

// ---------------------------------------------------------------- GRU

std::shared_ptr<RNNCell> GRU::make_cell(int64_t units, const GRUOptions& o) {
  return std::make_shared<GRUCell>(units,
                                   GRUCellOptions{.activation = o.activation,
                                                  .recurrent_activation = o.recurrent_activation,
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
                                                  .reset_after = o.reset_after,
                                                  .seed = o.seed,
                                                  .name = "gru_cell",
                                                  .trainable = o.trainable,
                                                  .dtype = o.dtype});
}

GRU::GRU(int64_t units, const GRUOptions& options)
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
          "GRU"),
      units_(units),
      o_(options) {}

void GRU::config(ConfigIO& io) {
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
  io("kernel_regularizer", o_.kernel_regularizer);
  io("recurrent_regularizer", o_.recurrent_regularizer);
  io("bias_regularizer", o_.bias_regularizer);
  io("activity_regularizer", activity_regularizer());
  io("kernel_constraint", o_.kernel_constraint);
  io("recurrent_constraint", o_.recurrent_constraint);
  io("bias_constraint", o_.bias_constraint);
  io("dropout", o_.dropout);
  io("recurrent_dropout", o_.recurrent_dropout);
  io("reset_after", o_.reset_after);
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
