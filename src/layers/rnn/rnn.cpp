#include "keras/layers/rnn/rnn.hpp"

#include <mutex>

#include "keras/layers/core/dense.hpp"
#include "keras/layers/rnn/bidirectional.hpp"
#include "keras/layers/rnn/gru.hpp"
#include "keras/layers/rnn/lstm.hpp"
#include "keras/layers/rnn/simple_rnn.hpp"
#include "keras/layers/rnn/time_distributed.hpp"
#include "keras/ops.hpp"

namespace keras::layers {

// ---------------------------------------------------------------- dropout masks

namespace detail {

namespace {

Tensor dropout_mask(const Shape& shape, double rate, DType dtype, random::SeedGenerator& gen) {
  // Keras's backend.random.dropout(ones, rate): kept entries scaled by 1 / (1 - rate).
  Tensor u = random::uniform(shape, 0.0, 1.0, dtype, gen);
  Tensor keep = ops::cast(ops::greater_equal(u, ops::scalar_like(rate, u)), dtype);
  return keep * (1.0 / (1.0 - rate));
}

}  // namespace

void CellDropout::begin(const Shape& input_row_shape, int64_t batch, int64_t units, DType dtype,
                        bool training, const std::string& layer_name) {
  end();
  if (!training) return;
  const bool in = dropout > 0.0 && dropout < 1.0;
  const bool rec = recurrent_dropout > 0.0 && recurrent_dropout < 1.0;
  if (!in && !rec) return;
  if (!generator)
    generator = seed ? std::make_shared<random::SeedGenerator>(*seed)
                     : std::make_shared<random::SeedGenerator>();
  if (in) {
    Shape shape = input_row_shape;
    shape[0] = batch;
    input_mask = dropout_mask(shape, dropout, dtype, *generator);
  }
  if (rec) recurrent_mask = dropout_mask({batch, units}, recurrent_dropout, dtype, *generator);
  (void)layer_name;
}

}  // namespace detail

// ---------------------------------------------------------------- RNNCell

std::pair<Tensor, std::vector<Tensor>> RNNCell::step(const Tensor& inputs,
                                                     const std::vector<Tensor>& states,
                                                     bool training) {
  // A cell called on its own: one step is a sequence of length one.
  begin_sequence(inputs.dim(0), training);
  std::pair<Tensor, std::vector<Tensor>> out;
  try {
    Tensor projected = project_inputs(ops::expand_dims(inputs, 0), training);
    out = step_projected(projected[0], states, training);
  } catch (...) {
    end_sequence();
    throw;
  }
  end_sequence();
  return out;
}

void RNNCell::begin_sequence(int64_t batch, bool training) {
  (void)batch;
  (void)training;
}

void RNNCell::end_sequence() {}

Tensor RNNCell::project_inputs(const Tensor& inputs_time_major, bool training) {
  (void)training;
  return inputs_time_major;
}

std::pair<Tensor, std::vector<Tensor>> RNNCell::step_projected(const Tensor& projected,
                                                               const std::vector<Tensor>& states,
                                                               bool training) {
  (void)projected;
  (void)states;
  (void)training;
  throw NotImplementedError("RNN cell '" + name() + "' (" + class_name() +
                            ") implements neither step() nor step_projected().");
}

std::vector<Tensor> RNNCell::get_initial_state(int64_t batch_size) const {
  std::vector<Tensor> out;
  for (int64_t s : state_size()) out.push_back(Tensor::zeros({batch_size, s}, dtype()));
  return out;
}

void RNNCell::build_cell(const Shape& step_input_shape) {
  if (built()) return;
  build(step_input_shape);
  set_built(true);
}

void RNNCell::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty())
    throw ValueError("RNN cell '" + name() + "' expects an input and its states; received none.");
  Layer::build(std::vector<Shape>{input_shapes[0]});
}

std::vector<Tensor> RNNCell::call(const std::vector<Tensor>& inputs, bool training) {
  const size_t n = state_size().size();
  if (inputs.size() != n + 1)
    throw ValueError("RNN cell '" + name() + "' (" + class_name() + ") expects its inputs and " +
                     std::to_string(n) + " state tensor(s); received " +
                     std::to_string(inputs.size()) + " tensors.");
  Tensor x = inputs[0].dtype() == dtype() ? inputs[0] : inputs[0].astype(dtype());
  std::vector<Tensor> states(inputs.begin() + 1, inputs.end());
  const auto sizes = state_size();
  for (size_t i = 0; i < n; ++i) {
    if (states[i].shape() != Shape{x.dim(0), sizes[i]})
      throw ValueError("RNN cell '" + name() + "': state " + std::to_string(i) +
                       " expected shape " + shape_str({x.dim(0), sizes[i]}) + ", received " +
                       shape_str(states[i].shape()) + ".");
    if (states[i].dtype() != dtype()) states[i] = states[i].astype(dtype());
  }
  auto [output, new_states] = step(x, states, training);
  std::vector<Tensor> out{output};
  for (auto& s : new_states) out.push_back(s);
  return out;
}

