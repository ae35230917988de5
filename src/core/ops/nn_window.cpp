// Window geometry for conv and pooling: TF's "valid"/"same" arithmetic and argument checks.
#include "core/ops/nn_window.hpp"

#include <algorithm>
#include <cctype>

#include "keras/core/errors.hpp"
#include "keras/ops/nn.hpp"

namespace keras {
namespace detail::nn {

Padding parse_padding(const std::string& padding, const char* op, bool allow_causal) {
  std::string p = padding;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (p == "valid") return Padding::kValid;
  if (p == "same") return Padding::kSame;
  if (p == "causal" && allow_causal) return Padding::kCausal;
  throw ValueError(std::string(op) + ": expected padding to be " +
                   (allow_causal ? "\"valid\", \"same\" or \"causal\"" : "\"valid\" or \"same\"") +
                   ", received padding=\"" + padding + "\".");
}

void window_axis(const char* op, const std::string& context, int64_t in, int64_t k, int64_t stride,
                 int64_t dilation, Padding padding, int64_t* out, int64_t* pad_before) {
  if (k <= 0)
    throw ValueError(std::string(op) + ": expected a window of positive size, received size " +
                     std::to_string(k) + " for " + context + ".");
  if (stride <= 0)
    throw ValueError(std::string(op) + ": expected strides to be positive, received strides=" +
                     std::to_string(stride) + " for " + context + ".");
  if (dilation <= 0)
    throw ValueError(std::string(op) +
                     ": expected dilation_rate to be positive, received dilation_rate=" +
                     std::to_string(dilation) + " for " + context + ".");
  const int64_t dk = (k - 1) * dilation + 1;  // the dilated window
  switch (padding) {
    case Padding::kValid: {
      // TF: (in - dk + stride) / stride; negative means the window does not fit at all.
      const int64_t num = in - dk + stride;
      if (num < 0)
        throw ValueError(std::string(op) + ": computed output size would be negative: window " +
                         std::to_string(dk) + " (dilated) is larger than the input length " +
                         std::to_string(in) + " for " + context + ".");
      *out = num / stride;
      *pad_before = 0;
      return;
    }
    case Padding::kSame: {
      *out = (in + stride - 1) / stride;
      const int64_t total = std::max<int64_t>((*out - 1) * stride + dk - in, 0);
      *pad_before = total / 2;
      return;
    }
    case Padding::kCausal:
      *out = (in + stride - 1) / stride;
      *pad_before = dk - 1;
      return;
  }
}

Window2D make_window(const char* op, const std::string& context, const Shape& x4, int64_t kh,
                     int64_t kw, std::array<int64_t, 2> strides, std::array<int64_t, 2> dilation,
                     Padding padding) {
  Window2D g;
  g.n = x4[0];
  g.h = x4[1];
  g.w = x4[2];
  g.c = x4[3];
  g.kh = kh;
  g.kw = kw;
  g.sh = strides[0];
  g.sw = strides[1];
  g.dh = dilation[0];
  g.dw = dilation[1];
  // Causal padding applies along the width only (1-D ops put their axis there).
  window_axis(op, context, g.h, kh, g.sh, g.dh,
              padding == Padding::kCausal ? Padding::kValid : padding, &g.oh, &g.pt);
  window_axis(op, context, g.w, kw, g.sw, g.dw, padding, &g.ow, &g.pl);
  return g;
}

std::array<int64_t, 2> pair_arg(const char* op, const char* name, const std::vector<int64_t>& v) {
  if (v.size() == 1) return {v[0], v[0]};
  if (v.size() == 2) return {v[0], v[1]};
  throw ValueError(std::string(op) + ": expected " + name +
                   " to be one integer or a pair (height, width), received " + shape_str(v) + ".");
}

void check_rank(const char* op, const char* what, const Tensor& t, int rank, const char* layout) {
  if (!t.defined()) throw ValueError(std::string(op) + ": " + what + " is an undefined tensor.");
  if (t.ndim() != rank)
    throw ValueError(std::string(op) + ": expected " + what + " of rank " + std::to_string(rank) +
                     " " + layout + ", received shape " + shape_str(t.shape()) + ".");
}

void check_same_dtype(const char* op, const Tensor& x, const Tensor& kernel) {
  if (x.dtype() != kernel.dtype())
    throw TypeError(std::string(op) + ": x and kernel must have the same dtype, received " +
                    std::string(dtype_name(x.dtype())) + " and " +
                    std::string(dtype_name(kernel.dtype())) + ".");
}

std::string shapes_context(const Tensor& x, const Tensor& kernel) {
  return "x of shape " + shape_str(x.shape()) + " and kernel of shape " + shape_str(kernel.shape());
}

}  // namespace detail::nn

namespace ops {

int64_t conv_output_length(int64_t input_length, int64_t kernel_size, const std::string& padding,
                           int64_t stride, int64_t dilation) {
  const auto p = detail::nn::parse_padding(padding, "conv_output_length", true);
  if (stride <= 0 || dilation <= 0)
    throw ValueError("conv_output_length: expected positive stride and dilation, received stride=" +
                     std::to_string(stride) + ", dilation=" + std::to_string(dilation) + ".");
  if (p != detail::nn::Padding::kValid) return (input_length + stride - 1) / stride;
  const int64_t num = input_length - (kernel_size - 1) * dilation - 1 + stride;
  // Python's floor division, as Keras computes it.
  return num >= 0 ? num / stride : -((-num + stride - 1) / stride);
}

}  // namespace ops
}  // namespace keras
