#include "keras/layers/layer.hpp"

#include <map>
#include <mutex>
#include <regex>

#include "keras/ops/elementwise.hpp"

namespace keras::layers {

std::string unique_object_name(const std::string& prefix) {
  static std::mutex mutex;
  static std::map<std::string, int> counts;
  std::lock_guard lock(mutex);
  const int n = counts[prefix]++;
  return n == 0 ? prefix : prefix + "_" + std::to_string(n);
}

std::string to_snake_case(const std::string& class_name) {
  static const std::regex non_word(R"(\W+)");
  static const std::regex capital_word("(.)([A-Z][a-z]+)");
  static const std::regex lower_upper("([a-z])([A-Z])");
  std::string s = std::regex_replace(class_name, non_word, "");
  s = std::regex_replace(s, capital_word, "$1_$2");
  s = std::regex_replace(s, lower_upper, "$1_$2");
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

namespace {

DType dtype_from_policy(const std::string& name) {
  // A mixed-precision policy keeps float32 variables (Keras's variable_dtype).
  if (name == "mixed_float16" || name == "mixed_bfloat16") return DType::float32;
  return dtype_from_name(name);
}

}  // namespace

Layer::Layer(const LayerOptions& options, std::string class_name)
    : class_name_(std::move(class_name)),
      name_(options.name.empty() ? unique_object_name(to_snake_case(class_name_)) : options.name),
      trainable_(options.trainable),
      dtype_(dtype_from_policy(options.dtype)) {}

Layer::~Layer() = default;

void Layer::set_trainable(bool trainable) {
  trainable_ = trainable;
  for (auto& w : weights_) w.variable.set_trainable(trainable && w.created_trainable);
  for (auto& sub : sublayers()) sub->set_trainable(trainable);
}

// ---------------------------------------------------------------- calling

void Layer::maybe_build(const std::vector<Shape>& shapes) {
  if (built_) return;
  build(shapes);
  built_ = true;
}

void Layer::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() == 1) build(input_shapes[0]);
}

void Layer::build(const Shape& input_shape) { (void)input_shape; }

Tensor Layer::call(const Tensor& x, bool training) {
  (void)x;
  (void)training;
  throw NotImplementedError("Layer '" + name_ + "' (" + class_name_ +
                            ") does not implement call() for a single input.");
}

std::vector<Tensor> Layer::call(const std::vector<Tensor>& inputs, bool training) {
  if (inputs.size() != 1)
    throw ValueError("Layer '" + name_ + "' (" + class_name_ + ") expects 1 input, received " +
                     std::to_string(inputs.size()) + ".");
  return {call(inputs[0], training)};
}

Tensor Layer::operator()(const Tensor& x, bool training) {
  auto out = (*this)(std::vector<Tensor>{x}, training);
  if (out.size() != 1)
    throw ValueError("Layer '" + name_ + "' returned " + std::to_string(out.size()) +
                     " outputs where one was expected.");
  return out[0];
}

std::vector<Tensor> Layer::operator()(const std::vector<Tensor>& inputs, bool training) {
  std::vector<Shape> shapes;
  for (const auto& t : inputs) shapes.push_back(t.shape());
  maybe_build(shapes);
  call_losses_.clear();
  return call(inputs, training);
}

std::vector<Shape> Layer::compute_output_shape(const std::vector<Shape>& input_shapes) {
  maybe_build(input_shapes);
  // Run the layer on zeros twice, unknown dimensions set to 1 and then 2: output dimensions that
  // differ between the runs depend on an unknown input dimension and stay unknown.
  auto run = [&](int64_t fill) {
    std::vector<Tensor> dummies;
    for (const auto& s : input_shapes) {
      Shape concrete = s;
      for (auto& d : concrete)
        if (d < 0) d = fill;
      dummies.push_back(Tensor::zeros(concrete, dtype_));
    }
    autograd::NoGradGuard guard;
    std::vector<Shape> out;
    for (const auto& t : call(dummies, false)) out.push_back(t.shape());
    return out;
  };
  std::vector<Shape> a = run(1);
  bool any_unknown = false;
  for (const auto& s : input_shapes)
    for (auto d : s) any_unknown |= d < 0;
  if (!any_unknown) return a;
  std::vector<Shape> b = run(2);
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    for (size_t k = 0; k < a[i].size() && k < b[i].size(); ++k)
      if (a[i][k] != b[i][k]) a[i][k] = -1;
  return a;
}