std::vector<Shape> RNNCell::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty()) throw ValueError("RNN cell '" + name() + "' received no inputs.");
  const int64_t batch = input_shapes[0].empty() ? -1 : input_shapes[0][0];
  std::vector<Shape> out{{batch, output_size()}};
  for (int64_t s : state_size()) out.push_back({batch, s});
  return out;
}

// ---------------------------------------------------------------- RNN

RNN::RNN(keras::Layer cell, const RNNOptions& options)
    : RNN(std::dynamic_pointer_cast<RNNCell>(cell.ptr()), options, "RNN") {
  if (!cell_)
    throw ValueError(std::string("Argument `cell` of RNN should be an RNN cell (with state_size "
                                 "and a step); received ") +
                     (cell.defined() ? "layer '" + cell->name() + "' of class " + cell->class_name()
                                     : std::string("None")) +
                     ".");
}

RNN::RNN(std::shared_ptr<RNNCell> cell, const RNNOptions& options, std::string class_name)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            std::move(class_name)),
      o_(options) {
  if (cell) set_cell(std::move(cell));
}

void RNN::set_cell(std::shared_ptr<RNNCell> cell) {
  cell_ = std::move(cell);
  track("cell", std::static_pointer_cast<Layer>(cell_));
}

void RNN::check_input_shape(const Shape& shape) const {
  // LSTM, GRU and SimpleRNN take exactly (batch, time, features) (Keras's InputSpec(ndim=3));
  // a generic RNN also takes cells over higher-rank steps.
  const bool generic = class_name() == "RNN";
  if (generic ? shape.size() < 3 : shape.size() != 3)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: " +
                     (generic ? "expected ndim>=3" : "expected ndim=3") + ", found ndim=" +
                     std::to_string(shape.size()) + ". Full shape received: " + shape_str(shape));
}

void RNN::ensure_built(const Shape& input_shape) {
  if (built()) return;
  build(input_shape);
  set_built(true);
}

void RNN::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty())
    throw ValueError("Layer '" + name() + "' expects a sequence input; received none.");
  build(input_shapes[0]);
}

void RNN::build(const Shape& input_shape) {
  check_input_shape(input_shape);
  Shape step_shape{input_shape[0]};
  step_shape.insert(step_shape.end(), input_shape.begin() + 2, input_shape.end());
  if (step_shape.back() < 0)
    throw ValueError("Layer '" + name() +
                     "': the last dimension of the inputs must be known; "
                     "received input shape " +
                     shape_str(input_shape) + ".");
  cell_->build_cell(step_shape);
  // Keras 3 builds the cell inside the layer's name scope: "lstm/lstm_cell/kernel".
  for (auto& v : cell_->weights()) v.set_path(name() + "/" + cell_->name() + "/" + v.name());
  if (o_.stateful) {
    if (input_shape[0] < 0)
      throw ValueError(
          "When using `stateful=True` in a RNN, the batch size must be static. "
          "Found dynamic batch size: sequence.shape=" +
          shape_str(input_shape));
    states_ = cell_->get_initial_state(input_shape[0]);
  }
}

void RNN::reset_states() {
  for (auto& s : states_) s = Tensor::zeros(s.shape(), s.dtype());
}

Tensor RNN::call(const Tensor& x, bool training) {
  auto out = call(std::vector<Tensor>{x}, training);
  if (out.size() != 1)
    throw ValueError("Layer '" + name() + "' returns " + std::to_string(out.size()) +
                     " outputs (return_state=True); call it on a list of tensors.");
  return out[0];
}

