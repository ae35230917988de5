// keras.callbacks.LearningRateScheduler (the step itself is in learning_rate_logic.cpp).
#include "keras/callbacks/learning_rate_scheduler.hpp"

#include "callbacks/learning_rate_logic.hpp"
#include "callbacks/optimizer_access.hpp"

namespace keras::callbacks {

LearningRateScheduler::LearningRateScheduler(Schedule schedule, int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {
  if (!schedule_) throw ValueError("LearningRateScheduler: the schedule function is empty.");
}

void LearningRateScheduler::on_epoch_begin(int epoch, Logs&) {
  optimizers::Optimizer& optimizer = internal::model_optimizer(model(), "LearningRateScheduler");
  optimizer.set_learning_rate(
      internal::scheduled_learning_rate(schedule_, epoch, optimizer.learning_rate(), verbose_));
}

void LearningRateScheduler::on_epoch_end(int, Logs& logs) {
  logs.set("learning_rate",
           internal::model_optimizer(model(), "LearningRateScheduler").learning_rate());
}

}  // namespace keras::callbacks