Shape Layer::compute_output_shape(const Shape& input_shape) {
  auto out = compute_output_shape(std::vector<Shape>{input_shape});
  if (out.size() != 1)
    throw ValueError("Layer '" + name_ + "' has " + std::to_string(out.size()) + " outputs.");
  return out[0];
}

KerasTensor Layer::operator()(const KerasTensor& x) {
  auto out = (*this)(std::vector<KerasTensor>{x});
  if (out.size() != 1)
    throw ValueError("Layer '" + name_ + "' returned " + std::to_string(out.size()) +
                     " outputs where one was expected.");
  return out[0];
}

std::vector<KerasTensor> Layer::operator()(const std::vector<KerasTensor>& inputs) {
  std::shared_ptr<Layer> self = weak_from_this().lock();
  if (!self) {  // a stack object: calls go to one heap copy, so repeated calls share weights
    if (!heap_twin_) heap_twin_ = clone_shared();
    return (*heap_twin_)(inputs);
  }
  std::vector<Shape> shapes;
  for (const auto& t : inputs) shapes.push_back(t.shape());
  // Build first: a layer that overrides compute_output_shape must still get its weights.
  if (!inputs.empty()) maybe_build(shapes);
  const std::vector<Shape> out_shapes = compute_output_shape(shapes);
  Node node;
  node.inputs = inputs;
  std::vector<KerasTensor> outputs;
  const int node_index = static_cast<int>(inbound_nodes_.size());
  for (size_t i = 0; i < out_shapes.size(); ++i) {
    KerasTensor t(out_shapes[i], dtype_, name_);
    node.outputs.push_back(t);  // without history: a layer must not own itself
    t.set_history({self, node_index, static_cast<int>(i)});
    outputs.push_back(t);
  }
  inbound_nodes_.push_back(std::move(node));
  return outputs;
}

std::shared_ptr<Layer> Layer::clone_shared() const {
  throw TypeError("Layer '" + name_ + "' (" + class_name_ +
                  ") was called on symbolic tensors from a stack object; hold it in a "
                  "keras::Layer handle or add KERAS_LAYER_CLONE(" + class_name_ +
                  ") to its class.");
}

const KerasTensor& Layer::output() const {
  if (inbound_nodes_.size() != 1)
    throw ValueError("Layer '" + name_ + "' has " + std::to_string(inbound_nodes_.size()) +
                     " inbound nodes; output is defined only for a layer called once.");
  static thread_local KerasTensor result;
  result = inbound_nodes_[0].outputs.at(0);
  result.set_history({std::const_pointer_cast<Layer>(shared_from_this()), 0, 0});
  return result;
}

const KerasTensor& Layer::input() const {
  if (inbound_nodes_.size() != 1 || inbound_nodes_[0].inputs.empty())
    throw ValueError("Layer '" + name_ + "' has no single input; it was called " +
                     std::to_string(inbound_nodes_.size()) + " times.");
  return inbound_nodes_[0].inputs[0];
}

// ---------------------------------------------------------------- config

void Layer::config(ConfigIO& io) {
  io("name", name_);
  bool trainable = trainable_;
  io("trainable", trainable);
  std::string dtype(dtype_name(dtype_));
  io("dtype", dtype);
  if (io.reading()) {
    dtype_ = dtype_from_policy(dtype);
    if (trainable != trainable_) set_trainable(trainable);
  }
}

json Layer::get_config() {
  json j = json::object();
  ConfigIO io = ConfigIO::writer(j);
  config(io);
  return j;
}

void Layer::apply_config(const json& config_json) {
  ConfigIO io = ConfigIO::reader(config_json);
  config(io);
}

// ---------------------------------------------------------------- weights

Variable Layer::add_weight(const std::string& name, const Shape& shape,
                           const WeightOptions& options) {
  const DType dtype = options.dtype.value_or(dtype_);
  Tensor initial;
  if (options.initializer.empty()) {
    initial = Tensor::zeros(shape, dtype);
  } else {
    initial = (*options.initializer.get())(shape, dtype);
  }
  if (initial.shape() != shape)
    throw ValueError("Layer '" + name_ + "': the initializer of weight '" + name +
                     "' returned shape " + shape_str(initial.shape()) + ", expected " +
                     shape_str(shape) + ".");
  Variable v(initial, name, options.trainable && trainable_);
  v.set_path(name_ + "/" + name);
  track_child(name, v);
  weights_.push_back({v, options.trainable, options.regularizer, options.constraint});
  return v;
}

