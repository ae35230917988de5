// keras.src.layers.pooling.base_global_pooling.BaseGlobalPooling: the shared part of
// GlobalMaxPooling1D/2D and GlobalAveragePooling1D/2D (a max or mean over every spatial axis).
#pragma once

#include "keras/layers/convolutional/conv_utils.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

// Keras 3's keyword arguments and defaults.
struct GlobalPoolingOptions {
  std::string data_format = "";  // Keras's None: "channels_last"
  bool keepdims = false;         // keep the spatial axes with length 1
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class BaseGlobalPooling : public Layer {
 public:
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  using Layer::compute_output_shape;
  void config(ConfigIO& io) override;

  const std::string& data_format() const { return o_.data_format; }
  bool keepdims() const { return o_.keepdims; }

 protected:
  // mode: "max" or "average".
  BaseGlobalPooling(int rank, const GlobalPoolingOptions& options, std::string mode,
                    std::string class_name);

 private:
  std::vector<int> spatial_axes() const;
  void check_input(const Shape& shape) const;

  int rank_;
  std::string mode_;
  GlobalPoolingOptions o_;
};

}  // namespace keras::layers
