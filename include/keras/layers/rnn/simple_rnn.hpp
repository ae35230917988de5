// keras.layers.SimpleRNNCell and keras.layers.SimpleRNN: a fully-connected RNN whose output is
// fed back, Keras 3 semantics:
//   h' = activation(x @ kernel + bias + h @ recurrent_kernel)
// with kernel (input_dim, units), recurrent_kernel (units, units), bias (units,).
#pragma once

#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct SimpleRNNCellOptions {
  std::string activation = "tanh";
  bool use_bias = true;
  InitializerArg kernel_initializer = "glorot_uniform";
  InitializerArg recurrent_initializer = "orthogonal";
  InitializerArg bias_initializer = "zeros";
  RegularizerArg kernel_regularizer{};
  RegularizerArg recurrent_regularizer{};
  RegularizerArg bias_regularizer{};
  ConstraintArg kernel_constraint{};
  ConstraintArg recurrent_constraint{};
  ConstraintArg bias_constraint{};
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class SimpleRNNCell : public RNNCell {
 public:
  explicit SimpleRNNCell(int64_t units, const SimpleRNNCellOptions& options = {});
  KERAS_LAYER_CLONE(SimpleRNNCell)

  std::vector<int64_t> state_size() const override { return {units_}; }
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
  const SimpleRNNCellOptions& options() const { return o_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& recurrent_kernel() const { return recurrent_kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  int64_t units_;
  SimpleRNNCellOptions o_;
  detail::CellDropout drop_;
  Variable kernel_, recurrent_kernel_, bias_;
};

struct SimpleRNNOptions {
  std::string activation = "tanh";
  bool use_bias = true;
  InitializerArg kernel_initializer = "glorot_uniform";
  InitializerArg recurrent_initializer = "orthogonal";
  InitializerArg bias_initializer = "zeros";
  RegularizerArg kernel_regularizer{};
  RegularizerArg recurrent_regularizer{};
  RegularizerArg bias_regularizer{};
  RegularizerArg activity_regularizer{};
  ConstraintArg kernel_constraint{};
  ConstraintArg recurrent_constraint{};
  ConstraintArg bias_constraint{};
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool stateful = false;
  bool unroll = false;
  std::optional<int64_t> seed{};  // not in SimpleRNN's Keras 3 config (its cell's config has it)
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class SimpleRNN : public RNN {
 public:
  explicit SimpleRNN(int64_t units, const SimpleRNNOptions& options = {});
  KERAS_LAYER_CLONE(SimpleRNN)

  void config(ConfigIO& io) override;
  SimpleRNNCell& cell() const { return static_cast<SimpleRNNCell&>(RNN::cell()); }
  int64_t units() const { return units_; }

 private:
  static std::shared_ptr<RNNCell> make_cell(int64_t units, const SimpleRNNOptions& o);

  int64_t units_;
  SimpleRNNOptions o_;  // the cell's fields (the RNN fields live in RNN)
};

}  // namespace keras::layers
