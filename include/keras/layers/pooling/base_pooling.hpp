// keras.src.layers.pooling.base_pooling.BasePooling: the shared part of MaxPooling1D/2D and
// AveragePooling1D/2D.
#pragma once

#include "keras/layers/convolutional/conv_utils.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

// Keyword arguments after pool_size, Keras 3's defaults.
struct PoolingOptions {
  IntTuple strides;               // empty (Keras's None): pool_size
  std::string padding = "valid";  // "valid" or "same" (case-insensitive, kept as given)
  std::string data_format = "";   // Keras's None: "channels_last"
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class BasePooling : public Layer {
 public:
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  using Layer::compute_output_shape;
  void config(ConfigIO& io) override;

  const std::vector<int64_t>& pool_size() const { return pool_size_; }
  const std::vector<int64_t>& strides() const { return strides_; }
  const std::string& padding() const { return o_.padding; }
  const std::string& data_format() const { return o_.data_format; }

 protected:
  // mode: "max" or "average".
  BasePooling(int rank, const IntTuple& pool_size, const PoolingOptions& options, std::string mode,
              std::string class_name);

 private:
  void validate();
  void check_input(const Shape& shape) const;
  Shape output_shape(const Shape& input_shape) const;

  int rank_;
  std::string mode_;
  IntTuple pool_size_arg_;
  std::vector<int64_t> pool_size_, strides_;
  PoolingOptions o_;
};

}  // namespace keras::layers
