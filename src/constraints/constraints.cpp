#include "keras/constraints/constraints.hpp"

#include "keras/core/registry.hpp"
#include "keras/ops.hpp"

namespace keras::constraints {
namespace {

constexpr double kEpsilon = 1e-7;  // Keras's backend.epsilon()

Tensor norms(const Tensor& w, const std::vector<int>& axis) {
  return ops::sqrt(ops::sum(ops::square(w), axis, /*keepdims=*/true));
}

// Keras writes `axis` as an int for one axis and a list for several.
void io_axis(ConfigIO& io, std::vector<int>& axis) {
  if (io.writing()) {
    if (axis.size() == 1) {
      (*io.output())["axis"] = axis[0];
    } else {
      (*io.output())["axis"] = axis;
    }
    return;
  }
  const json* in = io.input();
  if (!in->contains("axis")) return;
  io.consume("axis");
  const json& a = (*in)["axis"];
  axis = a.is_array() ? a.get<std::vector<int>>() : std::vector<int>{a.get<int>()};
}

}  // namespace

Tensor MaxNorm::operator()(const Tensor& w) const {
  Tensor n = norms(w, axis_);
  Tensor desired = ops::clip(n, 0.0, max_value_);
  return w * (desired / (n + kEpsilon));
}

void MaxNorm::config(ConfigIO& io) {
  io("max_value", max_value_);
  io_axis(io, axis_);
}

Tensor NonNeg::operator()(const Tensor& w) const {
  return w * ops::cast(ops::greater_equal(w, Tensor::scalar(0.0, w.dtype())), w.dtype());
}

Tensor UnitNorm::operator()(const Tensor& w) const { return w / (norms(w, axis_) + kEpsilon); }

void UnitNorm::config(ConfigIO& io) { io_axis(io, axis_); }

Tensor MinMaxNorm::operator()(const Tensor& w) const {
  Tensor n = norms(w, axis_);
  Tensor desired = ops::clip(n, min_value_, max_value_) * rate_ + n * (1.0 - rate_);
  return w * (desired / (n + kEpsilon));
}

void MinMaxNorm::config(ConfigIO& io) {
  io("min_value", min_value_);
  io("max_value", max_value_);
  io("rate", rate_);
  io_axis(io, axis_);
}

namespace {

const Registry<Constraint>& registry() {
  static const Registry<Constraint> r = [] {
    Registry<Constraint> reg;
    for (const char* n : {"MaxNorm", "max_norm"})
      reg.add(n, [] { return std::make_shared<MaxNorm>(); });
    for (const char* n : {"NonNeg", "non_neg"})
      reg.add(n, [] { return std::make_shared<NonNeg>(); });
    for (const char* n : {"UnitNorm", "unit_norm"})
      reg.add(n, [] { return std::make_shared<UnitNorm>(); });
    for (const char* n : {"MinMaxNorm", "min_max_norm"})
      reg.add(n, [] { return std::make_shared<MinMaxNorm>(); });
    return reg;
  }();
  return r;
}

}  // namespace

std::shared_ptr<Constraint> get(const std::string& identifier) {
  auto obj = registry().create(identifier);
  if (!obj)
    throw UnknownObjectError("Could not interpret constraint identifier: '" + identifier + "'.");
  return obj;
}

std::shared_ptr<Constraint> deserialize(const json& config) {
  return registry().deserialize(config, "constraint");
}

}  // namespace keras::constraints