std::vector<Tensor> RNN::call(const std::vector<Tensor>& inputs, bool training) {
  if (inputs.empty())
    throw ValueError("Layer '" + name() + "' expects a sequence input; received none.");
  check_input_shape(inputs[0].shape());
  Tensor x = inputs[0].dtype() == dtype() ? inputs[0] : inputs[0].astype(dtype());
  const int64_t batch = x.dim(0), steps = x.dim(1);
  if (steps == 0)
    throw ValueError("Layer '" + name() +
                     "' received a sequence with 0 timesteps: " + shape_str(x.shape()) + ".");
  const std::vector<int64_t> sizes = cell_->state_size();

  std::vector<Tensor> states;
  if (inputs.size() > 1) {
    if (inputs.size() - 1 != sizes.size())
      throw ValueError("Layer '" + name() + "' expects " + std::to_string(sizes.size()) +
                       " initial state(s); received " + std::to_string(inputs.size() - 1) + ".");
    for (size_t i = 0; i < sizes.size(); ++i) {
      const Tensor& s = inputs[i + 1];
      if (s.shape() != Shape{batch, sizes[i]})
        throw ValueError("Layer '" + name() + "': initial state " + std::to_string(i) +
                         " expected shape " + shape_str({batch, sizes[i]}) + ", received " +
                         shape_str(s.shape()) + ".");
      states.push_back(s.dtype() == dtype() ? s : s.astype(dtype()));
    }
  } else if (o_.stateful) {
    if (states_.empty()) states_ = cell_->get_initial_state(batch);
    if (states_[0].dim(0) != batch)
      throw ValueError("Stateful layer '" + name() + "' was built for batch size " +
                       std::to_string(states_[0].dim(0)) + "; received a batch of " +
                       std::to_string(batch) + ".");
    states = states_;
  } else {
    states = cell_->get_initial_state(batch);
  }

  // Time-major, so that each step's rows are one contiguous block (a view).
  std::vector<int> perm{1, 0};
  for (int i = 2; i < x.ndim(); ++i) perm.push_back(i);
  const Tensor x_tm = ops::transpose(x, perm);

  std::vector<Tensor> outputs;
  if (o_.return_sequences) outputs.reserve(static_cast<size_t>(steps));
  Tensor last;
  cell_->begin_sequence(batch, training);
  try {
    const Tensor projected = cell_->project_inputs(x_tm, training);
    for (int64_t t = 0; t < steps; ++t) {
      const int64_t index = o_.go_backwards ? steps - 1 - t : t;
      auto [output, new_states] = cell_->step_projected(projected[index], states, training);
      states = std::move(new_states);
      if (o_.return_sequences) outputs.push_back(output);
      last = std::move(output);
    }
  } catch (...) {
    cell_->end_sequence();
    throw;
  }
  cell_->end_sequence();

  if (o_.stateful) {
    for (size_t i = 0; i < states.size(); ++i) states_[i] = stop_gradient(states[i]).clone();
  }
  std::vector<Tensor> out{o_.return_sequences ? ops::stack(outputs, 1) : last};
  if (o_.return_state)
    for (auto& s : states) out.push_back(s);
  if (o_.activity_regularizer)
    for (const auto& t : out) add_loss((*o_.activity_regularizer.get())(t));
  return out;
}

std::vector<Shape> RNN::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty())
    throw ValueError("Layer '" + name() + "' expects a sequence input; received none.");
  const Shape& in = input_shapes[0];
  if (!built()) {
    build(input_shapes);
    set_built(true);
  }
  check_input_shape(in);
  std::vector<Shape> out;
  if (o_.return_sequences) {
    out.push_back({in[0], in[1], cell_->output_size()});
  } else {
    out.push_back({in[0], cell_->output_size()});
  }
  if (o_.return_state)
    for (int64_t s : cell_->state_size()) out.push_back({in[0], s});
  return out;
}

void RNN::rnn_config(ConfigIO& io) {
  Layer::config(io);
  io("return_sequences", o_.return_sequences);
  io("return_state", o_.return_state);
  io("go_backwards", o_.go_backwards);
  io("stateful", o_.stateful);
  io("unroll", o_.unroll);
  io("zero_output_for_mask", o_.zero_output_for_mask);
}

void RNN::config(ConfigIO& io) {
  rnn_config(io);
  if (io.writing()) {
    (*io.output())["cell"] = serialize_wrapped_layer(*cell_);
    return;
  }
  if (const json* in = io.input(); in->contains("cell")) {
    io.consume("cell");
    const json& c = (*in)["cell"];
    if (c.is_object() && c.value("class_name", "") == cell_->class_name() && !cell_->built() &&
        c.contains("config")) {
      cell_->apply_config(c["config"]);
    } else {
      if (built())
        throw ValueError("Layer '" + name() +
                         "' is built; its cell cannot be replaced by a "
                         "config.");
      auto cell = std::dynamic_pointer_cast<RNNCell>(deserialize_wrapped_layer(c));
      if (!cell)
        throw ValueError("The `cell` of RNN layer '" + name() +
                         "' in the config is not an RNN "
                         "cell: " +
                         c.dump() + ".");
      set_cell(std::move(cell));
    }
  }
}

