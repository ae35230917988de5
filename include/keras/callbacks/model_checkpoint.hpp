// keras.callbacks.ModelCheckpoint: saves the model's weights during fit, every epoch, every N
// epochs (the old `period` argument) or every N batches, optionally only when a monitored value
// improves. The file path is a Python format template ("cp-{epoch:04d}.ckpt",
// "w-{val_loss:.2f}") filled with epoch (1-based), batch and the logs; its suffix picks the format
// as Model::save_weights does.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <variant>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct ModelCheckpointOptions {
  std::string monitor = "val_loss";
  int verbose = 0;
  bool save_best_only = false;
  bool save_weights_only = false;
  std::string mode = "auto";  // "min", "max" or "auto" (max for accuracies, else min)
  // "epoch" or a number of batches.
  std::variant<std::string, int64_t> save_freq = std::string("epoch");
  std::optional<double> initial_value_threshold{};
  int period = 1;  // tf.keras's deprecated argument: save every `period` epochs
};

class ModelCheckpoint : public Callback {
 public:
  explicit ModelCheckpoint(std::string filepath, const ModelCheckpointOptions& options = {});

  void on_train_begin(Logs& logs) override;
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_train_batch_end(int batch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

  // The path a save at this epoch (0-based) and batch (0-based, or none) would write.
  std::string file_path(int epoch, std::optional<int> batch, const Logs& logs) const;
  double best() const { return best_; }

 private:
  void save(int epoch, std::optional<int> batch, const Logs& logs);
  bool improved(double current) const;

  std::string filepath_;
  ModelCheckpointOptions o_;
  bool maximize_ = false;
  double best_;
  int current_epoch_ = 0;
  int epochs_since_last_save_ = 0;
  int64_t batches_since_last_save_ = 0;
};

}  // namespace keras::callbacks
