#include "keras/callbacks/backup_and_restore.hpp"

#include <filesystem>
#include <fstream>

#include "keras/io/atomic_file.hpp"
#include "keras/models/model.hpp"
#include "keras/train/train.hpp"

namespace keras::callbacks {
namespace fs = std::filesystem;

namespace {
// Keras 3 keeps the epoch in training_metadata.json beside the weights.
constexpr const char* kMetadata = "training_metadata.json";
constexpr const char* kPrefix = "latest.weights";
}  // namespace

BackupAndRestore::BackupAndRestore(std::string backup_dir, const BackupAndRestoreOptions& options)
    : backup_dir_(std::move(backup_dir)), o_(options) {
  if (backup_dir_.empty()) throw ValueError("BackupAndRestore: empty `backup_dir` argument.");
}

void BackupAndRestore::on_train_begin(Logs&) {
  completed_ = false;
  epochs_ = params().value("epochs", 0);
  const fs::path meta = fs::path(backup_dir_) / kMetadata;
  if (!model() || !fs::exists(meta)) return;
  json j;
  try {
    j = json::parse(std::ifstream(meta));
  } catch (const nlohmann::json::exception& e) {
    throw FileFormatError(meta.string() + ": unreadable backup metadata (" + e.what() + ").");
  }
  if (!j.contains("epoch") || !j["epoch"].is_number_integer())
    throw FileFormatError(meta.string() + ": backup metadata without an integer 'epoch'.");
  // The optimizer's slots must exist before its state can be restored into them.
  if (model()->optimizer()) model()->optimizer()->build(model()->trainable_weights());
  model()->load_weights((fs::path(backup_dir_) / kPrefix).string()).assert_existing_objects_matched();
  model()->resume_epoch = j["epoch"].get<int>() + 1;
}

void BackupAndRestore::on_epoch_end(int epoch, Logs&) {
  if (!model()) return;
  fs::create_directories(backup_dir_);
  // Weights first, then the metadata that makes them the restore point.
  model()->save_weights((fs::path(backup_dir_) / kPrefix).string());
  io::write_file_atomic((fs::path(backup_dir_) / kMetadata).string(),
                        json{{"epoch", epoch}, {"batch", -1}}.dump());
  if (epoch + 1 >= epochs_) completed_ = true;
}

void BackupAndRestore::on_train_end(Logs&) {
  if (completed_ && o_.delete_checkpoint) fs::remove_all(backup_dir_);
}

}  // namespace keras::callbacks
