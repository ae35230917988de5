// max_pool1d/2d, avg_pool1d/2d (tf.nn.max_pool / avg_pool) and their gradients.
//
// Windows are clipped to the input instead of padded: a padded position never wins a max and is
// not counted in an average, which is TF's "same" semantics. Max pooling remembers the flat input
// index of each output's first maximum (row-major window order, as TF's MaxPoolGrad picks it)
// only when a gradient will be wanted.
#include <algorithm>
#include <limits>

#include "core/dispatch.hpp"
#include "core/ops/nn_window.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/nn.hpp"

namespace keras::ops {
namespace {

using detail::nn::Window2D;

enum class PoolKind { kMax, kAvg };

// Calls f(n, pos, iy_lo, iy_hi, ix_lo, ix_hi) for every output position (pos: flat (n, oy, ox))
// with its window clipped to the input.
template <typename F>
void for_each_window(const Window2D& g, F&& f) {
  int64_t pos = 0;
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      const int64_t y0 = oy * g.sh - g.pt;
      const int64_t ylo = std::max<int64_t>(y0, 0), yhi = std::min(y0 + g.kh, g.h);
      for (int64_t ox = 0; ox < g.ow; ++ox, ++pos) {
        const int64_t x0 = ox * g.sw - g.pl;
        const int64_t xlo = std::max<int64_t>(x0, 0), xhi = std::min(x0 + g.kw, g.w);
        f(n, pos, ylo, yhi, xlo, xhi);
      }
    }
}

template <typename T>
void max_pool_forward(const T* x, const Window2D& g, T* out, int64_t* idx) {
  const int64_t c = g.c;
  for_each_window(
      g, [&](int64_t n, int64_t pos, int64_t ylo, int64_t yhi, int64_t xlo, int64_t xhi) {
        T* __restrict o = out + pos * c;
        int64_t* __restrict id = idx ? idx + pos * c : nullptr;
        bool first = true;
        for (int64_t iy = ylo; iy < yhi; ++iy)
          for (int64_t ix = xlo; ix < xhi; ++ix) {
            const int64_t off = ((n * g.h + iy) * g.w + ix) * c;
            const T* __restrict xv = x + off;
            if (first) {
              for (int64_t i = 0; i < c; ++i) o[i] = xv[i];
              if (id)
                for (int64_t i = 0; i < c; ++i) id[i] = off + i;
              first = false;
            } else if (id) {
              for (int64_t i = 0; i < c; ++i)
                if (xv[i] > o[i]) {
                  o[i] = xv[i];
                  id[i] = off + i;
                }
            } else {
              for (int64_t i = 0; i < c; ++i) o[i] = xv[i] > o[i] ? xv[i] : o[i];
            }
          }
        if (first) {  // an all-padding window (not produced by TF's arithmetic; kept safe)
          for (int64_t i = 0; i < c; ++i) o[i] = std::numeric_limits<T>::lowest();
          if (id)
            for (int64_t i = 0; i < c; ++i) id[i] = -1;
        }
      });
}

// dx = the max-pool gradient when windows do not overlap (strides >= pool size, the common
// case): every input element lies in at most one window, so dx is written in one sequential
// pass instead of zero-filled and then scattered into.
template <typename T>
void max_pool_backward_disjoint(const Window2D& g, const int64_t* idx, const T* grad, T* dx) {
  const int64_t c = g.c;
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t iy = 0; iy < g.h; ++iy) {
      const int64_t oy = (iy + g.pt) / g.sh;
      const bool row_covered = oy < g.oh && iy + g.pt - oy * g.sh < g.kh;
      for (int64_t ix = 0; ix < g.w; ++ix) {
        const int64_t off = ((n * g.h + iy) * g.w + ix) * c;
        T* __restrict d = dx + off;
        const int64_t ox = (ix + g.pl) / g.sw;
        if (!row_covered || ox >= g.ow || ix + g.pl - ox * g.sw >= g.kw) {
          for (int64_t i = 0; i < c; ++i) d[i] = T(0);
          continue;
        }
        const int64_t pos = ((n * g.oh + oy) * g.ow + ox) * c;
        const int64_t* __restrict id = idx + pos;
        const T* __restrict gv = grad + pos;
        for (int64_t i = 0; i < c; ++i) d[i] = id[i] == off + i ? gv[i] : T(0);
      }
    }
}

// With grad == nullptr: out = window means of x. Otherwise: dx += grad spread over the windows.
template <typename T>
void avg_pool_pass(const T* x, const Window2D& g, T* out, const T* grad, T* dx) {
  const int64_t c = g.c;
  for_each_window(g,
                  [&](int64_t n, int64_t pos, int64_t ylo, int64_t yhi, int64_t xlo, int64_t xhi) {
                    const int64_t count = (yhi - ylo) * (xhi - xlo);
                    const T scale = count > 0 ? T(1) / static_cast<T>(count) : T(0);
                    if (grad) {
                      const T* __restrict gv = grad + pos * c;
                      for (int64_t iy = ylo; iy < yhi; ++iy)
                        for (int64_t ix = xlo; ix < xhi; ++ix) {
                          T* __restrict d = dx + ((n * g.h + iy) * g.w + ix) * c;
                          for (int64_t i = 0; i < c; ++i) d[i] += gv[i] * scale;
                        }
                      return;
                    }
                    T* __restrict o = out + pos * c;
                    for (int64_t i = 0; i < c; ++i) o[i] = T(0);
                    for (int64_t iy = ylo; iy < yhi; ++iy)
                      for (int64_t ix = xlo; ix < xhi; ++ix) {
                        const T* __restrict xv = x + ((n * g.h + iy) * g.w + ix) * c;
                        for (int64_t i = 0; i < c; ++i) o[i] += xv[i];
                      }
                    for (int64_t i = 0; i < c; ++i) o[i] *= scale;
                  });
}

