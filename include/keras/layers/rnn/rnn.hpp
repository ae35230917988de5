// keras.layers.RNN: runs a recurrent cell over the time axis (and the cell interface it drives).
//
// The object tree is Keras's: an RNN layer owns no variables; its cell, tracked under the attribute
// "cell", owns kernel / recurrent_kernel / bias. Weight paths are "<rnn>/<cell>/<weight>"
// ("lstm/lstm_cell/kernel"), as Keras 3 variable paths and tf.keras HDF5 weight names spell them.
//
// Sequence evaluation: the input projection of every time step is one matrix product
// (batch*time, features) @ kernel done before the loop (RNNCell::project_inputs); each step then
// adds only the recurrent product (RNNCell::step_projected). Gradients flow through the autograd
// graph of the unrolled steps.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/core/random.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

// The interface of a recurrent cell (Keras's RNN cell protocol: state_size, output_size, and
// call(inputs, states) -> (output, new_states)). A cell is also a Layer: called directly on
// {inputs, state_1, ..., state_n} it returns {output, new_state_1, ..., new_state_n}.
class RNNCell : public Layer {
 public:
  // Sizes of the state tensors (LSTM: {units, units}; GRU, SimpleRNN: {units}).
  virtual std::vector<int64_t> state_size() const = 0;
  virtual int64_t output_size() const { return state_size().at(0); }

  // One time step: inputs (batch, features), states as state_size() says.
  virtual std::pair<Tensor, std::vector<Tensor>> step(const Tensor& inputs,
                                                      const std::vector<Tensor>& states,
                                                      bool training);

  // ---- the sequence fast path used by RNN (defaults: no precomputation) ----
  // Called once before the steps of a sequence of `batch` rows (draws dropout masks, prepares
  // kernel slices); end_sequence() drops what it prepared.
  virtual void begin_sequence(int64_t batch, bool training);
  virtual void end_sequence();
  // The inputs of every step at once, time-major (time, batch, features...) -> (time, batch, P):
  // what step_projected() takes per step. Default: the inputs unchanged.
  virtual Tensor project_inputs(const Tensor& inputs_time_major, bool training);
  // One step on a row block of project_inputs()'s result. Default: step().
  virtual std::pair<Tensor, std::vector<Tensor>> step_projected(const Tensor& projected,
                                                                const std::vector<Tensor>& states,
                                                                bool training);

  // Zero states for a batch (Keras's get_initial_state).
  std::vector<Tensor> get_initial_state(int64_t batch_size) const;

  // Builds the cell for a per-step input shape (batch, features...) unless it is built.
  void build_cell(const Shape& step_input_shape);

  using Layer::build;
  using Layer::call;
  using Layer::compute_output_shape;
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;

 protected:
  using Layer::Layer;
  // add_weight's options for a regularized, constrained weight.
  static WeightOptions weight_options(const InitializerArg& initializer,
                                      const RegularizerArg& regularizer,
                                      const ConstraintArg& constraint) {
    WeightOptions o;
    o.initializer = initializer;
    o.regularizer = regularizer;
    o.constraint = constraint;
    return o;
  }
};

namespace detail {
// Keras's DropoutRNNCell: one input mask (and one recurrent mask) per sequence, 0 or
// 1 / (1 - rate), drawn from the cell's seed generator.
struct CellDropout {
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed;
  std::shared_ptr<random::SeedGenerator> generator;
  Tensor input_mask;      // (batch, features) while a sequence runs in training, else undefined
  Tensor recurrent_mask;  // (batch, units)

  // Draws the masks for a sequence (training with a non-zero rate only).
  void begin(const Shape& input_row_shape, int64_t batch, int64_t units, DType dtype, bool training,
             const std::string& layer_name);
  void end() { input_mask = recurrent_mask = Tensor(); }
};
}  // namespace detail

struct RNNOptions {
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool stateful = false;
  bool unroll = false;                // accepted and serialized; the loop is the same either way
  bool zero_output_for_mask = false;  // serialized only (masking is not implemented)
  RegularizerArg activity_regularizer{};
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class RNN : public Layer {
 public:
  // keras.layers.RNN(cell): `cell` must be an RNNCell (ValueError otherwise).
  explicit RNN(keras::Layer cell, const RNNOptions& options = {});
  KERAS_LAYER_CLONE(RNN)

  void build(const Shape& input_shape) override;
  void build(const std::vector<Shape>& input_shapes) override;
  // Inputs: {sequences (batch, time, features...), optional initial states...}. Outputs: the last
  // output (batch, units) or every output (batch, time, units), then the final states when
  // return_state.
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, bool training) override;
  Tensor call(const Tensor& x, bool training) override;
  using Layer::compute_output_shape;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  RNNCell& cell() const { return *cell_; }
  const std::shared_ptr<RNNCell>& cell_ptr() const { return cell_; }
  bool return_sequences() const { return o_.return_sequences; }
  bool return_state() const { return o_.return_state; }
  bool go_backwards() const { return o_.go_backwards; }
  bool stateful() const { return o_.stateful; }
  bool zero_output_for_mask() const { return o_.zero_output_for_mask; }
  void set_zero_output_for_mask(bool value) { o_.zero_output_for_mask = value; }
  // Builds the layer for an input shape unless it is built (wrappers build their children).
  void ensure_built(const Shape& input_shape);

  // The states kept between calls of a stateful layer (empty until built) and their reset to
  // zeros (Keras's layer.states / reset_states()).
  const std::vector<Tensor>& states() const { return states_; }
  void reset_states();
  void reset_state() { reset_states(); }

 protected:
  // Subclasses (SimpleRNN, LSTM, GRU) pass their class name and own the cell's options.
  RNN(std::shared_ptr<RNNCell> cell, const RNNOptions& options, std::string class_name);
  // The RNN fields of the config, without "cell" (what LSTM/GRU/SimpleRNN write first).
  void rnn_config(ConfigIO& io);
  // Replaces the cell (a subclass re-creating it after a config change).
  void set_cell(std::shared_ptr<RNNCell> cell);
  // The activity regularizer (its config position differs between subclasses).
  RegularizerArg& activity_regularizer() { return o_.activity_regularizer; }

 private:
  void check_input_shape(const Shape& shape) const;

  std::shared_ptr<RNNCell> cell_;
  RNNOptions o_;
  std::vector<Tensor> states_;  // stateful only; not tracked (Keras does not save them)
};

// Creates a layer (or cell) from {"class_name": ..., "config": {...}} for the wrappers' and RNN's
// configs. Knows the recurrent classes and Dense; any other class goes to the deserializer
// installed with set_wrapped_layer_deserializer (the model-level layer registry), else
// UnknownObjectError.
std::shared_ptr<Layer> deserialize_wrapped_layer(const json& serialized);
using LayerDeserializer = std::function<std::shared_ptr<Layer>(const json&)>;
void set_wrapped_layer_deserializer(LayerDeserializer deserializer);
// {"class_name": ..., "config": {...}} of a layer (the Keras 2 flavour of
// serialize_keras_object; saving/ adds Keras 3's module / registered_name).
json serialize_wrapped_layer(Layer& layer);

}  // namespace keras::layers
