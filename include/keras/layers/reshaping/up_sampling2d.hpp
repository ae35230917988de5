// keras.layers.UpSampling2D: repeats rows and columns of (batch, rows, cols, channels) images
// ("nearest") or resizes them bilinearly ("bilinear", tf.image.resize's half-pixel centers as
// Keras 3 uses).
#pragma once

#include "keras/layers/convolutional/conv_utils.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct UpSampling2DOptions {
  std::string data_format = "";           // Keras's None: "channels_last"
  std::string interpolation = "nearest";  // "nearest" or "bilinear"
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class UpSampling2D : public Layer {
 public:
  // size: the upsampling factors for rows and columns (an int for both).
  explicit UpSampling2D(const IntTuple& size = {2, 2}, const UpSampling2DOptions& options = {});
  KERAS_LAYER_CLONE(UpSampling2D)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  using Layer::compute_output_shape;
  void config(ConfigIO& io) override;

  const std::vector<int64_t>& size() const { return size_; }
  const std::string& interpolation() const { return o_.interpolation; }

 private:
  void validate();

  IntTuple size_arg_;
  std::vector<int64_t> size_;
  UpSampling2DOptions o_;
};

}  // namespace keras::layers
