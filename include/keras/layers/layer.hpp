// keras.layers.Layer: the base of every layer and model, and keras::Layer, a shared handle to one.
//
// A layer declares its configuration once (config()) and its variables once (add_weight() in
// build()); every file format is derived from that declaration by saving/, never here. Layers are
// heap objects shared by handles: keras::Layer (or std::shared_ptr). A layer object created on the
// stack may be called eagerly on Tensors; calling it on symbolic KerasTensors (the functional API)
// moves a copy to the heap (layers are cheap to copy before they are built; variables and
// sublayers are handles and stay shared).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/constraints/constraint.hpp"
#include "keras/core/config.hpp"
#include "keras/core/trackable.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/regularizers/regularizer.hpp"

namespace keras {

namespace layers {
class Layer;
}
class Layer;
class KerasTensor;

namespace detail {
// Where a symbolic tensor came from: output `tensor_index` of call number `node_index` of `layer`
// (Keras's keras_history).
struct KerasHistory {
  std::shared_ptr<layers::Layer> layer{};
  int node_index = 0;
  int tensor_index = 0;
};
}  // namespace detail

// A symbolic tensor of the functional API (Keras's KerasTensor): a shape with -1 for unknown
// dimensions (None), a dtype, and the layer call that produced it.
class KerasTensor {
 public:
  KerasTensor() = default;
  KerasTensor(Shape shape, DType dtype, std::string name = "")
      : shape_(std::move(shape)), dtype_(dtype), name_(std::move(name)) {}

  const Shape& shape() const { return shape_; }
  DType dtype() const { return dtype_; }
  const std::string& name() const { return name_; }
  int ndim() const { return static_cast<int>(shape_.size()); }
  const detail::KerasHistory& history() const { return history_; }
  void set_history(detail::KerasHistory h) { history_ = std::move(h); }
  bool defined() const { return history_.layer != nullptr; }

 private:
  Shape shape_;
  DType dtype_ = DType::float32;
  std::string name_;
  detail::KerasHistory history_;
};

namespace layers {

// Options every layer takes (Keras's base Layer kwargs).
struct LayerOptions {
  std::string name;  // empty: a unique name from the class name ("dense", "dense_1"...)
  bool trainable = true;
  std::string dtype = "float32";
};

// One call of a layer on symbolic inputs (Keras's Node): the edges of the functional graph.
struct Node {
  std::vector<KerasTensor> inputs{};
  std::vector<KerasTensor> outputs{};
  json call_kwargs = json::object();  // e.g. {"training": true}, kept for configs
};

class Layer : public Trackable, public std::enable_shared_from_this<Layer> {
 public:
  ~Layer() override;

  std::string class_name() const override { return class_name_; }
  const std::string& name() const { return name_; }
  void set_name(const std::string& name) { name_ = name; }
  bool trainable() const { return trainable_; }
  // Freezes or unfreezes this layer and every sublayer (Keras's layer.trainable = ...).
  virtual void set_trainable(bool trainable);
  // The dtype of the layer's variables and computations.
  DType dtype() const { return dtype_; }
  bool built() const { return built_; }

  // ---- calling ----
  // Eager call: builds the layer on first use from the input shapes, then runs call().
  Tensor operator()(const Tensor& x, bool training = false);
  std::vector<Tensor> operator()(const std::vector<Tensor>& inputs, bool training = false);
  // Symbolic call (functional API): records a Node and returns symbolic outputs.
  KerasTensor operator()(const KerasTensor& x);
  std::vector<KerasTensor> operator()(const std::vector<KerasTensor>& inputs);

  // ---- what a layer implements ----
  // Creates the weights for the given input shapes (batch dimension included, -1 if unknown).
  // The default calls build(shape) for a single input and otherwise does nothing.
  virtual void build(const std::vector<Shape>& input_shapes);
  virtual void build(const Shape& input_shape);
  // The computation. Single-input layers override the first; multi-input/output layers the second
  // (its default calls the first on a single input).
  virtual Tensor call(const Tensor& x, bool training);
  virtual std::vector<Tensor> call(const std::vector<Tensor>& inputs, bool training);
  // Output shapes for input shapes (-1 = unknown). The default builds the layer and runs call()
  // on zeros with unknown dimensions set to 1: correct for every layer whose output shape does not
  // depend on the values; override when that is too slow or wrong.
  virtual std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes);
  Shape compute_output_shape(const Shape& input_shape);
  // The config fields in Keras's names and order (base: name, trainable, dtype).
  virtual void config(ConfigIO& io);
  // Keras's get_config(): the fields written by config().
  json get_config();
  // Applies a config dict (from_config's second half: the object exists with defaults).
  void apply_config(const json& config);

  // ---- weights ----
  // All variables of this layer and its sublayers: trainable ones first (Keras's order).
  std::vector<Variable> weights() const;
  std::vector<Variable> trainable_weights() const;
  std::vector<Variable> non_trainable_weights() const;
  // This layer's own variables: created-trainable then created-non-trainable, creation order.
  std::vector<Variable> own_variables() const override;
  // The values of weights() (numpy arrays in Keras) / assigns them in the same order.
  std::vector<Tensor> get_weights() const;
  void set_weights(const std::vector<Tensor>& values);
  int64_t count_params() const;
  // Direct sublayers in tracking order.
  std::vector<std::shared_ptr<Layer>> sublayers() const;
  // Penalties of every regularized weight of this layer and its sublayers, plus add_loss() terms.
  std::vector<Tensor> losses() const;
  // Applies each weight's constraint (called after an optimizer step).
  void apply_constraints();

