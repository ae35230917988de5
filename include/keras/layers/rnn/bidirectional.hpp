// keras.layers.Bidirectional: runs a recurrent layer forwards and a copy of it backwards over the
// sequence and merges the two outputs.
//
// As Keras 3 does, the forward layer is re-created from the given layer's config (fresh weights)
// and named "forward_<name>"; unless a backward_layer is given, the backward layer is re-created
// with go_backwards=true and named "backward_<name>". They are tracked as "forward_layer" and
// "backward_layer", so weights() lists the forward weights, then the backward ones.
#pragma once

#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct BidirectionalOptions {
  // "concat", "sum", "mul", "ave", or nullopt (None: both outputs returned separately).
  std::optional<std::string> merge_mode = "concat";
  keras::Layer backward_layer{};  // undefined: derived from the layer
  std::string name{};
  bool trainable = true;
  std::string dtype = "float32";
};

class Bidirectional : public Layer {
 public:
  // `layer` must be an RNN layer (SimpleRNN, LSTM, GRU, RNN); ValueError otherwise.
  explicit Bidirectional(keras::Layer layer, const BidirectionalOptions& options = {});
  KERAS_LAYER_CLONE(Bidirectional)

  void build(const Shape& input_shape) override;
  void build(const std::vector<Shape>& input_shapes) override;
  // Inputs: {sequences, optional initial states: the forward layer's, then the backward
  // layer's}. Outputs: the merged output (two outputs when merge_mode is None), then the forward
  // states and the backward states when return_state.
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, bool training) override;
  Tensor call(const Tensor& x, bool training) override;
  using Layer::compute_output_shape;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  RNN& forward_layer() const { return *forward_; }
  RNN& backward_layer() const { return *backward_; }
  const std::optional<std::string>& merge_mode() const { return merge_mode_; }
  void reset_states();
  void reset_state() { reset_states(); }

 private:
  void set_layers(std::shared_ptr<RNN> forward, std::shared_ptr<RNN> backward);

  std::optional<std::string> merge_mode_;
  std::shared_ptr<RNN> forward_, backward_;
};

}  // namespace keras::layers
