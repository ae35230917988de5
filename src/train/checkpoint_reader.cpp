// tf.train.load_checkpoint / CheckpointReader over keras::io::BundleReader.
#include "keras/train/checkpoint_reader.hpp"

#include <filesystem>

#include "keras/core/errors.hpp"
#include "keras/train/checkpoint_state.hpp"

namespace keras::train {

CheckpointReader::CheckpointReader(const std::string& prefix) {
  std::error_code ec;
  if (!std::filesystem::exists(prefix + ".index", ec))
    throw IOError("Unable to open checkpoint '" + prefix + "': no such file '" + prefix +
                  ".index'.");
  reader_ = std::make_shared<io::BundleReader>(prefix);
}

std::map<std::string, io::DataType> CheckpointReader::get_variable_to_dtype_map() const {
  std::map<std::string, io::DataType> out;
  for (const auto& [key, e] : reader_->entries()) out.emplace(key, e.dtype);
  return out;
}

std::map<std::string, Shape> CheckpointReader::get_variable_to_shape_map() const {
  std::map<std::string, Shape> out;
  for (const auto& [key, e] : reader_->entries()) out.emplace(key, e.shape);
  return out;
}

Tensor CheckpointReader::get_tensor(const std::string& key) const {
  if (!reader_->contains(key))
    throw ValueError("Key " + key + " not found in checkpoint " + reader_->prefix());
  return reader_->read(key);
}

CheckpointReader load_checkpoint(const std::string& ckpt_dir_or_file) {
  std::error_code ec;
  if (std::filesystem::is_directory(ckpt_dir_or_file, ec)) {
    auto latest = latest_checkpoint(ckpt_dir_or_file);
    if (!latest)
      throw ValueError("Couldn't find 'checkpoint' file or checkpoints in given directory " +
                       ckpt_dir_or_file);
    return CheckpointReader(*latest);
  }
  return CheckpointReader(ckpt_dir_or_file);
}

}  // namespace keras::train
