// The optimizer of the model a callback is attached to, with a clear error when there is none.
#pragma once

#include <string>

#include "keras/models/model.hpp"

namespace keras::callbacks::internal {

inline optimizers::Optimizer& model_optimizer(Model* model, const std::string& callback) {
  if (!model) throw ValueError(callback + ": the callback is not attached to a model (set_model).");
  if (!model->optimizer())
    throw ValueError(callback + ": model '" + model->name() +
                     "' has no optimizer; call compile() first.");
  return *model->optimizer();
}

}  // namespace keras::callbacks::internal
