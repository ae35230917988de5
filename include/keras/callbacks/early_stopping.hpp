// keras.callbacks.EarlyStopping: stops fit() when a monitored quantity stops improving.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/callbacks/callback.hpp"
#include "keras/core/tensor.hpp"

namespace keras::callbacks {

// EarlyStopping's keyword arguments, with Keras's names and defaults.
struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;  // an improvement must exceed |min_delta|
  int patience = 0;        // epochs without improvement before stopping
  int verbose = 0;
  // "auto" (from the metric's name: losses, errors, crossentropies are minimized; accuracies,
  // AUC, precision, recall... maximized), "min" or "max".
  std::string mode = "auto";
  std::optional<double> baseline =
      std::nullopt;  // the value to beat for the wait counter to restart
  bool restore_best_weights = false;
  int start_from_epoch = 0;  // warm-up epochs not monitored
};

namespace internal {
class EarlyStoppingTracker;
}

class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(const EarlyStoppingOptions& options = {});
  ~EarlyStopping() override;

  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

  const EarlyStoppingOptions& options() const;
  // Keras's attributes: epochs since the last improvement, the epoch that stopped training
  // (0: none), the best value and the epoch it was reached.
  int wait() const;
  int stopped_epoch() const;
  double best() const;
  int best_epoch() const;

 private:
  Model* require_model() const;

  std::unique_ptr<internal::EarlyStoppingTracker> tracker_;
  std::optional<std::vector<Tensor>> best_weights_;
};

}  // namespace keras::callbacks
