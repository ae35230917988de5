#include "keras/layers/convolutional/conv_utils.hpp"

#include <algorithm>
#include <cctype>

#include "keras/ops/linalg.hpp"

namespace keras::layers {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string tuple_str(const std::vector<int64_t>& values) {
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(values[i]);
  }
  if (values.size() == 1) s += ",";
  return s + ")";
}

std::vector<int64_t> standardize_tuple(const IntTuple& value, int n, const std::string& arg,
                                       const std::string& layer, bool allow_zero) {
  std::vector<int64_t> out;
  if (value.size() == 1) {
    out.assign(n, value[0]);
  } else if (static_cast<int>(value.size()) == n) {
    out = value.values;
  } else {
    throw ValueError(layer + ": the `" + arg + "` argument must be an int or a tuple of " +
                     std::to_string(n) + " ints. Received: " + arg + "=" + tuple_str(value.values) +
                     ".");
  }
  for (int64_t v : out)
    if (v < 0 || (v == 0 && !allow_zero))
      throw ValueError(layer + ": the `" + arg + "` argument must be a tuple of " +
                       std::to_string(n) + (allow_zero ? " non-negative" : " positive") +
                       " ints. Received: " + arg + "=" + tuple_str(value.values) + ".");
  return out;
}

std::string standardize_padding(const std::string& padding, const std::string& layer,
                                bool allow_causal) {
  const std::string p = lower(padding);
  if (p == "valid" || p == "same" || (allow_causal && p == "causal")) return p;
  throw ValueError(
      layer + ": the `padding` argument must be one of " +
      std::string(allow_causal ? "\"valid\", \"same\", \"causal\"" : "\"valid\", \"same\"") +
      ". Received: padding=" + padding + ".");
}

std::string standardize_data_format(const std::string& data_format, const std::string& layer) {
  if (data_format.empty()) return "channels_last";
  const std::string d = lower(data_format);
  if (d == "channels_last" || d == "channels_first") return d;
  throw ValueError(layer +
                   ": the `data_format` argument must be one of \"channels_first\", "
                   "\"channels_last\". Received: data_format=" +
                   data_format + ".");
}

namespace detail {

Tensor to_channels_last(const Tensor& x) {
  std::vector<int> perm{0};
  for (int i = 2; i < x.ndim(); ++i) perm.push_back(i);
  perm.push_back(1);
  return ops::transpose(x, perm);
}

Tensor to_channels_first(const Tensor& x) {
  std::vector<int> perm{0, x.ndim() - 1};
  for (int i = 1; i < x.ndim() - 1; ++i) perm.push_back(i);
  return ops::transpose(x, perm);
}

Shape shape_to_channels_last(const Shape& s) {
  Shape out{s[0]};
  out.insert(out.end(), s.begin() + 2, s.end());
  out.push_back(s[1]);
  return out;
}

Shape shape_to_channels_first(const Shape& s) {
  Shape out{s[0], s.back()};
  out.insert(out.end(), s.begin() + 1, s.end() - 1);
  return out;
}

}  // namespace detail

}  // namespace keras::layers
