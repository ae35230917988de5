// keras.callbacks.BackupAndRestore: backs up the model (weights and optimizer state, as a TF
// checkpoint) and the epoch reached into backup_dir at the end of every epoch, so that a fit()
// interrupted by a crash resumes from the last completed epoch when run again with the same
// callback. The backup is deleted when training completes (unless delete_checkpoint is false).
#pragma once

#include <string>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct BackupAndRestoreOptions {
  bool delete_checkpoint = true;
};

class BackupAndRestore : public Callback {
 public:
  explicit BackupAndRestore(std::string backup_dir, const BackupAndRestoreOptions& options = {});

  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

 private:
  std::string backup_dir_;
  BackupAndRestoreOptions o_;
  bool completed_ = false;
  int epochs_ = 0;
};

}  // namespace keras::callbacks
