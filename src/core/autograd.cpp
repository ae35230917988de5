#include "keras/core/autograd.hpp"

#include <algorithm>
#include <atomic>
#include <unordered_map>
#include <unordered_set>

#include "keras/ops/elementwise.hpp"
#include "keras/ops/reduce.hpp"

namespace keras {
namespace autograd {
namespace {

thread_local int g_tape_depth = 0;
thread_local int g_no_grad_depth = 0;
std::atomic<uint64_t> g_sequence{0};

}  // namespace

bool is_recording() { return g_tape_depth > 0 && g_no_grad_depth == 0; }

bool needs_grad(std::initializer_list<const Tensor*> inputs) {
  if (!is_recording()) return false;
  for (const Tensor* t : inputs)
    if (t->grad_node()) return true;
  return false;
}

bool needs_grad(const std::vector<Tensor>& inputs) {
  if (!is_recording()) return false;
  for (const Tensor& t : inputs)
    if (t.grad_node()) return true;
  return false;
}

void record(Tensor& output, const char* op, const std::vector<Tensor>& inputs,
            BackwardFn backward) {
  auto node = std::make_shared<Node>();
  node->op = op;
  node->inputs.reserve(inputs.size());
  for (const Tensor& t : inputs) node->inputs.push_back(t.grad_node());
  node->backward = std::move(backward);
  node->sequence = ++g_sequence;
  node->shape = output.shape();
  node->dtype = output.dtype();
  output.set_grad_node(std::move(node));
}

std::shared_ptr<Node> make_leaf(const Tensor& t) {
  auto node = std::make_shared<Node>();
  node->op = "Leaf";
  node->sequence = ++g_sequence;
  node->shape = t.shape();
  node->dtype = t.dtype();
  return node;
}

Tensor reduce_to_shape(const Tensor& grad, const Shape& shape) {
  if (grad.shape() == shape) return grad;
  const int gn = grad.ndim();
  const int n = static_cast<int>(shape.size());
  if (n > gn) throw ValueError("reduce_to_shape: cannot reduce " + shape_str(grad.shape()) +
                               " to the larger rank " + shape_str(shape) + ".");
  std::vector<int> axes;
  for (int i = 0; i < gn; ++i) {
    const int j = i - (gn - n);
    if (j < 0) {
      axes.push_back(i);
    } else if (shape[j] == 1 && grad.shape()[i] != 1) {
      axes.push_back(i);
    } else if (shape[j] != grad.shape()[i]) {
      throw ValueError("reduce_to_shape: " + shape_str(grad.shape()) +
                       " does not broadcast from " + shape_str(shape) + ".");
    }
  }
  return ops::sum(grad, axes, /*keepdims=*/true).reshape(shape);
}

NoGradGuard::NoGradGuard() { ++g_no_grad_depth; }
NoGradGuard::~NoGradGuard() { --g_no_grad_depth; }

}  // namespace autograd

// ---------------------------------------------------------------- Variable

struct Variable::Impl {
  Tensor value;
  std::string name;
  std::string path;
  bool trainable = true;
  std::shared_ptr<autograd::Node> leaf;
};

Variable::Variable(const Tensor& initial_value, std::string name, bool trainable)
    : impl_(std::make_shared<Impl>()) {
  if (!initial_value.defined()) throw ValueError("Variable: the initial value is undefined.");
  impl_->value = initial_value.clone();
  impl_->name = std::move(name);
  impl_->leaf = autograd::make_leaf(impl_->value);
  set_trainable(trainable);
}

const Tensor& Variable::value() const {
  if (!impl_) throw ValueError("Use of an undefined Variable.");
  return impl_->value;
}

const std::string& Variable::name() const {
  if (!impl_) throw ValueError("Use of an undefined Variable.");
  return impl_->name;
}

void Variable::set_name(std::string name) { impl_->name = std::move(name); }

const std::string& Variable::path() const {
  if (!impl_) throw ValueError("Use of an undefined Variable.");
  return impl_->path.empty() ? impl_->name : impl_->path;
}

void Variable::set_path(std::string path) { impl_->path = std::move(path); }

bool Variable::trainable() const { return impl_ && impl_->trainable; }

void Variable::set_trainable(bool trainable) {
  impl_->trainable = trainable;
  // TensorFlow's tape watches trainable variables automatically, and only those.
  impl_->value.set_grad_node(trainable ? impl_->leaf : nullptr);
}

void Variable::assign(const Tensor& value) {
  if (value.shape() != impl_->value.shape())
    throw ValueError("Variable '" + impl_->name + "': cannot assign a value of shape " +
                     shape_str(value.shape()) + " to a variable of shape " +
                     shape_str(impl_->value.shape()) + ".");
  impl_->value.copy_from(value);
}

void Variable::assign_add(const Tensor& delta) {
  autograd::NoGradGuard guard;
  assign(ops::add(impl_->value, delta));
}

void Variable::assign_sub(const Tensor& delta) {
  autograd::NoGradGuard guard;
  assign(ops::subtract(impl_->value, delta));
}

// ---------------------------------------------------------------- GradientTape

GradientTape::GradientTape() { ++autograd::g_tape_depth; }

GradientTape::~GradientTape() { stop_recording(); }

void GradientTape::stop_recording() {
  if (recording_) {
    recording_ = false;
    --autograd::g_tape_depth;
  }
}

void GradientTape::watch(Tensor& t) {
  if (!t.grad_node()) t.set_grad_node(autograd::make_leaf(t));
  watched_.push_back(t.grad_node());
}

void GradientTape::watch(const Variable& v) {
  Tensor& value = const_cast<Tensor&>(v.value());
  if (!value.grad_node()) value.set_grad_node(autograd::make_leaf(value));
  watched_.push_back(value.grad_node());
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target, const std::vector<Tensor>& sources,
                                           const Tensor& output_gradient) const {
  using autograd::Node;
  std::vector<Tensor> result(sources.size());
  const auto& root = target.grad_node();
  if (!root) return result;
  autograd::NoGradGuard guard;

  // Every node reachable from the target; inputs are always older, so decreasing sequence order
  // is a topological order.
  std::vector<Node*> order;
  std::unordered_set<Node*> seen{root.get()};
  std::vector<Node*> stack{root.get()};
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    order.push_back(n);
    for (const auto& in : n->inputs)
      if (in && seen.insert(in.get()).second) stack.push_back(in.get());
  }
  std::sort(order.begin(), order.end(),
            [](const Node* a, const Node* b) { return a->sequence > b->sequence; });

