// keras.callbacks.EarlyStopping (the decisions are in early_stopping_logic.cpp).
#include "keras/callbacks/early_stopping.hpp"

#include "callbacks/early_stopping_logic.hpp"
#include "keras/models/model.hpp"

namespace keras::callbacks {

EarlyStopping::EarlyStopping(const EarlyStoppingOptions& options)
    : tracker_(std::make_unique<internal::EarlyStoppingTracker>(options)) {}
EarlyStopping::~EarlyStopping() = default;

const EarlyStoppingOptions& EarlyStopping::options() const { return tracker_->options(); }
int EarlyStopping::wait() const { return tracker_->wait(); }
int EarlyStopping::stopped_epoch() const { return tracker_->stopped_epoch(); }
double EarlyStopping::best() const { return tracker_->best(); }
int EarlyStopping::best_epoch() const { return tracker_->best_epoch(); }

void EarlyStopping::on_train_begin(Logs&) {
  tracker_->on_train_begin();
  best_weights_.reset();
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
  const auto decision = tracker_->on_epoch_end(epoch, logs);
  if (decision.snapshot_weights) best_weights_ = require_model()->get_weights();
  if (decision.stop) require_model()->stop_training = true;
}

void EarlyStopping::on_train_end(Logs&) {
  if (tracker_->on_train_end() && best_weights_) require_model()->set_weights(*best_weights_);
}

Model* EarlyStopping::require_model() const {
  if (!model()) throw ValueError("EarlyStopping: the callback is not attached to a model.");
  return model();
}

}  // namespace keras::callbacks
