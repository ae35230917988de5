#include "keras/layers/reshaping/zero_padding2d.hpp"

#include "keras/layers/convolutional/conv_utils.hpp"
#include "keras/ops.hpp"

namespace keras::layers {

namespace {

[[noreturn]] void bad_padding(const std::string& received) {
  throw ValueError(
      "ZeroPadding2D: `padding` should be an int, a tuple of 2 ints "
      "(symmetric_height_pad, symmetric_width_pad), or a tuple of 2 tuples of 2 ints "
      "((top_pad, bottom_pad), (left_pad, right_pad)). Received: padding=" +
      received + ".");
}

}  // namespace

Padding2D::Padding2D(std::initializer_list<int64_t> symmetric) {
  if (symmetric.size() != 2) bad_padding(tuple_str(std::vector<int64_t>(symmetric)));
  const int64_t h = *symmetric.begin(), w = *(symmetric.begin() + 1);
  values = {{{h, h}, {w, w}}};
}

Padding2D::Padding2D(std::initializer_list<std::initializer_list<int64_t>> pairs) {
  std::string received = "(";
  for (const auto& p : pairs) received += tuple_str(std::vector<int64_t>(p)) + ", ";
  received += ")";
  if (pairs.size() != 2) bad_padding(received);
  int i = 0;
  for (const auto& p : pairs) {
    if (p.size() != 2) bad_padding(received);
    values[i][0] = *p.begin();
    values[i][1] = *(p.begin() + 1);
    ++i;
  }
}

void to_json(json& j, const Padding2D& p) {
  j = json::array({json::array({p.values[0][0], p.values[0][1]}),
                   json::array({p.values[1][0], p.values[1][1]})});
}

void from_json(const json& j, Padding2D& p) {
  if (j.is_number_integer()) {
    p = Padding2D(j.get<int64_t>());
    return;
  }
  if (!j.is_array() || j.size() != 2) bad_padding(j.dump());
  if (j[0].is_number_integer() && j[1].is_number_integer()) {
    p = Padding2D({j[0].get<int64_t>(), j[1].get<int64_t>()});
    return;
  }
  for (int i = 0; i < 2; ++i) {
    if (!j[i].is_array() || j[i].size() != 2 || !j[i][0].is_number_integer() ||
        !j[i][1].is_number_integer())
      bad_padding(j.dump());
    p.values[i] = {j[i][0].get<int64_t>(), j[i][1].get<int64_t>()};
  }
}

ZeroPadding2D::ZeroPadding2D(const Padding2D& padding, const ZeroPadding2DOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "ZeroPadding2D"),
      padding_(padding),
      o_(options) {
  validate();
}

void ZeroPadding2D::validate() {
  const std::string who = "ZeroPadding2D '" + name() + "'";
  for (const auto& pair : padding_.values)
    for (int64_t v : pair)
      if (v < 0) {
        json j;
        to_json(j, padding_);
        throw ValueError(
            who + ": `padding` values must be non-negative. Received: padding=" + j.dump() + ".");
      }
  o_.data_format = standardize_data_format(o_.data_format, who);
}

std::vector<Shape> ZeroPadding2D::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1 || input_shapes[0].size() != 4)
    throw ValueError("Input 0 of layer '" + name() +
                     "' (ZeroPadding2D) is incompatible: "
                     "expected ndim=4, found shape " +
                     (input_shapes.empty() ? std::string("()") : shape_str(input_shapes[0])) + ".");
  // Symbolic calls (Layer::operator()(KerasTensor)) build layers through this function.
  if (!built()) {
    Layer::build(input_shapes);
    set_built(true);
  }
  Shape out = input_shapes[0];
  const int h = o_.data_format == "channels_first" ? 2 : 1;
  for (int i = 0; i < 2; ++i)
    if (out[h + i] >= 0) out[h + i] += padding_.values[i][0] + padding_.values[i][1];
  return {out};
}

Tensor ZeroPadding2D::call(const Tensor& x, bool training) {
  (void)training;
  if (x.ndim() != 4)
    throw ValueError("Input 0 of layer '" + name() +
                     "' (ZeroPadding2D) is incompatible: "
                     "expected ndim=4, found shape " +
                     shape_str(x.shape()) + ".");
  const auto& p = padding_.values;
  std::vector<std::pair<int64_t, int64_t>> pads(4, {0, 0});
  const int h = o_.data_format == "channels_first" ? 2 : 1;
  pads[h] = {p[0][0], p[0][1]};
  pads[h + 1] = {p[1][0], p[1][1]};
  return ops::pad(x, pads);
}

void ZeroPadding2D::config(ConfigIO& io) {
  Layer::config(io);
  io("padding", padding_);
  io("data_format", o_.data_format);
  if (io.reading()) validate();
}

}  // namespace keras::layers
