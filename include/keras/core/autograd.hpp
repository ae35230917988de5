// Reverse-mode automatic differentiation: tf.GradientTape, tf.Variable and tf.stop_gradient.
//
// While at least one GradientTape is recording, every op whose inputs carry a grad_node() records a
// Node holding its backward function; tape.gradient() walks those nodes from the target back to the
// sources. Trainable variables carry a leaf node permanently, so they are watched automatically as
// in TensorFlow; tape.watch() gives any other tensor one. With no tape recording, ops build no graph
// and inference pays nothing for autodiff.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras {

namespace autograd {

// Gradients of one op's inputs given the gradient of its output. Entries may be undefined
// Tensors for inputs that take no gradient.
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& grad_output)>;

struct Node {
  std::string op;                            // TF op name, for error messages ("MatMul")
  std::vector<std::shared_ptr<Node>> inputs;  // null where an input needs no gradient
  BackwardFn backward;                        // empty for leaves
  uint64_t sequence = 0;                      // creation order: inputs always precede outputs
  Shape shape;                                // of the output
  DType dtype = DType::float32;
};

// True while a GradientTape records and no NoGradGuard is active.
bool is_recording();

// True when recording and any of the tensors carries a grad node: an op must then call record().
bool needs_grad(std::initializer_list<const Tensor*> inputs);
bool needs_grad(const std::vector<Tensor>& inputs);

// Attaches to `output` a node with the given inputs and backward function.
// REQUIRES: needs_grad(inputs).
void record(Tensor& output, const char* op, const std::vector<Tensor>& inputs, BackwardFn backward);

// A new leaf node (what tape.watch and trainable variables hold).
std::shared_ptr<Node> make_leaf(const Tensor& t);

// Sums a broadcast gradient back to `shape` (numpy broadcasting rules in reverse).
Tensor reduce_to_shape(const Tensor& grad, const Shape& shape);

// Suspends recording in its scope (backward functions run under one).
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;
};

}  // namespace autograd

// tf.Variable: a named, mutable tensor. Copies of a Variable are handles to the same variable.
class Variable {
 public:
  Variable() = default;
  explicit Variable(const Tensor& initial_value, std::string name = "", bool trainable = true);

  bool defined() const { return impl_ != nullptr; }
  // The current value; a view of the variable's storage (assign() changes what it shows).
  const Tensor& value() const;
  operator const Tensor&() const { return value(); }  // NOLINT: variables are used as tensors
  const Shape& shape() const { return value().shape(); }
  DType dtype() const { return value().dtype(); }
  // The local name ("kernel") and the owner-qualified path ("dense/kernel", Keras 3's
  // variable.path); the path defaults to the name.
  const std::string& name() const;
  void set_name(std::string name);
  const std::string& path() const;
  void set_path(std::string path);
  bool trainable() const;
  void set_trainable(bool trainable);

  // Replace the value in place; the shape must match (ValueError naming both shapes).
  void assign(const Tensor& value);
  void assign_add(const Tensor& delta);
  void assign_sub(const Tensor& delta);

  // Identity: two handles of the same variable compare equal.
  bool operator==(const Variable& other) const { return impl_ == other.impl_; }
  const void* id() const { return impl_.get(); }

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// tf.GradientTape. Recording lasts from construction to destruction (or stop_recording());
// gradient() may be called after the scope as in TensorFlow, as many times as wanted.
class GradientTape {
 public:
  GradientTape();
  ~GradientTape();
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  // Starts tracking a tensor that is not a trainable variable (gives it a leaf node).
  void watch(Tensor& t);
  void watch(const Variable& v);
  void stop_recording();

  // d(sum of target * output_gradient)/d(source) for each source; undefined Tensors for sources
  // the target does not depend on (TensorFlow returns None). output_gradient defaults to ones.
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Tensor>& sources,
                               const Tensor& output_gradient = Tensor()) const;
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Variable>& sources,
                               const Tensor& output_gradient = Tensor()) const;
  Tensor gradient(const Tensor& target, const Tensor& source) const;

 private:
  bool recording_ = true;
  std::vector<std::shared_ptr<autograd::Node>> watched_;  // keeps watched leaves alive
};

// tf.stop_gradient: the same values, no gradient history.
Tensor stop_gradient(const Tensor& t);

}  // namespace keras
