// keras.callbacks.TerminateOnNaN: stops fit() at the first training batch whose loss is NaN or
// infinite.
#pragma once

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class TerminateOnNaN : public Callback {
 public:
  // raise_error: throw keras::Error instead of setting model->stop_training (Keras 3.x).
  explicit TerminateOnNaN(bool raise_error = false) : raise_error_(raise_error) {}
  void on_train_batch_end(int batch, Logs& logs) override;

 private:
  bool raise_error_;
};

}  // namespace keras::callbacks
