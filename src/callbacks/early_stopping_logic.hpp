// EarlyStopping's decisions apart from the model: the callback asks this tracker at each epoch
// end whether to snapshot the weights and whether to stop. Kept in its own translation unit so
// it can be tested (and reused) without linking the layers.
#pragma once

#include <optional>

#include "keras/callbacks/early_stopping.hpp"

namespace keras::callbacks::internal {

class EarlyStoppingTracker {
 public:
  explicit EarlyStoppingTracker(const EarlyStoppingOptions& options);

  struct Decision {
    bool snapshot_weights = false;  // these weights are the best so far (restore_best_weights)
    bool stop = false;              // set model.stop_training
  };
  void on_train_begin();
  Decision on_epoch_end(int epoch, const Logs& logs);
  // Prints Keras's messages; true when the best weights should be restored.
  bool on_train_end();

  const EarlyStoppingOptions& options() const { return options_; }
  int wait() const { return wait_; }
  int stopped_epoch() const { return stopped_epoch_; }
  double best() const { return best_; }
  int best_epoch() const { return best_epoch_; }

 private:
  void set_monitor_op();
  bool is_improvement(double value, double reference) const;

  EarlyStoppingOptions options_;
  std::optional<bool> maximize_;  // decided at the first epoch end (Keras's monitor_op)
  double min_delta_ = 0.0;        // signed as Keras: negative when minimizing
  int wait_ = 0;
  int stopped_epoch_ = 0;
  double best_ = 0.0;
  int best_epoch_ = 0;
  bool has_snapshot_ = false;
};

}  // namespace keras::callbacks::internal
