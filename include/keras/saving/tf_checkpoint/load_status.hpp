// The result of restoring an object-based checkpoint: TensorFlow's CheckpointLoadStatus (and
// NameBasedSaverStatus for checkpoints without an object graph), with assert_consumed(),
// assert_existing_objects_matched(), assert_nontrivial_match() and expect_partial().
#pragma once

#include <string>
#include <vector>

#include "keras/core/errors.hpp"

namespace keras::saving::tf_checkpoint {

// A failed status assertion (Python's AssertionError, as TensorFlow raises it).
class AssertionError : public Error {
 public:
  using Error::Error;
};

class LoadStatus {
 public:
  LoadStatus() = default;
  LoadStatus(std::string path, bool name_based, std::vector<std::string> unused_keys,
             std::vector<std::string> unmatched_variables, int restored)
      : path_(std::move(path)),
        name_based_(name_based),
        unused_keys_(std::move(unused_keys)),
        unmatched_variables_(std::move(unmatched_variables)),
        restored_(restored) {}

  // Every value in the checkpoint went to a live variable and every live variable of the tree
  // got a value; AssertionError listing what is left otherwise.
  const LoadStatus& assert_consumed() const;
  // Every live variable of the tree got a value (values left in the checkpoint are fine).
  const LoadStatus& assert_existing_objects_matched() const;
  // At least one variable was restored.
  const LoadStatus& assert_nontrivial_match() const;
  // Partial restores are expected: no warnings (keras-cpp emits none), returns *this.
  const LoadStatus& expect_partial() const { return *this; }

  const std::string& path() const { return path_; }
  // True for a checkpoint without an object graph, restored by variable names.
  bool name_based() const { return name_based_; }
  // Checkpoint keys whose values no live variable took.
  const std::vector<std::string>& unused_checkpoint_keys() const { return unused_keys_; }
  // Live variables (object path and variable path) that received no value.
  const std::vector<std::string>& unmatched_variables() const { return unmatched_variables_; }
  int restored_count() const { return restored_; }

 private:
  std::string path_;
  bool name_based_ = false;
  std::vector<std::string> unused_keys_;
  std::vector<std::string> unmatched_variables_;
  int restored_ = 0;
};

}  // namespace keras::saving::tf_checkpoint
