// keras.constraints.Constraint: a projection applied to a weight after each optimizer update.
#pragma once

#include <memory>
#include <string>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/tensor.hpp"

namespace keras::constraints {

class Constraint {
 public:
  virtual ~Constraint() = default;
  // The projected weight value.
  virtual Tensor operator()(const Tensor& w) const = 0;
  virtual std::string class_name() const = 0;
  virtual void config(ConfigIO& io) { (void)io; }
};

// Resolves "max_norm", "non_neg", "unit_norm", "min_max_norm"... Defined with the built-ins.
std::shared_ptr<Constraint> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (either flavour).
std::shared_ptr<Constraint> deserialize(const json& config);

}  // namespace keras::constraints

namespace keras {
using ConstraintArg = ObjectArg<constraints::Constraint, &constraints::get, &constraints::deserialize>;
}