  std::unordered_map<Node*, Tensor> grads;
  if (output_gradient.defined()) {
    if (output_gradient.shape() != target.shape())
      throw ValueError("gradient: output_gradient has shape " +
                       shape_str(output_gradient.shape()) + ", expected the target's " +
                       shape_str(target.shape()) + ".");
    grads[root.get()] = output_gradient;
  } else {
    grads[root.get()] = Tensor::ones_like(target);
  }

  std::unordered_set<const Node*> wanted;
  for (const Tensor& s : sources)
    if (s.grad_node()) wanted.insert(s.grad_node().get());

  for (Node* n : order) {
    auto it = grads.find(n);
    if (it == grads.end() || !n->backward) continue;
    Tensor g = it->second;
    if (!wanted.count(n)) grads.erase(it);  // free intermediate gradients early
    std::vector<Tensor> in_grads = n->backward(g);
    if (in_grads.size() != n->inputs.size())
      throw Error("gradient: the backward function of " + n->op + " returned " +
                  std::to_string(in_grads.size()) + " gradients for " +
                  std::to_string(n->inputs.size()) + " inputs.");
    for (size_t i = 0; i < in_grads.size(); ++i) {
      Node* in = n->inputs[i].get();
      if (!in || !in_grads[i].defined()) continue;
      if (in_grads[i].shape() != in->shape)
        throw Error("gradient: the backward function of " + n->op + " returned shape " +
                    shape_str(in_grads[i].shape()) + " for input " + std::to_string(i) +
                    " of shape " + shape_str(in->shape) + ".");
      auto [slot, inserted] = grads.try_emplace(in, in_grads[i]);
      if (!inserted) slot->second = ops::add(slot->second, in_grads[i]);
    }
  }
  for (size_t i = 0; i < sources.size(); ++i) {
    const auto& node = sources[i].grad_node();
    if (!node) continue;
    auto it = grads.find(node.get());
    if (it != grads.end()) result[i] = it->second;
  }
  return result;
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Variable>& sources,
                                           const Tensor& output_gradient) const {
  std::vector<Tensor> values;
  values.reserve(sources.size());
  for (const Variable& v : sources) values.push_back(v.value());
  return gradient(target, values, output_gradient);
}

Tensor GradientTape::gradient(const Tensor& target, const Tensor& source) const {
  return gradient(target, std::vector<Tensor>{source})[0];
}

Tensor stop_gradient(const Tensor& t) {
  Tensor out = t;
  out.set_grad_node(nullptr);
  return out;
}

}  // namespace keras