std::shared_ptr<Layer> Layer::track(const std::string& attribute, std::shared_ptr<Layer> layer) {
  track_child(attribute, std::static_pointer_cast<Trackable>(layer));
  return layer;
}

std::vector<std::shared_ptr<Layer>> Layer::sublayers() const {
  std::vector<std::shared_ptr<Layer>> out;
  auto add = [&](const TrackablePtr& t) {
    if (auto l = std::dynamic_pointer_cast<Layer>(t)) out.push_back(l);
  };
  for (const auto& c : tracked_children()) {
    if (auto* p = std::get_if<TrackablePtr>(&c.value)) add(*p);
    if (auto* list = std::get_if<std::vector<TrackablePtr>>(&c.value))
      for (const auto& t : *list) add(t);
  }
  return out;
}

std::vector<Variable> Layer::own_variables() const {
  std::vector<Variable> out;
  for (const auto& w : weights_)
    if (w.created_trainable) out.push_back(w.variable);
  for (const auto& w : weights_)
    if (!w.created_trainable) out.push_back(w.variable);
  return out;
}

std::vector<Variable> Layer::trainable_weights() const {
  std::vector<Variable> out;
  if (!trainable_) return out;
  for (const auto& w : weights_)
    if (w.created_trainable) out.push_back(w.variable);
  for (const auto& sub : sublayers())
    for (auto& v : sub->trainable_weights()) out.push_back(v);
  return out;
}

std::vector<Variable> Layer::non_trainable_weights() const {
  std::vector<Variable> out;
  if (!trainable_) {
    for (const auto& v : own_variables()) out.push_back(v);
    for (const auto& sub : sublayers())
      for (auto& v : sub->weights()) out.push_back(v);
    return out;
  }
  for (const auto& w : weights_)
    if (!w.created_trainable) out.push_back(w.variable);
  for (const auto& sub : sublayers())
    for (auto& v : sub->non_trainable_weights()) out.push_back(v);
  return out;
}

std::vector<Variable> Layer::weights() const {
  std::vector<Variable> out = trainable_weights();
  for (auto& v : non_trainable_weights()) out.push_back(v);
  return out;
}

std::vector<Tensor> Layer::get_weights() const {
  std::vector<Tensor> out;
  for (const auto& v : weights()) out.push_back(v.value().clone());
  return out;
}

void Layer::set_weights(const std::vector<Tensor>& values) {
  const auto vars = weights();
  if (values.size() != vars.size())
    throw ValueError("Layer '" + name_ + "' expects " + std::to_string(vars.size()) +
                     " weights, but the provided list has " + std::to_string(values.size()) +
                     " values.");
  for (size_t i = 0; i < vars.size(); ++i)
    if (values[i].shape() != vars[i].shape())
      throw ValueError("Layer '" + name_ + "' weight " + std::to_string(i) + " ('" +
                       vars[i].name() + "'): expected shape " + shape_str(vars[i].shape()) +
                       ", received " + shape_str(values[i].shape()) + ".");
  for (size_t i = 0; i < vars.size(); ++i) const_cast<Variable&>(vars[i]).assign(values[i]);
}

int64_t Layer::count_params() const {
  int64_t n = 0;
  for (const auto& v : weights()) n += v.value().size();
  return n;
}

std::vector<Tensor> Layer::losses() const {
  std::vector<Tensor> out = call_losses_;
  for (const auto& w : weights_)
    if (w.regularizer) out.push_back((*w.regularizer.get())(w.variable.value()));
  for (const auto& sub : sublayers())
    for (auto& l : sub->losses()) out.push_back(l);
  return out;
}

void Layer::apply_constraints() {
  for (auto& w : weights_)
    if (w.constraint) w.variable.assign((*w.constraint.get())(w.variable.value()));
  for (auto& sub : sublayers()) sub->apply_constraints();
}

}  // namespace keras::layers
