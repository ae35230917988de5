// keras.callbacks.LearningRateScheduler: sets the optimizer's learning rate at each epoch's
// start from schedule(epoch, current_learning_rate).
#pragma once

#include <functional>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class LearningRateScheduler : public Callback {
 public:
  using Schedule = std::function<double(int epoch, double learning_rate)>;
  explicit LearningRateScheduler(Schedule schedule, int verbose = 0);

  void on_epoch_begin(int epoch, Logs& logs) override;
  // Adds the current "learning_rate" to the logs (as Keras 3).
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  Schedule schedule_;
  int verbose_;
};

}  // namespace keras::callbacks
