#include "keras/layers/rnn/bidirectional.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

namespace {

std::string remove_prefix(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0 ? s.substr(prefix.size()) : s;
}

std::shared_ptr<RNN> as_rnn(const std::shared_ptr<Layer>& layer, const std::string& what) {
  auto rnn = std::dynamic_pointer_cast<RNN>(layer);
  if (!rnn)
    throw ValueError(
        "Please initialize `Bidirectional` layer with a recurrent layer (RNN, "
        "SimpleRNN, LSTM, GRU) as `" +
        what + "`. Received: " +
        (layer ? "layer '" + layer->name() + "' of class " + layer->class_name()
               : std::string("None")) +
        ".");
  return rnn;
}

void check_merge_mode(const std::optional<std::string>& mode) {
  if (mode && *mode != "sum" && *mode != "mul" && *mode != "ave" && *mode != "concat")
    throw ValueError("Invalid merge mode. Received: " + *mode +
                     ". Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\", "
                     "None}");
}

// The backward layer Keras 3 derives from a layer's serialized config.
std::shared_ptr<RNN> derive_backward(json serialized) {
  json& c = serialized["config"];
  c["go_backwards"] = true;
  c["name"] = "backward_" + remove_prefix(c.value("name", std::string()), "backward_");
  return as_rnn(deserialize_wrapped_layer(serialized), "layer");
}

std::shared_ptr<RNN> derive_forward(json serialized) {
  json& c = serialized["config"];
  c["name"] = "forward_" + remove_prefix(c.value("name", std::string()), "forward_");
  return as_rnn(deserialize_wrapped_layer(serialized), "layer");
}

}  // namespace

Bidirectional::Bidirectional(keras::Layer layer, const BidirectionalOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "Bidirectional"),
      merge_mode_(options.merge_mode) {
  check_merge_mode(merge_mode_);
  auto given = as_rnn(layer.ptr(), "layer");
  std::shared_ptr<RNN> backward;
  if (options.backward_layer.defined())
    backward = as_rnn(options.backward_layer.ptr(), "backward_layer");
  // Re-created from the config, as Keras does: no state (or weights) carried over.
  const json serialized = serialize_wrapped_layer(*given);
  auto forward = derive_forward(serialized);
  if (!backward) backward = derive_backward(serialized);
  set_layers(std::move(forward), std::move(backward));
}

void Bidirectional::set_layers(std::shared_ptr<RNN> forward, std::shared_ptr<RNN> backward) {
  if (forward->go_backwards() == backward->go_backwards())
    throw ValueError(
        "Forward layer and backward layer should have different `go_backwards` "
        "value. Received: forward_layer.go_backwards " +
        std::string(forward->go_backwards() ? "True" : "False") +
        ", backward_layer.go_backwards=" + (backward->go_backwards() ? "True" : "False"));
  auto check = [&](const char* attr, bool f, bool b) {
    if (f != b)
      throw ValueError(std::string("Forward layer and backward layer are expected to have the "
                                   "same value for attribute \"") +
                       attr + "\", got \"" + (f ? "True" : "False") +
                       "\" for forward layer and \"" + (b ? "True" : "False") +
                       "\" for backward layer");
  };
  check("stateful", forward->stateful(), backward->stateful());
  check("return_sequences", forward->return_sequences(), backward->return_sequences());
  check("return_state", forward->return_state(), backward->return_state());
  // Keras forces zero_output_for_mask = return_sequences on both.
  forward->set_zero_output_for_mask(forward->return_sequences());
  backward->set_zero_output_for_mask(backward->return_sequences());
  forward_ = std::move(forward);
  backward_ = std::move(backward);
  track("forward_layer", std::static_pointer_cast<Layer>(forward_));
  track("backward_layer", std::static_pointer_cast<Layer>(backward_));
}

void Bidirectional::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty())
    throw ValueError("Layer '" + name() + "' expects a sequence input; received none.");
  build(input_shapes[0]);
}

void Bidirectional::build(const Shape& input_shape) {
  const bool f_built = forward_->built(), b_built = backward_->built();
  forward_->ensure_built(input_shape);
  backward_->ensure_built(input_shape);
  // Keras 3 / tf.keras paths: "bidirectional/forward_lstm/lstm_cell/kernel".
  if (!f_built)
    for (auto& v : forward_->weights()) v.set_path(name() + "/" + v.path());
  if (!b_built)
    for (auto& v : backward_->weights()) v.set_path(name() + "/" + v.path());
}