  // ---- functional graph ----
  const std::vector<Node>& inbound_nodes() const { return inbound_nodes_; }
  // Drops the most recent call record (a Sequential that pops a layer or rebuilds its graph).
  void pop_inbound_node() {
    if (!inbound_nodes_.empty()) inbound_nodes_.pop_back();
  }
  // The symbolic output / input of the layer's only call (model.layers[-2].output).
  const KerasTensor& output() const;
  const KerasTensor& input() const;

  // A heap copy of this object for symbolic calls on stack objects (KERAS_LAYER_CLONE).
  virtual std::shared_ptr<Layer> clone_shared() const;

 protected:
  // `class_name` is Keras's class name; it also seeds the unique default name.
  Layer(const LayerOptions& options, std::string class_name);
  Layer(const Layer&) = default;

  struct WeightOptions {
    InitializerArg initializer = "glorot_uniform";
    bool trainable = true;
    std::optional<DType> dtype{};  // default: the layer's dtype
    RegularizerArg regularizer{};
    ConstraintArg constraint{};
  };
  // Creates a variable of this layer, tracked under `name` (Keras's add_weight).
  Variable add_weight(const std::string& name, const Shape& shape, const WeightOptions& options);
  // Tracks a sublayer under an attribute name and returns a handle to it.
  template <typename T>
    requires std::derived_from<T, Layer>
  std::shared_ptr<T> track(const std::string& attribute, T layer) {
    auto p = std::make_shared<T>(std::move(layer));
    track_child(attribute, std::static_pointer_cast<Trackable>(p));
    return p;
  }
  std::shared_ptr<Layer> track(const std::string& attribute, std::shared_ptr<Layer> layer);
  // A loss term computed in call() (Keras's add_loss); cleared at the start of each call.
  void add_loss(const Tensor& loss) { call_losses_.push_back(loss); }
  void set_built(bool built) { built_ = built; }
  void set_dtype(DType dtype) { dtype_ = dtype; }

 private:
  void maybe_build(const std::vector<Shape>& shapes);

  std::string class_name_;
  std::string name_;
  bool trainable_ = true;
  DType dtype_ = DType::float32;
  bool built_ = false;
  struct WeightRecord {
    Variable variable{};
    bool created_trainable{};
    RegularizerArg regularizer{};
    ConstraintArg constraint{};
  };
  std::vector<WeightRecord> weights_;
  std::vector<Node> inbound_nodes_;
  std::vector<Tensor> call_losses_;
  std::shared_ptr<Layer> heap_twin_;  // the heap copy made by the first symbolic call
};

// Keras's auto naming: "dense", "dense_1", ... per prefix, process-wide.
std::string unique_object_name(const std::string& prefix);
// Keras's to_snake_case: "Conv2D" -> "conv2d", "BatchNormalization" -> "batch_normalization".
std::string to_snake_case(const std::string& class_name);

}  // namespace layers

// A shared handle to a layer (what Python variables holding layers are).
class Layer {
 public:
  Layer() = default;
  template <typename T>
    requires std::derived_from<std::decay_t<T>, layers::Layer>
  Layer(T&& layer)  // NOLINT: layers convert to handles as Python objects bind to names
      : ptr_(std::make_shared<std::decay_t<T>>(std::forward<T>(layer))) {}
  template <typename T>
    requires std::derived_from<T, layers::Layer>
  Layer(std::shared_ptr<T> ptr) : ptr_(std::move(ptr)) {}  // NOLINT
  // The layer that produced a symbolic tensor (so Input(...) can open a Sequential's list).
  Layer(const KerasTensor& t) : ptr_(t.history().layer) {}  // NOLINT

  bool defined() const { return ptr_ != nullptr; }
  layers::Layer* operator->() const { return ptr_.get(); }
  layers::Layer& operator*() const { return *ptr_; }
  const std::shared_ptr<layers::Layer>& ptr() const { return ptr_; }
  // Downcast; TypeError naming both classes when the layer is not a T.
  template <typename T>
  T& as() const {
    auto* p = dynamic_cast<T*>(ptr_.get());
    if (!p) throw TypeError("Layer '" + ptr_->name() + "' of class " + ptr_->class_name() +
                            " is not of the requested type.");
    return *p;
  }

  Tensor operator()(const Tensor& x, bool training = false) const { return (*ptr_)(x, training); }
  std::vector<Tensor> operator()(const std::vector<Tensor>& xs, bool training = false) const {
    return (*ptr_)(xs, training);
  }
  KerasTensor operator()(const KerasTensor& x) const { return (*ptr_)(x); }
  std::vector<KerasTensor> operator()(const std::vector<KerasTensor>& xs) const {
    return (*ptr_)(xs);
  }

 private:
  std::shared_ptr<layers::Layer> ptr_;
};

}  // namespace keras

// Inside a layer class: lets symbolic calls on a stack object make its heap copy.
#define KERAS_LAYER_CLONE(Class)                                    \
  std::shared_ptr<::keras::layers::Layer> clone_shared() const override { \
    return std::make_shared<Class>(*this);                          \
  }
