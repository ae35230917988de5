// keras.callbacks.ReduceLROnPlateau: multiplies the optimizer's learning rate by `factor` when a
// monitored quantity stops improving.
#pragma once

#include <string>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

// ReduceLROnPlateau's keyword arguments, with Keras's names and defaults.
struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;  // new_lr = lr * factor; must be < 1
  int patience = 10;
  int verbose = 0;
  std::string mode = "auto";  // "auto" (maximize when `monitor` contains "acc"), "min", "max"
  double min_delta = 1e-4;
  int cooldown = 0;  // epochs after a reduction during which no new reduction happens
  double min_lr = 0.0;
};

namespace internal {
class PlateauTracker;
}

class ReduceLROnPlateau : public Callback {
 public:
  explicit ReduceLROnPlateau(const ReduceLROnPlateauOptions& options = {});
  ~ReduceLROnPlateau() override;

  void on_train_begin(Logs& logs) override;
  // Adds "learning_rate" to the logs (as Keras 3) and reduces the optimizer's learning rate
  // when the monitored value has not improved for `patience` epochs.
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  std::unique_ptr<internal::PlateauTracker> tracker_;
};

}  // namespace keras::callbacks
