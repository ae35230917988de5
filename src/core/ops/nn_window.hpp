// Internal: geometry and argument checking shared by the sliding-window ops of keras/ops/nn.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::detail::nn {

enum class Padding { kValid, kSame, kCausal };

// "valid" / "same" (any case), and "causal" where allowed; ValueError naming `op` otherwise.
Padding parse_padding(const std::string& padding, const char* op, bool allow_causal = false);

// The geometry of a 2-D window op over an (n, h, w, c) input: window kh x kw, strides, dilations,
// the output size and the zeros padded before each axis (TF's "same" arithmetic). 1-D ops use
// h = kh = 1.
struct Window2D {
  int64_t n = 0, h = 0, w = 0, c = 0;
  int64_t kh = 1, kw = 1;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t oh = 0, ow = 0;
  int64_t pt = 0, pl = 0;  // padding before (top, left)
};

// Output length and padding-before of one axis; ValueError naming `op` and `context` (the
// operands' shapes) when stride/dilation are not positive or the output would be negative.
void window_axis(const char* op, const std::string& context, int64_t in, int64_t k, int64_t stride,
                 int64_t dilation, Padding padding, int64_t* out, int64_t* pad_before);

// Fills a Window2D for an (n, h, w, c) input shape and a kh x kw window.
Window2D make_window(const char* op, const std::string& context, const Shape& x4, int64_t kh,
                     int64_t kw, std::array<int64_t, 2> strides, std::array<int64_t, 2> dilation,
                     Padding padding);

// Keras's int-or-tuple for 2-D window arguments: one value for both axes or (height, width).
std::array<int64_t, 2> pair_arg(const char* op, const char* name, const std::vector<int64_t>& v);

// ValueError unless `t` is defined and of rank `rank` ("conv2d: expected x of rank 4 (N, H, W, C),
// received shape (3, 3)").
void check_rank(const char* op, const char* what, const Tensor& t, int rank, const char* layout);

// TypeError unless x and kernel share a dtype.
void check_same_dtype(const char* op, const Tensor& x, const Tensor& kernel);

// "x of shape (1, 5, 5, 2) and kernel of shape (3, 3, 2, 4)", for error messages.
std::string shapes_context(const Tensor& x, const Tensor& kernel);

}  // namespace keras::detail::nn
