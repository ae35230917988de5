#include "keras/layers/rnn/time_distributed.hpp"

#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

namespace {

Shape child_shape(const Shape& input_shape, const std::string& layer_name) {
  if (input_shape.size() < 3)
    throw ValueError("`TimeDistributed` Layer '" + layer_name +
                     "' should be passed an "
                     "`input_shape` with at least 3 dimensions, received: " +
                     shape_str(input_shape));
  Shape s{input_shape[0]};
  s.insert(s.end(), input_shape.begin() + 2, input_shape.end());
  return s;
}

}  // namespace

TimeDistributed::TimeDistributed(keras::Layer layer, const LayerOptions& options)
    : Layer(options, "TimeDistributed"), layer_(std::move(layer)) {
  if (!layer_.defined())
    throw ValueError(
        "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` "
        "instance. Received: None");
  track("layer", layer_.ptr());
}

void TimeDistributed::build(const Shape& input_shape) {
  // The child's compute_output_shape builds it for one time slice.
  layer_->compute_output_shape(child_shape(input_shape, name()));
}

Tensor TimeDistributed::call(const Tensor& x, bool training) {
  const Shape& in = x.shape();
  child_shape(in, name());
  // (batch, time, ...) -> (batch * time, ...): one call of the child on every slice.
  Shape flat{in[0] * in[1]};
  flat.insert(flat.end(), in.begin() + 2, in.end());
  Tensor y = layer_(x.reshape(flat), training);
  Shape out{in[0], in[1]};
  out.insert(out.end(), y.shape().begin() + 1, y.shape().end());
  return y.reshape(out);
}

std::vector<Shape> TimeDistributed::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  const Shape& in = input_shapes[0];
  if (!built()) {
    build(in);
    set_built(true);
  }
  Shape child = layer_->compute_output_shape(child_shape(in, name()));
  Shape out{child.empty() ? in[0] : child[0], in[1]};
  if (!child.empty()) out.insert(out.end(), child.begin() + 1, child.end());
  return {out};
}

void TimeDistributed::config(ConfigIO& io) {
  Layer::config(io);
  if (io.writing()) {
    (*io.output())["layer"] = serialize_wrapped_layer(*layer_);
    return;
  }
  const json& in = *io.input();
  if (!in.contains("layer")) return;
  io.consume("layer");
  const json& l = in["layer"];
  if (built() || (l.is_object() && l.value("class_name", "") == layer_->class_name() &&
                  l.contains("config"))) {
    layer_->apply_config(l.at("config"));
    return;
  }
  layer_ = keras::Layer(deserialize_wrapped_layer(l));
  track("layer", layer_.ptr());
}

}  // namespace keras::layers
