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

// cols (n*oh*ow, kh*kw*c) <- patches of x (n, h, w, c); padded positions are zero.
template <typename T>
void im2col(const T* x, const Window2D& g, T* cols) {
  const int64_t c = g.c, run = g.kw * c, row = g.w * c, k = g.kh * run;
  T* dst = cols;
  for (int64_t n = 0; n < g.n; ++n) {
    const T* xn = x + n * g.h * row;
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      const int64_t iy0 = oy * g.sh - g.pt;
      for (int64_t ox = 0; ox < g.ow; ++ox, dst += k) {
        const int64_t ix0 = ox * g.sw - g.pl;
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
            if (hi > lo) std::memcpy(d + lo * c, xr + (ix0 + lo) * c, (hi - lo) * c * sizeof(T));
            std::fill(d + hi * c, d + run, T(0));
          } else {
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              const int64_t ix = ix0 + kx * g.dw;
              if (ix < 0 || ix >= g.w)
                std::fill(d + kx * c, d + (kx + 1) * c, T(0));
              else
                std::memcpy(d + kx * c, xr + ix * c, c * sizeof(T));
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
      for (int64_t ox = 0; ox < g.ow; ++ox, src += k) {
        const int64_t ix0 = ox * g.sw - g.pl;
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          const int64_t iy = iy0 + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          const T* s = src + ky * run;
          T* xr = xn + iy * row;
          if (g.dw == 1) {
            int64_t lo, hi;
            valid_run(ix0, g.kw, g.w, &lo, &hi);
            T* __restrict d = xr + (ix0 + lo) * c;
            const T* __restrict sv = s + lo * c;
            const int64_t len = (hi - lo) * c;
            for (int64_t i = 0; i < len; ++i) d[i] += sv[i];
          } else {
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              const int64_t ix = ix0 + kx * g.dw;
              if (ix < 0 || ix >= g.w) continue;
              T* __restrict d = xr + ix * c;
              const T* __restrict sv = s + kx * c;
              for (int64_t i = 0; i < c; ++i) d[i] += sv[i];
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
