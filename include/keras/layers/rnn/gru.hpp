// keras.layers.GRUCell and keras.layers.GRU (Cho et al. 2014), Keras 3 semantics.
//
// Gates in Keras's order z (update), r (reset), h (candidate) along the last axis of kernel
// (input_dim, 3*units) and recurrent_kernel (units, 3*units).
// reset_after=true (default, cuDNN-compatible): bias (2, 3*units) = [input bias; recurrent bias],
//   x_* = x @ kernel_* + b_in_*,  r_* = h @ recurrent_kernel_* + b_rec_*,
//   z = ract(x_z + r_z), r = ract(x_r + r_r), hh = act(x_h + r * r_h).
// reset_after=false: bias (3*units,), z and r as above without b_rec, and
//   hh = act(x_h + (r * h) @ recurrent_kernel_h).
// Both: h' = z * h + (1 - z) * hh.
#pragma once

#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct GRUCellOptions {
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
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
  // Values > 0 are accepted and serialized; training with them raises NotImplementedError.
  double recurrent_dropout = 0.0;
  bool reset_after = true;
  std::optional<int64_t> seed{};
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class GRUCell : public RNNCell {
 public:
  explicit GRUCell(int64_t units, const GRUCellOptions& options = {});
  KERAS_LAYER_CLONE(GRUCell)

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
  const GRUCellOptions& options() const { return o_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& recurrent_kernel() const { return recurrent_kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  int64_t units_;
  GRUCellOptions o_;
  detail::CellDropout drop_;
  Variable kernel_, recurrent_kernel_, bias_;
  Tensor rk_zr_, rk_h_;  // recurrent_kernel split for reset_after=false, while a sequence runs
};

struct GRUOptions {
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
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
  double recurrent_dropout = 0.0;  // training with a value > 0: NotImplementedError
  std::optional<int64_t> seed{};
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool stateful = false;
  bool unroll = false;
  bool reset_after = true;
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class GRU : public RNN {
 public:
  explicit GRU(int64_t units, const GRUOptions& options = {});
  KERAS_LAYER_CLONE(GRU)

  void config(ConfigIO& io) override;
  GRUCell& cell() const { return static_cast<GRUCell&>(RNN::cell()); }
  int64_t units() const { return units_; }

 private:
  static std::shared_ptr<RNNCell> make_cell(int64_t units, const GRUOptions& o);

  int64_t units_;
  GRUOptions o_;  // the cell's fields (the RNN fields live in RNN)
};

}  // namespace keras::layers
