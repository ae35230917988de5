// The `checkpoint` state file (tensorflow.CheckpointState in protobuf text format) and
// tf.train.latest_checkpoint / tf.train.get_checkpoint_state (spec/FORMATS.md section 5.5):
//
//   model_checkpoint_path: "ckpt-3"
//   all_model_checkpoint_paths: "ckpt-2"
//   all_model_checkpoint_paths: "ckpt-3"
//   all_model_checkpoint_timestamps: 1700000010.123456
//   all_model_checkpoint_timestamps: 1700000020.654321
//   last_preserved_timestamp: 1699999999.5
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace keras::train {

// tensorflow.CheckpointState.
struct CheckpointState {
  std::string model_checkpoint_path;                    // 1
  std::vector<std::string> all_model_checkpoint_paths;  // 2, oldest first
  std::vector<double> all_model_checkpoint_timestamps;  // 3, Unix seconds
  std::optional<double> last_preserved_timestamp;       // 4

  // The text format, fields in field-number order, one per line.
  std::string to_text() const;
  // Parses the text format (any field order, comments, both quote styles, C escapes). Throws
  // FileFormatError naming `what` and the line for text that is not a CheckpointState.
  static CheckpointState parse(const std::string& text, const std::string& what);
};

// tf.train.get_checkpoint_state(dir): the parsed `dir/checkpoint` with relative paths joined onto
// dir; nullopt when the file is missing or unparseable. ValueError("Invalid checkpoint state
// loaded from DIR") when it parses but names no model_checkpoint_path.
std::optional<CheckpointState> get_checkpoint_state(const std::string& checkpoint_dir);

// tf.train.latest_checkpoint(dir): the newest checkpoint prefix named by `dir/checkpoint`, if
// PREFIX.index (V2) or PREFIX (V1) exists; nullopt otherwise (missing or unparseable file, or
// a named checkpoint whose files are gone).
std::optional<std::string> latest_checkpoint(const std::string& checkpoint_dir);

// Writes `dir/checkpoint` atomically (temporary file + rename). Paths are stored relative to
// dir (as TensorFlow's save_relative_paths); model_checkpoint_path is appended to
// all_model_checkpoint_paths when it is not the last one (TF's rule). Timestamps, when given,
// must match the paths one to one (ValueError otherwise).
void update_checkpoint_state(const std::string& checkpoint_dir, const CheckpointState& state);

}  // namespace keras::train
