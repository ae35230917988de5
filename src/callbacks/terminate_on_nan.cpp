// keras.callbacks.TerminateOnNaN (keras/src/callbacks/terminate_on_nan.py).
#include "keras/callbacks/terminate_on_nan.hpp"

#include <cmath>

#include "callbacks/format.hpp"
#include "keras/models/model.hpp"

namespace keras::callbacks {

void TerminateOnNaN::on_train_batch_end(int batch, Logs& logs) {
  const auto loss = logs.get("loss");
  if (!loss || std::isfinite(*loss)) return;
  if (raise_error_)
    throw Error("NaN or Inf loss encountered at batch " + std::to_string(batch) + ". Loss value: " +
                internal::py_repr(*loss) + ". Terminating training immediately.");
  internal::print_msg("Batch " + std::to_string(batch) + ": Invalid loss, terminating training");
  if (!model()) throw ValueError("TerminateOnNaN: the callback is not attached to a model.");
  model()->stop_training = true;
}

}  // namespace keras::callbacks
