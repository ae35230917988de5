// conv1d, conv2d, conv2d_transpose (tf.nn.conv1d / conv2d / conv2d_transpose) and their gradients.
//
// Every conv is im2col + one GEMM against the kernel viewed as a (kh*kw*in, out) matrix (a Keras
// kernel's row-major layout, so no copy). The gradients reuse the same two pieces: dKernel =
// cols^T @ grad and dX = col2im(grad @ kernel^T). A 1x1 kernel with stride 1 skips im2col: its
// cols matrix is the input itself.
#include "core/dispatch.hpp"
#include "core/ops/nn_im2col.hpp"
#include "core/ops/nn_window.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/nn.hpp"

namespace keras::ops {
namespace {

using detail::nn::check_rank;
using detail::nn::check_same_dtype;
using detail::nn::col2im;
using detail::nn::gemm;
using detail::nn::im2col;
using detail::nn::make_window;
using detail::nn::pair_arg;
using detail::nn::parse_padding;
using detail::nn::shapes_context;
using detail::nn::Window2D;

bool is_pointwise(const Window2D& g) {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0;
}

void check_channels(const char* op, const Tensor& x, const Tensor& kernel, int kernel_axis) {
  if (kernel.dim(kernel_axis) != x.dim(-1))
    throw ValueError(std::string(op) + ": expected kernel axis " + std::to_string(kernel_axis) +
                     " (input channels) to equal the channels of x (" + std::to_string(x.dim(-1)) +
                     "), received " + shapes_context(x, kernel) + ".");
}

// x (n, h, w, c), kernel (kh, kw, c, o) -> (n, oh, ow, o). Arguments already checked.
Tensor conv2d_core(const Tensor& x, const Tensor& kernel, const Window2D& g) {
  const DType dt = x.dtype();
  const int64_t o = kernel.dim(3), m = g.n * g.oh * g.ow, k = g.kh * g.kw * g.c;
  const bool pointwise = is_pointwise(g);
  Tensor out = Tensor::empty({g.n, g.oh, g.ow, o}, dt);
  Tensor cols = pointwise ? x : Tensor::empty({m, k}, dt);
  detail::dispatch_float(dt, "Conv2D", [&]<typename T>() {
    if (!pointwise) im2col(x.data<T>(), g, cols.data<T>());
    gemm<T>(false, false, m, o, k, cols.data<T>(), k, kernel.data<T>(), o, out.data<T>(), o);
  });
  if (autograd::needs_grad({&x, &kernel})) {
    const bool need_dx = x.grad_node() != nullptr, need_dk = kernel.grad_node() != nullptr;
    // Keep only what the wanted gradients read: cols for dKernel, the kernel for dX.
    const Tensor kept_cols = need_dk ? cols : Tensor();
    const Tensor kept_kernel = need_dx ? kernel : Tensor();
    const Shape xs = x.shape(), ks = kernel.shape();
    autograd::record(out, "Conv2D", {x, kernel}, [=](const Tensor& grad) {
      const Tensor gr = grad.dtype() == dt ? grad : grad.astype(dt);
      Tensor dx, dk;
      detail::dispatch_float(dt, "Conv2DBackprop", [&]<typename T>() {
        const T* gp = gr.data<T>();
        if (need_dk) {
          dk = Tensor::empty(ks, dt);
          gemm<T>(true, false, k, o, m, kept_cols.data<T>(), k, gp, o, dk.data<T>(), o);
        }
        if (need_dx) {
          const T* w = kept_kernel.data<T>();
          if (pointwise) {
            dx = Tensor::empty(xs, dt);
            gemm<T>(false, true, m, k, o, gp, o, w, o, dx.data<T>(), k);
          } else {
            Tensor dcols = Tensor::empty({m, k}, dt);
            gemm<T>(false, true, m, k, o, gp, o, w, o, dcols.data<T>(), k);
            dx = Tensor::zeros(xs, dt);
            col2im(dcols.data<T>(), g, dx.data<T>());
          }
        }
      });
      return std::vector<Tensor>{dx, dk};
    });
  }
  return out;
}

}  // namespace

Tensor conv1d(const Tensor& x, const Tensor& kernel, int64_t strides, const std::string& padding,
              int64_t dilation_rate) {
  constexpr const char* op = "conv1d";
  check_rank(op, "x", x, 3, "(N, W, C)");
  check_rank(op, "kernel", kernel, 3, "(k, in, out)");
  check_same_dtype(op, x, kernel);
  check_channels(op, x, kernel, 1);
  const auto p = parse_padding(padding, op, /*allow_causal=*/true);
  const int64_t n = x.dim(0), w = x.dim(1), c = x.dim(2), k = kernel.dim(0), o = kernel.dim(2);
  // TF runs conv1d as conv2d on a height-1 image; the reshapes are views.
  const Window2D g = make_window(op, shapes_context(x, kernel), {n, 1, w, c}, 1, k, {1, strides},
                                 {1, dilation_rate}, p);
  Tensor out = conv2d_core(x.reshape({n, 1, w, c}), kernel.reshape({1, k, c, o}), g);
  return out.reshape({n, g.ow, o});
}

Tensor conv2d(const Tensor& x, const Tensor& kernel, const std::vector<int64_t>& strides,
              const std::string& padding, const std::vector<int64_t>& dilation_rate) {
  constexpr const char* op = "conv2d";
  check_rank(op, "x", x, 4, "(N, H, W, C)");
  check_rank(op, "kernel", kernel, 4, "(kh, kw, in, out)");
  check_same_dtype(op, x, kernel);
  check_channels(op, x, kernel, 2);
  const Window2D g =
      make_window(op, shapes_context(x, kernel), x.shape(), kernel.dim(0), kernel.dim(1),
                  pair_arg(op, "strides", strides), pair_arg(op, "dilation_rate", dilation_rate),
                  parse_padding(padding, op));
  return conv2d_core(x, kernel, g);
}

Tensor conv2d_transpose(const Tensor& x, const Tensor& kernel, const std::vector<int64_t>& strides,
                        const std::string& padding, const std::vector<int64_t>& dilation_rate) {
  constexpr const char* op = "conv2d_transpose";
  check_rank(op, "x", x, 4, "(N, H, W, C)");
  check_rank(op, "kernel", kernel, 4, "(kh, kw, out, in)");
  check_same_dtype(op, x, kernel);
  check_channels(op, x, kernel, 3);
  const auto s = pair_arg(op, "strides", strides);
  const auto d = pair_arg(op, "dilation_rate", dilation_rate);
  const auto p = parse_padding(padding, op);
  const std::string ctx = shapes_context(x, kernel);
  const int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), ci = x.dim(3);
  const int64_t kh = kernel.dim(0), kw = kernel.dim(1), co = kernel.dim(2);
  if (s[0] <= 0 || s[1] <= 0 || d[0] <= 0 || d[1] <= 0 || kh <= 0 || kw <= 0)
    throw ValueError(std::string(op) +
                     ": expected positive strides, dilation_rate and kernel size, received "
                     "strides=" +
                     shape_str({s[0], s[1]}) + ", dilation_rate=" + shape_str({d[0], d[1]}) +
                     " for " + ctx + ".");
  // Keras's deconv_output_length (output_padding=None).
  auto out_len = [&](int64_t in, int64_t k, int64_t st, int64_t dil) {
    const int64_t dk = (k - 1) * dil + 1;
    return p == detail::nn::Padding::kSame ? in * st : in * st + std::max<int64_t>(dk - st, 0);
  };
  const int64_t oh = out_len(h, kh, s[0], d[0]), ow = out_len(w, kw, s[1], d[1]);
  // The geometry of the forward conv whose input gradient this op is: (oh, ow, co) -> (h, w, ci).
  const Window2D g = make_window(op, ctx, {n, oh, ow, co}, kh, kw, s, d, p);
  const int64_t m = n * h * w, k = kh * kw * co;
  const bool pointwise = is_pointwise(g);
  const DType dt = x.dtype();
  Tensor out;
  detail::dispatch_float(dt, "Conv2DBackpropInput", [&]<typename T>() {
    if (pointwise) {
      out = Tensor::empty({n, oh, ow, co}, dt);
      gemm<T>(false, true, m, k, ci, x.data<T>(), ci, kernel.data<T>(), ci, out.data<T>(), k);
    } else {
      Tensor cols = Tensor::empty({m, k}, dt);
      gemm<T>(false, true, m, k, ci, x.data<T>(), ci, kernel.data<T>(), ci, cols.data<T>(), k);
      out = Tensor::zeros({n, oh, ow, co}, dt);
      col2im(cols.data<T>(), g, out.data<T>());
    }
  });
  if (autograd::needs_grad({&x, &kernel})) {
    const bool need_dx = x.grad_node() != nullptr, need_dk = kernel.grad_node() != nullptr;
    const Tensor kept_x = need_dk ? x : Tensor();
    const Tensor kept_kernel = need_dx ? kernel : Tensor();
    const Shape xs = x.shape(), ks = kernel.shape();
    autograd::record(out, "Conv2DBackpropInput", {x, kernel}, [=](const Tensor& grad) {
      const Tensor gr = grad.dtype() == dt ? grad : grad.astype(dt);
      Tensor dx, dk;
      detail::dispatch_float(dt, "Conv2DBackpropInputGrad", [&]<typename T>() {
        // Both gradients read the patches of grad: dX = conv2d(grad, kernel), dK = cols^T @ x.
        Tensor gcols = pointwise ? gr : Tensor::empty({m, k}, dt);
        if (!pointwise) im2col(gr.data<T>(), g, gcols.data<T>());
        if (need_dx) {
          dx = Tensor::empty(xs, dt);
          gemm<T>(false, false, m, ci, k, gcols.data<T>(), k, kept_kernel.data<T>(), ci,
                  dx.data<T>(), ci);
        }
        if (need_dk) {
          dk = Tensor::empty(ks, dt);
          gemm<T>(true, false, k, ci, m, gcols.data<T>(), k, kept_x.data<T>(), ci, dk.data<T>(),
                  ci);
        }
      });
      return std::vector<Tensor>{dx, dk};
    });
  }
  return out;
}

}  // namespace keras::ops
