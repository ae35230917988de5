// The decisions of ReduceLROnPlateau and LearningRateScheduler, apart from the optimizer they
// act on: the callbacks read the learning rate, ask these, and set what they return. Kept in
// their own translation unit so they can be tested (and reused) without linking an optimizer.
#pragma once

#include <optional>

#include "keras/callbacks/learning_rate_scheduler.hpp"
#include "keras/callbacks/reduce_lr_on_plateau.hpp"

namespace keras::callbacks::internal {

// ReduceLROnPlateau's state (Keras's best / wait / cooldown_counter).
class PlateauTracker {
 public:
  explicit PlateauTracker(const ReduceLROnPlateauOptions& options);
  void reset();
  // One epoch end, `learning_rate` being the optimizer's current rate: the rate to set, or
  // nullopt to keep it. Prints Keras's message when verbose; warns when the monitored value is
  // missing from `logs`.
  std::optional<double> on_epoch_end(int epoch, const Logs& logs, double learning_rate);

  double best() const { return best_; }
  int wait() const { return wait_; }
  int cooldown_counter() const { return cooldown_counter_; }

 private:
  bool improved(double current) const;

  ReduceLROnPlateauOptions options_;
  bool maximize_ = false;
  double best_ = 0.0;
  int wait_ = 0;
  int cooldown_counter_ = 0;
};

// LearningRateScheduler's step: schedule(epoch, learning_rate), with Keras's message when
// verbose.
double scheduled_learning_rate(const LearningRateScheduler::Schedule& schedule, int epoch,
                               double learning_rate, int verbose);

}  // namespace keras::callbacks::internal
