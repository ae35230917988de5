// Internal: NHWC im2col / col2im and a typed GEMM, the machinery of conv2d and its gradients.
//
// cols has one row per output position (n, oy, ox) and kh*kw*c columns ordered (ky, kx, ch): the
// row-major order of a Keras (kh, kw, in, out) kernel, which is therefore already the (K, out)
// matrix the GEMM needs. Along the width each kernel row (ky) reads kw*c consecutive input
// values when dilation is 1, so both loops move whole contiguous runs.
#pragma once

#include <cblas.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>

#include "core/ops/nn_window.hpp"
#include "keras/core/errors.hpp"

namespace keras::detail::nn {

// Valid kx range [lo, hi) for a window whose first column lands on input column ix0 (dilation 1).
inline void valid_run(int64_t ix0, int64_t kw, int64_t w, int64_t* lo, int64_t* hi) {
  *lo = std::clamp<int64_t>(-ix0, 0, kw);
  *hi = std::clamp<int64_t>(w - ix0, *lo, kw);
}

// Copies a run of len elements. Runs of a few elements (one-channel images) are copied inline:
// a libc memcpy call per 3-float run costs more than the copy.
template <typename T>
inline void copy_run(T* __restrict d, const T* __restrict s, int64_t len) {
  if (len <= 8) {
    for (int64_t i = 0; i < 8; ++i)
      if (i < len) d[i] = s[i];
  } else {
    std::memcpy(d, s, len * sizeof(T));
  }
}

// d[0:len] += s[0:len].
template <typename T>
inline void add_run(T* __restrict d, const T* __restrict s, int64_t len) {
  if (len <= 8) {
    for (int64_t i = 0; i < 8; ++i)
      if (i < len) d[i] += s[i];
  } else {
    for (int64_t i = 0; i < len; ++i) d[i] += s[i];
  }
}

// cols (n*oh*ow, kh*kw*c) <- patches of x (n, h, w, c); padded positions are zero.
template <typename T>
void im2col(const T* x, const Window2D& g, T* cols) {
  const int64_t c = g.c, run = g.kw * c, row = g.w * c, k = g.kh * run;
  T* dst = cols;
  for (int64_t n = 0; n < g.n; ++n) {
    const T* xn = x + n * g.h * row;
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      const int64_t iy0 = oy * g.sh - g.pt;
      const bool rows_inside = iy0 >= 0 && iy0 + (g.kh - 1) * g.dh < g.h;
      for (int64_t ox = 0; ox < g.ow; ++ox, dst += k) {
        const int64_t ix0 = ox * g.sw - g.pl;
        if (rows_inside && g.dw == 1 && ix0 >= 0 && ix0 + g.kw <= g.w) {  // interior: no padding
          const T* xs = xn + iy0 * row + ix0 * c;
          for (int64_t ky = 0; ky < g.kh; ++ky) copy_run(dst + ky * run, xs + ky * g.dh * row, run);
          continue;
        }
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          T* d = dst + ky * run;
          const int64_t iy = iy0 + ky * g.dh;
          if (iy < 0 || iy >= g.h) {
            std::fill(d, d + run, T(0));
            continue;
          }
          const T* xr = xn + iy * row;
          if (g.dw == 1) {
            int64_t lo, hi;
            valid_run(ix0, g.kw, g.w, &lo, &hi);
            std::fill(d, d + lo * c, T(0));
            if (hi > lo) copy_run(d + lo * c, xr + (ix0 + lo) * c, (hi - lo) * c);
            std::fill(d + hi * c, d + run, T(0));
          } else {
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              const int64_t ix = ix0 + kx * g.dw;
              if (ix < 0 || ix >= g.w)
                std::fill(d + kx * c, d + (kx + 1) * c, T(0));
              else
                copy_run(d + kx * c, xr + ix * c, c);
            }
          }
        }
      }
    }
  }
}

// dx (n, h, w, c) += the patches in cols scattered back (the adjoint of im2col). dx must be
// initialised (zeros) by the caller.
template <typename T>
void col2im(const T* cols, const Window2D& g, T* dx) {
  const int64_t c = g.c, run = g.kw * c, row = g.w * c, k = g.kh * run;
  const T* src = cols;
  for (int64_t n = 0; n < g.n; ++n) {
    T* xn = dx + n * g.h * row;
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      const int64_t iy0 = oy * g.sh - g.pt;
      const bool rows_inside = iy0 >= 0 && iy0 + (g.kh - 1) * g.dh < g.h;
      for (int64_t ox = 0; ox < g.ow; ++ox, src += k) {
        const int64_t ix0 = ox * g.sw - g.pl;
        if (rows_inside && g.dw == 1 && ix0 >= 0 && ix0 + g.kw <= g.w) {  // interior: no padding
          T* xs = xn + iy0 * row + ix0 * c;
          for (int64_t ky = 0; ky < g.kh; ++ky) add_run(xs + ky * g.dh * row, src + ky * run, run);
          continue;
        }
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          const int64_t iy = iy0 + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          const T* s = src + ky * run;
          T* xr = xn + iy * row;
          if (g.dw == 1) {
            int64_t lo, hi;
            valid_run(ix0, g.kw, g.w, &lo, &hi);
            add_run(xr + (ix0 + lo) * c, s + lo * c, (hi - lo) * c);
          } else {
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              const int64_t ix = ix0 + kx * g.dw;
              if (ix < 0 || ix >= g.w) continue;
              add_run(xr + ix * c, s + kx * c, c);
            }
          }
        }
      }
    }
  }
}

// Row-major C (m, n) = op(A) op(B) (+ beta C), op = transpose where asked. Handles empty sizes,
// where BLAS implementations differ.
template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
          const T* b, int64_t ldb, T* c, int64_t ldc, T beta = T(0)) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    return;
  }
  for (int64_t v : {m, n, k, lda, ldb, ldc})
    if (v > INT_MAX)
      throw ValueError("conv: a matrix dimension of " + std::to_string(v) +
                       " exceeds what BLAS accepts; use a smaller batch.");
  const auto ta = trans_a ? CblasTrans : CblasNoTrans;
  const auto tb = trans_b ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>) {
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  } else {
    cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
  }
}

}  // namespace keras::detail::nn