Tensor Bidirectional::call(const Tensor& x, bool training) {
  auto out = call(std::vector<Tensor>{x}, training);
  if (out.size() != 1)
    throw ValueError("Layer '" + name() + "' returns " + std::to_string(out.size()) +
                     " outputs; call it on a list of tensors.");
  return out[0];
}

std::vector<Tensor> Bidirectional::call(const std::vector<Tensor>& inputs, bool training) {
  if (inputs.empty())
    throw ValueError("Layer '" + name() + "' expects a sequence input; received none.");
  std::vector<Tensor> f_in{inputs[0]}, b_in{inputs[0]};
  if (inputs.size() > 1) {
    const size_t n = inputs.size() - 1;
    if (n % 2 != 0)
      throw ValueError("Layer '" + name() +
                       "' expects as many initial states for the backward "
                       "layer as for the forward layer; received " +
                       std::to_string(n) + " states.");
    f_in.insert(f_in.end(), inputs.begin() + 1, inputs.begin() + 1 + n / 2);
    b_in.insert(b_in.end(), inputs.begin() + 1 + n / 2, inputs.end());
  }
  std::vector<Tensor> y = (*forward_)(f_in, training);
  std::vector<Tensor> y_rev = (*backward_)(b_in, training);
  Tensor a = y[0].dtype() == dtype() ? y[0] : y[0].astype(dtype());
  Tensor b = y_rev[0].dtype() == dtype() ? y_rev[0] : y_rev[0].astype(dtype());
  if (forward_->return_sequences()) b = ops::flip(b, {1});
  std::vector<Tensor> out;
  if (!merge_mode_) {
    out = {a, b};
  } else if (*merge_mode_ == "concat") {
    out = {ops::concatenate({a, b}, -1)};
  } else if (*merge_mode_ == "sum") {
    out = {ops::add(a, b)};
  } else if (*merge_mode_ == "ave") {
    out = {ops::add(a, b) * 0.5};
  } else {
    out = {ops::multiply(a, b)};
  }
  if (forward_->return_state()) {
    out.insert(out.end(), y.begin() + 1, y.end());
    out.insert(out.end(), y_rev.begin() + 1, y_rev.end());
  }
  return out;
}

std::vector<Shape> Bidirectional::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty())
    throw ValueError("Layer '" + name() + "' expects a sequence input; received none.");
  if (!built()) {
    build(input_shapes);
    set_built(true);
  }
  std::vector<Shape> f = forward_->compute_output_shape(std::vector<Shape>{input_shapes[0]});
  Shape y = f[0];
  std::vector<Shape> out;
  if (!merge_mode_) {
    out = {y, y};
  } else {
    if (*merge_mode_ == "concat" && y.back() >= 0) y.back() *= 2;
    out = {y};
  }
  for (int k = 0; k < 2; ++k) out.insert(out.end(), f.begin() + 1, f.end());
  return out;
}

void Bidirectional::reset_states() {
  if (!forward_->stateful())
    throw ValueError("Layer '" + name() + "' must be stateful to reset its states.");
  forward_->reset_states();
  backward_->reset_states();
}

void Bidirectional::config(ConfigIO& io) {
  Layer::config(io);
  io("merge_mode", merge_mode_);
  if (io.writing()) {
    json& out = *io.output();
    out["layer"] = serialize_wrapped_layer(*forward_);
    out["backward_layer"] = serialize_wrapped_layer(*backward_);
    return;
  }
  check_merge_mode(merge_mode_);
  const json& in = *io.input();
  if (!in.contains("layer")) return;
  io.consume("layer");
  io.consume("backward_layer");
  const json& layer = in["layer"];
  const bool has_backward = in.contains("backward_layer") && !in["backward_layer"].is_null();
  if (built()) {
    // Weights exist: only the options can change (a different structure is an error there).
    if (layer.contains("config")) forward_->apply_config(layer["config"]);
    if (has_backward && in["backward_layer"].contains("config"))
      backward_->apply_config(in["backward_layer"]["config"]);
    return;
  }
  auto forward = derive_forward(layer);
  auto backward = has_backward
                      ? as_rnn(deserialize_wrapped_layer(in["backward_layer"]), "backward_layer")
                      : derive_backward(layer);
  set_layers(std::move(forward), std::move(backward));
}

}  // namespace keras::layers
