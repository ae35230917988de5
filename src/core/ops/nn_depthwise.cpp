// depthwise_conv2d (tf.nn.depthwise_conv2d) and its gradients, as direct loops.
//
// Each output position accumulates, for every window tap, the c*M products of the tap's input
// pixel (c contiguous channels) with the tap's kernel slice (c*M contiguous values, index c*M+m as
// TF orders the output channels), so the innermost loop runs over contiguous memory.
#include "core/dispatch.hpp"
#include "core/ops/nn_window.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/nn.hpp"

namespace keras::ops {
namespace {

using detail::nn::Window2D;

// Calls f(out_index, x_offset, kernel_offset) for every in-bounds tap of every output position:
// out_index is the flat (n, oy, ox) position, offsets are in elements.
template <typename F>
void for_each_tap(const Window2D& g, int64_t cm, F&& f) {
  int64_t pos = 0;
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox, ++pos)
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          const int64_t iy = oy * g.sh - g.pt + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            const int64_t ix = ox * g.sw - g.pl + kx * g.dw;
            if (ix < 0 || ix >= g.w) continue;
            f(pos, ((n * g.h + iy) * g.w + ix) * g.c, (ky * g.kw + kx) * cm);
          }
        }
}

}  // namespace

Tensor depthwise_conv2d(const Tensor& x, const Tensor& kernel, const std::vector<int64_t>& strides,
                        const std::string& padding, const std::vector<int64_t>& dilation_rate) {
  constexpr const char* op = "depthwise_conv2d";
  using namespace detail::nn;
  check_rank(op, "x", x, 4, "(N, H, W, C)");
  check_rank(op, "kernel", kernel, 4, "(kh, kw, in, depth_multiplier)");
  check_same_dtype(op, x, kernel);
  if (kernel.dim(2) != x.dim(3))
    throw ValueError(std::string(op) +
                     ": expected kernel axis 2 (input channels) to equal the channels of x (" +
                     std::to_string(x.dim(3)) + "), received " + shapes_context(x, kernel) + ".");
  const Window2D g =
      make_window(op, shapes_context(x, kernel), x.shape(), kernel.dim(0), kernel.dim(1),
                  pair_arg(op, "strides", strides), pair_arg(op, "dilation_rate", dilation_rate),
                  parse_padding(padding, op));
  const int64_t c = g.c, mult = kernel.dim(3), cm = c * mult;
  const DType dt = x.dtype();
  Tensor out = Tensor::zeros({g.n, g.oh, g.ow, cm}, dt);
  detail::dispatch_float(dt, "DepthwiseConv2dNative", [&]<typename T>() {
    const T* xp = x.data<T>();
    const T* kp = kernel.data<T>();
    T* op_ = out.data<T>();
    for_each_tap(g, cm, [&](int64_t pos, int64_t xo, int64_t ko) {
      T* __restrict o = op_ + pos * cm;
      const T* __restrict xv = xp + xo;
      const T* __restrict kv = kp + ko;
      if (mult == 1) {
        for (int64_t i = 0; i < c; ++i) o[i] += xv[i] * kv[i];
      } else {
        for (int64_t i = 0; i < c; ++i)
          for (int64_t m = 0; m < mult; ++m) o[i * mult + m] += xv[i] * kv[i * mult + m];
      }
    });
  });
  if (autograd::needs_grad({&x, &kernel})) {
    const bool need_dx = x.grad_node() != nullptr, need_dk = kernel.grad_node() != nullptr;
    const Tensor kept_x = need_dk ? x : Tensor();
    const Tensor kept_kernel = need_dx ? kernel : Tensor();
    const Shape xs = x.shape(), ks = kernel.shape();
    autograd::record(out, "DepthwiseConv2dNative", {x, kernel}, [=](const Tensor& grad) {
      const Tensor gr = grad.dtype() == dt ? grad : grad.astype(dt);
      Tensor dx = need_dx ? Tensor::zeros(xs, dt) : Tensor();
      Tensor dk = need_dk ? Tensor::zeros(ks, dt) : Tensor();
      detail::dispatch_float(dt, "DepthwiseConv2dNativeBackprop", [&]<typename T>() {
        const T* gp = gr.data<T>();
        if (need_dx) {
          const T* kp = kept_kernel.data<T>();
          T* dxp = dx.data<T>();
          for_each_tap(g, cm, [&](int64_t pos, int64_t xo, int64_t ko) {
            const T* __restrict gv = gp + pos * cm;
            const T* __restrict kv = kp + ko;
            T* __restrict d = dxp + xo;
            for (int64_t i = 0; i < c; ++i) {
              T acc = 0;
              for (int64_t m = 0; m < mult; ++m) acc += gv[i * mult + m] * kv[i * mult + m];
              d[i] += acc;
            }
          });
        }
        if (need_dk) {
          const T* xp = kept_x.data<T>();
          T* dkp = dk.data<T>();
          for_each_tap(g, cm, [&](int64_t pos, int64_t xo, int64_t ko) {
            const T* __restrict gv = gp + pos * cm;
            const T* __restrict xv = xp + xo;
            T* __restrict d = dkp + ko;
            for (int64_t i = 0; i < c; ++i)
              for (int64_t m = 0; m < mult; ++m) d[i * mult + m] += xv[i] * gv[i * mult + m];
          });
        }
      });
      return std::vector<Tensor>{dx, dk};
    });
  }
  return out;
}

}  // namespace keras::ops