// x (n, h, w, c) with its window geometry -> (n, oh, ow, c).
Tensor pool_core(const Tensor& x, const Window2D& g, PoolKind kind) {
  const DType dt = x.dtype();
  const char* tf_name = kind == PoolKind::kMax ? "MaxPool" : "AvgPool";
  const bool grad_wanted = autograd::needs_grad({&x});
  Tensor out = Tensor::empty({g.n, g.oh, g.ow, g.c}, dt);
  Tensor idx =
      kind == PoolKind::kMax && grad_wanted ? Tensor::empty(out.shape(), DType::int64) : Tensor();
  detail::dispatch_float(dt, tf_name, [&]<typename T>() {
    if (kind == PoolKind::kMax)
      max_pool_forward(x.data<T>(), g, out.data<T>(),
                       idx.defined() ? idx.data<int64_t>() : nullptr);
    else
      avg_pool_pass<T>(x.data<T>(), g, out.data<T>(), nullptr, nullptr);
  });
  if (grad_wanted) {
    const Shape xs = x.shape();
    autograd::record(out, tf_name, {x}, [=](const Tensor& grad) {
      const Tensor gr = grad.dtype() == dt ? grad : grad.astype(dt);
      const bool disjoint = kind == PoolKind::kMax && g.sh >= g.kh && g.sw >= g.kw;
      Tensor dx = disjoint ? Tensor::empty(xs, dt) : Tensor::zeros(xs, dt);
      detail::dispatch_float(dt, tf_name, [&]<typename T>() {
        const T* gp = gr.data<T>();
        T* d = dx.data<T>();
        if (disjoint) {
          max_pool_backward_disjoint(g, idx.data<int64_t>(), gp, d);
        } else if (kind == PoolKind::kMax) {
          const int64_t* id = idx.data<int64_t>();
          for (int64_t i = 0; i < gr.size(); ++i)
            if (id[i] >= 0) d[id[i]] += gp[i];
        } else {
          avg_pool_pass<T>(nullptr, g, nullptr, gp, d);
        }
      });
      return std::vector<Tensor>{dx};
    });
  }
  return out;
}

std::string pool_context(const Tensor& x, const std::string& pool_size) {
  return "x of shape " + shape_str(x.shape()) + " and pool_size=" + pool_size;
}

Tensor pool1d(const char* op, const Tensor& x, int64_t pool_size, std::optional<int64_t> strides,
              const std::string& padding, PoolKind kind) {
  using namespace detail::nn;
  check_rank(op, "x", x, 3, "(N, W, C)");
  const int64_t n = x.dim(0), w = x.dim(1), c = x.dim(2);
  const Window2D g =
      make_window(op, pool_context(x, std::to_string(pool_size)), {n, 1, w, c}, 1, pool_size,
                  {1, strides.value_or(pool_size)}, {1, 1}, parse_padding(padding, op));
  return pool_core(x.reshape({n, 1, w, c}), g, kind).reshape({n, g.ow, c});
}

Tensor pool2d(const char* op, const Tensor& x, const std::vector<int64_t>& pool_size,
              const std::vector<int64_t>& strides, const std::string& padding, PoolKind kind) {
  using namespace detail::nn;
  check_rank(op, "x", x, 4, "(N, H, W, C)");
  const auto k = pair_arg(op, "pool_size", pool_size);
  const auto s = strides.empty() ? k : pair_arg(op, "strides", strides);
  const Window2D g = make_window(op, pool_context(x, shape_str({k[0], k[1]})), x.shape(), k[0],
                                 k[1], s, {1, 1}, parse_padding(padding, op));
  return pool_core(x, g, kind);
}

}  // namespace

Tensor max_pool1d(const Tensor& x, int64_t pool_size, std::optional<int64_t> strides,
                  const std::string& padding) {
  return pool1d("max_pool1d", x, pool_size, strides, padding, PoolKind::kMax);
}

Tensor max_pool2d(const Tensor& x, const std::vector<int64_t>& pool_size,
                  const std::vector<int64_t>& strides, const std::string& padding) {
  return pool2d("max_pool2d", x, pool_size, strides, padding, PoolKind::kMax);
}

Tensor avg_pool1d(const Tensor& x, int64_t pool_size, std::optional<int64_t> strides,
                  const std::string& padding) {
  return pool1d("avg_pool1d", x, pool_size, strides, padding, PoolKind::kAvg);
}

Tensor avg_pool2d(const Tensor& x, const std::vector<int64_t>& pool_size,
                  const std::vector<int64_t>& strides, const std::string& padding) {
  return pool2d("avg_pool2d", x, pool_size, strides, padding, PoolKind::kAvg);
}

}  // namespace keras::ops
