// keras.regularizers.Regularizer: a penalty on a weight added to the training loss.
#pragma once

#include <memory>
#include <string>

#include "keras/core/config.hpp"
#include "keras/core/object_arg.hpp"
#include "keras/core/tensor.hpp"

namespace keras::regularizers {

class Regularizer {
 public:
  virtual ~Regularizer() = default;
  // The scalar penalty for weight w (differentiable).
  virtual Tensor operator()(const Tensor& w) const = 0;
  virtual std::string class_name() const = 0;
  virtual void config(ConfigIO& io) { (void)io; }
};

// Resolves "l1", "l2", "l1_l2", "L2"... Defined with the built-in regularizers.
std::shared_ptr<Regularizer> get(const std::string& identifier);
// Builds an object from Keras's {"class_name": ..., "config": {...}} (either flavour).
std::shared_ptr<Regularizer> deserialize(const json& config);

}  // namespace keras::regularizers

namespace keras {
using RegularizerArg = ObjectArg<regularizers::Regularizer, &regularizers::get, &regularizers::deserialize>;
}
