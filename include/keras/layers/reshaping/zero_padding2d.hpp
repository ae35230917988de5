// keras.layers.ZeroPadding2D: rows and columns of zeros around (batch, rows, cols, channels)
// images.
#pragma once

#include <array>
#include <initializer_list>

#include "keras/layers/layer.hpp"

namespace keras::layers {

// Keras's `padding` argument: an int (all four sides), {rows, cols} (symmetric per axis), or
// {{top, bottom}, {left, right}}. Configs write the last form, as Keras 3 does.
struct Padding2D {
  Padding2D(int64_t all = 1) : values{{{all, all}, {all, all}}} {}  // NOLINT: Keras's int form
  Padding2D(int all) : Padding2D(static_cast<int64_t>(all)) {}      // NOLINT
  Padding2D(std::initializer_list<int64_t> symmetric);
  Padding2D(std::initializer_list<std::initializer_list<int64_t>> pairs);

  friend void to_json(json& j, const Padding2D& p);
  friend void from_json(const json& j, Padding2D& p);

  std::array<std::array<int64_t, 2>, 2> values;  // {{top, bottom}, {left, right}}
};

struct ZeroPadding2DOptions {
  std::string data_format = "";  // Keras's None: "channels_last"
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class ZeroPadding2D : public Layer {
 public:
  explicit ZeroPadding2D(const Padding2D& padding = 1, const ZeroPadding2DOptions& options = {});
  KERAS_LAYER_CLONE(ZeroPadding2D)

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  using Layer::compute_output_shape;
  void config(ConfigIO& io) override;

  const Padding2D& padding() const { return padding_; }

 private:
  void validate();

  Padding2D padding_;
  ZeroPadding2DOptions o_;
};

}  // namespace keras::layers