// ---------------------------------------------------------------- (de)serialization

namespace {

std::mutex& deserializer_mutex() {
  static std::mutex m;
  return m;
}
LayerDeserializer& installed_deserializer() {
  static LayerDeserializer d;
  return d;
}

template <typename Options>
Options named(const std::string& name) {
  Options o;
  o.name = name;
  return o;
}

std::string config_name(const json& config) {
  auto it = config.find("name");
  return it != config.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t config_units(const json& config) {
  auto it = config.find("units");
  return it != config.end() && it->is_number_integer() ? it->get<int64_t>() : 1;
}

}  // namespace

void set_wrapped_layer_deserializer(LayerDeserializer deserializer) {
  std::lock_guard lock(deserializer_mutex());
  installed_deserializer() = std::move(deserializer);
}

json serialize_wrapped_layer(Layer& layer) {
  return json{{"class_name", layer.class_name()}, {"config", layer.get_config()}};
}

std::shared_ptr<Layer> deserialize_wrapped_layer(const json& serialized) {
  if (!serialized.is_object() || !serialized.contains("class_name") ||
      !serialized["class_name"].is_string())
    throw ValueError(
        "Could not deserialize layer: expected a dict with a 'class_name', "
        "received " +
        serialized.dump() + ".");
  const std::string cls = serialized["class_name"].get<std::string>();
  const json config = serialized.contains("config") && serialized["config"].is_object()
                          ? serialized["config"]
                          : json::object();
  const std::string name = config_name(config);
  const int64_t units = config_units(config);
  std::shared_ptr<Layer> layer;
  if (cls == "LSTM") {
    layer = std::make_shared<LSTM>(units, named<LSTMOptions>(name));
  } else if (cls == "GRU") {
    layer = std::make_shared<GRU>(units, named<GRUOptions>(name));
  } else if (cls == "SimpleRNN") {
    layer = std::make_shared<SimpleRNN>(units, named<SimpleRNNOptions>(name));
  } else if (cls == "LSTMCell") {
    layer = std::make_shared<LSTMCell>(units, named<LSTMCellOptions>(name));
  } else if (cls == "GRUCell") {
    layer = std::make_shared<GRUCell>(units, named<GRUCellOptions>(name));
  } else if (cls == "SimpleRNNCell") {
    layer = std::make_shared<SimpleRNNCell>(units, named<SimpleRNNCellOptions>(name));
  } else if (cls == "Dense") {
    layer = std::make_shared<Dense>(units, named<DenseOptions>(name));
  } else if (cls == "RNN") {
    if (!config.contains("cell"))
      throw ValueError("RNN config without a `cell`: " + config.dump() + ".");
    layer = std::make_shared<RNN>(keras::Layer(deserialize_wrapped_layer(config["cell"])),
                                  named<RNNOptions>(name));
  } else if (cls == "Bidirectional" || cls == "TimeDistributed") {
    if (!config.contains("layer"))
      throw ValueError(cls + " config without a `layer`: " + config.dump() + ".");
    keras::Layer inner(deserialize_wrapped_layer(config["layer"]));
    if (cls == "Bidirectional") {
      auto o = named<BidirectionalOptions>(name);
      if (config.contains("backward_layer") && !config["backward_layer"].is_null())
        o.backward_layer = keras::Layer(deserialize_wrapped_layer(config["backward_layer"]));
      layer = std::make_shared<Bidirectional>(inner, o);
    } else {
      layer = std::make_shared<TimeDistributed>(inner, named<LayerOptions>(name));
    }
  } else {
    LayerDeserializer d;
    {
      std::lock_guard lock(deserializer_mutex());
      d = installed_deserializer();
    }
    if (!d)
      throw UnknownObjectError("Unknown layer: '" + cls +
                               "'. Please ensure you are using a "
                               "`keras.utils.custom_object_scope` and that this object is "
                               "included in the scope.");
    return d(serialized);
  }
  layer->apply_config(config);
  return layer;
}

}  // namespace keras::layers
