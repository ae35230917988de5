// keras.callbacks.ReduceLROnPlateau (the decisions are in learning_rate_logic.cpp).
#include "keras/callbacks/reduce_lr_on_plateau.hpp"

#include "callbacks/learning_rate_logic.hpp"
#include "callbacks/optimizer_access.hpp"

namespace keras::callbacks {

ReduceLROnPlateau::ReduceLROnPlateau(const ReduceLROnPlateauOptions& options)
    : tracker_(std::make_unique<internal::PlateauTracker>(options)) {}

ReduceLROnPlateau::~ReduceLROnPlateau() = default;

void ReduceLROnPlateau::on_train_begin(Logs&) { tracker_->reset(); }

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
  optimizers::Optimizer& optimizer = internal::model_optimizer(model(), "ReduceLROnPlateau");
  const double lr = optimizer.learning_rate();
  logs.set("learning_rate", lr);
  if (auto new_lr = tracker_->on_epoch_end(epoch, logs, lr)) optimizer.set_learning_rate(*new_lr);
}

}  // namespace keras::callbacks
