// tf.train.Checkpoint and tf.train.CheckpointManager: object-based TensorFlow checkpoints of
// layers, models, optimizers and variables (spec/FORMATS.md section 5).
//
//   train::Checkpoint ckpt({{"model", model}, {"optimizer", optimizer}});
//   std::string path = ckpt.save("training/ckpt");           // "training/ckpt-1"
//   ckpt.restore(*train::latest_checkpoint("training")).assert_consumed();
//
//   train::CheckpointManager manager(ckpt, "training", /*max_to_keep=*/3);
//   manager.save();                                            // "training/ckpt-2", old ones swept
#pragma once

#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/core/trackable.hpp"
#include "keras/layers/layer.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/saving/tf_checkpoint/load_status.hpp"
#include "keras/saving/tf_checkpoint/object_tree.hpp"
#include "keras/train/checkpoint_reader.hpp"
#include "keras/train/checkpoint_state.hpp"

namespace keras::train {

using saving::tf_checkpoint::AssertionError;
using saving::tf_checkpoint::LoadStatus;

// One keyword argument of Checkpoint: an object (layer, model, optimizer, any Trackable) or a
// variable. Optimizers are recognised by their static type (their state is laid out in TF
// >= 2.11's `_variables`/`_iterations`/`_learning_rate` scheme).
class CheckpointValue {
 public:
  template <typename T>
  requires std::derived_from<T, Trackable> CheckpointValue(
      std::shared_ptr<T> object)  // NOLINT: keyword values convert implicitly
      : value_(std::static_pointer_cast<Trackable>(object)) {
    if constexpr (std::derived_from<T, optimizers::Optimizer>)
      optimizer_ = std::static_pointer_cast<optimizers::Optimizer>(object);
  }
  // An object held elsewhere (a model on the stack): not owned, it must outlive the Checkpoint
  // (TensorFlow holds such objects by weak reference too).
  template <typename T>
  requires std::derived_from<T, Trackable> CheckpointValue(T& object)  // NOLINT
      : value_(TrackablePtr(TrackablePtr(), static_cast<Trackable*>(&object))) {
    if constexpr (std::derived_from<T, optimizers::Optimizer>)
      optimizer_ =
          std::shared_ptr<optimizers::Optimizer>(std::shared_ptr<optimizers::Optimizer>(), &object);
  }
  CheckpointValue(const keras::Layer& layer)  // NOLINT
      : value_(std::static_pointer_cast<Trackable>(layer.ptr())) {}
  CheckpointValue(const Variable& variable) : value_(variable) {}  // NOLINT

 private:
  friend class Checkpoint;
  TrackedValue value_;
  std::shared_ptr<optimizers::Optimizer> optimizer_;
};

class Checkpoint : public Trackable {
 public:
  // Children in sorted keyword order (then `save_counter` once created). ValueError for an empty
  // or repeated name, the reserved name "save_counter", or an undefined object/variable.
  explicit Checkpoint(std::vector<std::pair<std::string, CheckpointValue>> objects);
  std::string class_name() const override { return "Checkpoint"; }

  // The number of save() calls (an int64 scalar variable, created by the first save() or by a
  // restore() of a checkpoint that has one).
  const Variable& save_counter();
  // Bumps save_counter and writes "{file_prefix}-{save_counter}"; updates the directory's
  // `checkpoint` file (that one path, relative). Returns the prefix written.
  std::string save(const std::string& file_prefix);
  // Writes exactly `file_prefix` (no counter, no `checkpoint` file). Returns it.
  std::string write(const std::string& file_prefix) const;
  // Restores from a prefix (a directory: its latest checkpoint; a SavedModel directory: its
  // variables/variables bundle). Creates save_counter first when the checkpoint has one.
  LoadStatus restore(const std::string& save_path);
  // As restore() without creating save_counter (TF's read(), the pair of write()).
  LoadStatus read(const std::string& save_path) const;

  // The object tree the saver walks (this object as the root).
  saving::tf_checkpoint::ObjectTree object_tree() const;

 private:
  std::vector<std::shared_ptr<optimizers::Optimizer>> optimizers_;
  Variable save_counter_;
};

// tf.train.CheckpointManager: numbered saves of one Checkpoint in a directory, keeping the newest
// `max_to_keep` (nullopt: all) plus, with keep_checkpoint_every_n_hours, one per that many hours;
// the `checkpoint` file lists the kept ones with timestamps. State left by an earlier manager in
// the same directory is picked up. The Checkpoint must outlive the manager.
class CheckpointManager {
 public:
  CheckpointManager(Checkpoint& checkpoint, std::string directory, std::optional<int> max_to_keep,
                    std::optional<double> keep_checkpoint_every_n_hours = std::nullopt,
                    std::string checkpoint_name = "ckpt");

  // Saves "{directory}/{checkpoint_name}-{n}", n = checkpoint_number or the bumped save_counter;
  // records it in the state file, deletes the oldest beyond max_to_keep (.index and .data-*)
  // and rewrites the state file. Returns the prefix written.
  std::string save(std::optional<int64_t> checkpoint_number = std::nullopt);
  // The kept checkpoints, oldest first.
  std::vector<std::string> checkpoints() const;
  std::optional<std::string> latest_checkpoint() const { return latest_; }
  const std::string& directory() const { return directory_; }
  // Restores the latest checkpoint (nullopt when there is none yet), as restore_or_initialize.
  std::optional<LoadStatus> restore_or_initialize();

 private:
  void record_state() const;
  void sweep();

  Checkpoint* checkpoint_;
  std::string directory_;
  std::optional<int> max_to_keep_;
  std::optional<double> keep_every_n_hours_;
  std::string prefix_;
  std::vector<std::pair<std::string, double>> maybe_delete_;  // (path, timestamp), oldest first
  double last_preserved_timestamp_ = 0.0;
  std::optional<std::string> latest_;
};

}  // namespace keras::train
