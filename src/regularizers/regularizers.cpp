#include "keras/regularizers/regularizers.hpp"

#include "keras/core/registry.hpp"
#include "keras/ops.hpp"

namespace keras::regularizers {

Tensor L1L2::operator()(const Tensor& w) const {
  Tensor penalty = Tensor::scalar(0.0, w.dtype());
  if (l1_ != 0) penalty = penalty + ops::sum(ops::abs(w)) * l1_;
  if (l2_ != 0) penalty = penalty + ops::sum(ops::square(w)) * l2_;
  return penalty;
}

namespace {

const Registry<Regularizer>& registry() {
  static const Registry<Regularizer> r = [] {
    Registry<Regularizer> reg;
    for (const char* n : {"L1", "l1"}) reg.add(n, [] { return std::make_shared<L1>(); });
    for (const char* n : {"L2", "l2"}) reg.add(n, [] { return std::make_shared<L2>(); });
    for (const char* n : {"L1L2", "l1_l2"}) reg.add(n, [] { return std::make_shared<L1L2>(); });
    return reg;
  }();
  return r;
}

}  // namespace

std::shared_ptr<Regularizer> get(const std::string& identifier) {
  auto obj = registry().create(identifier);
  if (!obj)
    throw UnknownObjectError("Could not interpret regularizer identifier: '" + identifier + "'.");
  return obj;
}

std::shared_ptr<Regularizer> deserialize(const json& config) {
  return registry().deserialize(config, "regularizer");
}

}  // namespace keras::regularizers
