// keras.initializers.Initializer: makes a layer's initial weight values.
#pragma once

#include <memory>
#include <string>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/tensor.hpp"

namespace keras::initializers {

class Initializer {
 public:
  virtual ~Initializer() = default;
  virtual Tensor operator()(const Shape& shape, DType dtype) const = 0;
  // Keras's class name ("GlorotUniform").
  virtual std::string class_name() const = 0;
  // The config fields (seed, mean, stddev...), declared once.
  virtual void config(ConfigIO& io) { (void)io; }
};

// Resolves a Keras identifier ("glorot_uniform", "GlorotUniform", "zeros"...). Throws
// UnknownObjectError naming the identifier. Defined with the built-in initializers.
std::shared_ptr<Initializer> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (either flavour).
std::shared_ptr<Initializer> deserialize(const json& config);

}  // namespace keras::initializers

namespace keras {
using InitializerArg = ObjectArg<initializers::Initializer, &initializers::get, &initializers::deserialize>;
}
