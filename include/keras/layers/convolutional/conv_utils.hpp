// Argument helpers of Keras's convolution and pooling layers (keras.src.utils.argument_validation
// standardize_tuple / standardize_padding, keras.backend.standardize_data_format).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "keras/core/config.hpp"
#include "keras/core/tensor.hpp"

namespace keras::layers {

// An int or a tuple of ints, as Keras's kernel_size / strides / pool_size arguments take:
// `3`, `{3, 3}`. Empty means Keras's None (e.g. pooling strides). In configs it is written as a
// list (Keras writes tuples) and read from a list or a single int.
struct IntTuple {
  IntTuple() = default;
  IntTuple(int value) : values{value} {}      // NOLINT: an int stands for a tuple, as in Keras
  IntTuple(int64_t value) : values{value} {}  // NOLINT
  IntTuple(std::initializer_list<int64_t> v) : values(v) {}
  IntTuple(std::vector<int64_t> v) : values(std::move(v)) {}  // NOLINT

  bool empty() const { return values.empty(); }
  size_t size() const { return values.size(); }
  int64_t operator[](size_t i) const { return values[i]; }
  bool operator==(const IntTuple& other) const = default;

  friend void to_json(json& j, const IntTuple& t) { j = t.values; }
  friend void from_json(const json& j, IntTuple& t) {
    if (j.is_null()) {
      t.values.clear();  // Keras's None
    } else if (j.is_number_integer()) {
      t.values = {j.get<int64_t>()};
    } else {
      t.values = j.get<std::vector<int64_t>>();
    }
  }

  std::vector<int64_t> values;
};

// "(3, 3)": Python's spelling of a tuple, for error messages.
std::string tuple_str(const std::vector<int64_t>& values);

// Keras's standardize_tuple: one value is repeated `n` times, `n` values are kept; anything else
// is a ValueError naming the layer and the argument. Values must be positive (>= 0 when
// allow_zero).
std::vector<int64_t> standardize_tuple(const IntTuple& value, int n, const std::string& arg,
                                       const std::string& layer, bool allow_zero = false);

// Keras's standardize_padding: lower-cased "valid" or "same" ("causal" where allowed).
std::string standardize_padding(const std::string& padding, const std::string& layer,
                                bool allow_causal = false);

// Keras's standardize_data_format: "" (Keras's None) is "channels_last", the default image data
// format; otherwise "channels_last" or "channels_first" (lower-cased).
std::string standardize_data_format(const std::string& data_format, const std::string& layer);

// The activation name a config writes for an option ("" is Keras's None, written "linear") and
// the option value a config's name reads back into.
inline std::string activation_config_name(const std::string& a) { return a.empty() ? "linear" : a; }
inline std::string activation_option(const std::string& a) { return a == "linear" ? "" : a; }

namespace detail {
// channels_first <-> channels_last for rank-(spatial+2) tensors: layers compute in
// channels_last (the ops' layout) and transpose around the op for channels_first, as Keras's
// TensorFlow backend does on CPU.
Tensor to_channels_last(const Tensor& x);
Tensor to_channels_first(const Tensor& x);
// (N, C, *spatial) shape <-> (N, *spatial, C) shape.
Shape shape_to_channels_last(const Shape& s);
Shape shape_to_channels_first(const Shape& s);
}  // namespace detail

}  // namespace keras::layers
