// keras.layers.LSTMCell and keras.layers.LSTM (Hochreiter 1997), Keras 3 semantics.
//
// Gates in Keras's order i, f, c, o along the last axis of kernel (input_dim, 4*units),
// recurrent_kernel (units, 4*units) and bias (4*units,):
//   z = x @ kernel + h @ recurrent_kernel + bias;  i, f, o = recurrent_activation(z_i, z_f, z_o)
//   c' = f * c + i * activation(z_c);  h' = o * activation(c')
// unit_forget_bias initialises the f slice of the bias to ones.
#pragma once

#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct LSTMCellOptions {
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
  bool use_bias = true;
  InitializerArg kernel_initializer = "glorot_uniform";
  InitializerArg recurrent_initializer = "orthogonal";
  InitializerArg bias_initializer = "zeros";
  bool unit_forget_bias = true;
  RegularizerArg kernel_regularizer{};
  RegularizerArg recurrent_regularizer{};
  RegularizerArg bias_regularizer{};
  ConstraintArg kernel_constraint{};
  ConstraintArg recurrent_constraint{};
  ConstraintArg bias_constraint{};
  double dropout = 0.0;
  // Values > 0 are accepted and serialized; training with them raises NotImplementedError.
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class LSTMCell : public RNNCell {
 public:
  explicit LSTMCell(int64_t units, const LSTMCellOptions& options = {});
  KERAS_LAYER_CLONE(LSTMCell)

  std::vector<int64_t> state_size() const override { return {units_, units_}; }
  void build(const Shape& input_shape) override;
  std::pair<Tensor, std::vector<Tensor>> step(const Tensor& inputs,
                                              const std::vector<Tensor>& states,
                                              bool training) override;
  void begin_sequence(int64_t batch, bool training) override;
  void end_sequence() override;
  Tensor project_inputs(const Tensor& inputs_time_major, bool training) override;
  std::pair<Tensor, std::vector<Tensor>> step_projected(const Tensor& projected,
                                                        const std::vector<Tensor>& states,
                                                        bool training) override;
  void config(ConfigIO& io) override;

  int64_t units() const { return units_; }
  const LSTMCellOptions& options() const { return o_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& recurrent_kernel() const { return recurrent_kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  int64_t units_;
  LSTMCellOptions o_;
  detail::CellDropout drop_;
  Variable kernel_, recurrent_kernel_, bias_;
};

struct LSTMOptions {
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
  bool use_bias = true;
  InitializerArg kernel_initializer = "glorot_uniform";
  InitializerArg recurrent_initializer = "orthogonal";
  InitializerArg bias_initializer = "zeros";
  bool unit_forget_bias = true;
  RegularizerArg kernel_regularizer{};
  RegularizerArg recurrent_regularizer{};
  RegularizerArg bias_regularizer{};
  RegularizerArg activity_regularizer{};
  ConstraintArg kernel_constraint{};
  ConstraintArg recurrent_constraint{};
  ConstraintArg bias_constraint{};
  double dropout = 0.0;
  double recurrent_dropout = 0.0;  // training with a value > 0: NotImplementedError
  std::optional<int64_t> seed{};
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool stateful = false;
  bool unroll = false;
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class LSTM : public RNN {
 public:
  explicit LSTM(int64_t units, const LSTMOptions& options = {});
  KERAS_LAYER_CLONE(LSTM)

  void config(ConfigIO& io) override;
  LSTMCell& cell() const { return static_cast<LSTMCell&>(RNN::cell()); }
  int64_t units() const { return units_; }

 private:
  static std::shared_ptr<RNNCell> make_cell(int64_t units, const LSTMOptions& o);

  int64_t units_;
  LSTMOptions o_;  // the cell's fields (the RNN fields live in RNN)
};

}  // namespace keras::layers
