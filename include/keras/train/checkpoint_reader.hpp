// tf.train.load_checkpoint / tf.train.CheckpointReader: the tensors of any TensorFlow V2
// checkpoint by key — object-based keys ("layer_with_weights-0/kernel/.ATTRIBUTES/
// VARIABLE_VALUE", "_CHECKPOINTABLE_OBJECT_GRAPH") and TF1 Saver names ("dense/kernel") alike.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "keras/core/tensor.hpp"
#include "keras/io/tensor_bundle.hpp"

namespace keras::train {

class CheckpointReader {
 public:
  // Opens PREFIX.index and its data files (keras::io::BundleReader: every CRC is checked on read).
  explicit CheckpointReader(const std::string& prefix);

  const std::string& prefix() const { return reader_->prefix(); }
  // Key -> dtype / shape of every tensor (the object graph entry included, as in TensorFlow).
  std::map<std::string, io::DataType> get_variable_to_dtype_map() const;
  std::map<std::string, Shape> get_variable_to_shape_map() const;
  bool has_tensor(const std::string& key) const { return reader_->contains(key); }
  // The tensor under `key`; ValueError("Key K not found in checkpoint P") for an unknown key.
  Tensor get_tensor(const std::string& key) const;
  const io::BundleReader& bundle() const { return *reader_; }

 private:
  std::shared_ptr<io::BundleReader> reader_;
};

// tf.train.load_checkpoint(ckpt_dir_or_file): a checkpoint prefix, or a directory whose
// `checkpoint` file names the latest one (ValueError when it names none).
CheckpointReader load_checkpoint(const std::string& ckpt_dir_or_file);

}  // namespace keras::train
