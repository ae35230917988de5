// transpose / swapaxes / moveaxis: a cache-blocked permuting copy, and its gradient.
#if defined(__AVX__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/ops/reduce_internal.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/linalg.hpp"

namespace keras::ops {
namespace {

constexpr int64_t kTile = 32;  // 32 x 32 elements: both tiles of a 2-D block stay in L1

#if defined(__AVX__)
// The 8 x 8 block of 32-bit elements at src (rows `ss` apart) transposed to dst (rows `ds` apart)
// in registers: unpack pairs, shuffle quads, swap 128-bit halves. Moves bits only, so it serves
// every 4-byte dtype.
inline void transpose_8x8_avx(const uint32_t* s32, int64_t ss, uint32_t* d32, int64_t ds) {
  const float* src = reinterpret_cast<const float*>(s32);
  float* dst = reinterpret_cast<float*>(d32);
  __m256 r[8], t[8], u[8];
  for (int k = 0; k < 8; ++k) r[k] = _mm256_loadu_ps(src + k * ss);
  for (int k = 0; k < 8; k += 2) {
    t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);
    t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);
  }
  for (int k = 0; k < 8; k += 4) {
    u[k] = _mm256_shuffle_ps(t[k], t[k + 2], 0x44);
    u[k + 1] = _mm256_shuffle_ps(t[k], t[k + 2], 0xEE);
    u[k + 2] = _mm256_shuffle_ps(t[k + 1], t[k + 3], 0x44);
    u[k + 3] = _mm256_shuffle_ps(t[k + 1], t[k + 3], 0xEE);
  }
  for (int k = 0; k < 4; ++k) {
    _mm256_storeu_ps(dst + k * ds, _mm256_permute2f128_ps(u[k], u[k + 4], 0x20));
    _mm256_storeu_ps(dst + (k + 4) * ds, _mm256_permute2f128_ps(u[k], u[k + 4], 0x31));
  }
}
#endif

// dst[i * dst_stride + j] = src[i + j * src_stride] for i < rows, j < cols: the core of every
// transpose, walked in kTile x kTile blocks so that neither side thrashes the cache.
template <typename U>
void transpose_2d(const U* src, int64_t src_stride, U* dst, int64_t dst_stride, int64_t rows,
                  int64_t cols) {
#if defined(__AVX__)
  if constexpr (sizeof(U) == 4) {  // float32 / int32: 8 x 8 register blocks, ~3x the loop below
    const int64_t rf = rows / 8 * 8, cf = cols / 8 * 8;
    for (int64_t i0 = 0; i0 < rf; i0 += kTile)
      for (int64_t j0 = 0; j0 < cf; j0 += kTile) {
        const int64_t i1 = std::min(rf, i0 + kTile), j1 = std::min(cf, j0 + kTile);
        for (int64_t i = i0; i < i1; i += 8)
          for (int64_t j = j0; j < j1; j += 8)
            transpose_8x8_avx(src + j * src_stride + i, src_stride, dst + i * dst_stride + j,
                              dst_stride);
      }
    for (int64_t i = 0; i < rows; ++i)  // the ragged right and bottom edges
      for (int64_t j = i < rf ? cf : 0; j < cols; ++j)
        dst[i * dst_stride + j] = src[i + j * src_stride];
    return;
  }
#endif
  for (int64_t i0 = 0; i0 < rows; i0 += kTile) {
    const int64_t i1 = std::min(rows, i0 + kTile);
    for (int64_t j0 = 0; j0 < cols; j0 += kTile) {
      const int64_t j1 = std::min(cols, j0 + kTile);
      for (int64_t i = i0; i < i1; ++i) {
        U* d = dst + i * dst_stride;
        const U* s = src + i;
        for (int64_t j = j0; j < j1; ++j) d[j] = s[j * src_stride];
      }
    }
  }
}

// The permutation after dropping size-1 axes and merging output-adjacent axes that are also
// adjacent (in order) in the input: sizes in output order and the input stride of each.
struct Coalesced {
  std::vector<int64_t> size, in_stride;
};

Coalesced coalesce(const Shape& shape, const std::vector<int>& perm) {
  const int nd = static_cast<int>(shape.size());
  std::vector<int64_t> stride(nd, 1);
  for (int i = nd - 2; i >= 0; --i) stride[i] = stride[i + 1] * shape[i + 1];
  Coalesced c;
  int prev = -2;
  for (int i = 0; i < nd; ++i) {
    const int ax = perm[i];
    if (shape[ax] == 1) continue;
    if (prev >= 0 && ax == prev + 1 && !c.size.empty()) {
      c.size.back() *= shape[ax];
      c.in_stride.back() = stride[ax];
    } else {
      c.size.push_back(shape[ax]);
      c.in_stride.push_back(stride[ax]);
    }
    prev = ax;
  }
  return c;
}

template <typename U>
void permute_copy(const U* src, U* dst, const Coalesced& c) {
  const int nd = static_cast<int>(c.size.size());
  const int64_t total =
      std::accumulate(c.size.begin(), c.size.end(), int64_t{1}, std::multiplies<int64_t>());
  if (nd <= 1) {  // order unchanged
    std::memcpy(dst, src, sizeof(U) * total);
    return;
  }
  std::vector<int64_t> out_stride(nd, 1);
  for (int i = nd - 2; i >= 0; --i) out_stride[i] = out_stride[i + 1] * c.size[i + 1];
  const int q = nd - 1;  // the output's contiguous axis
  // The input's contiguous axis (stride 1) at output position r. When r == q the last axis stays
  // last and rows are copied whole; otherwise each step transposes one 2-D block.
  int r = 0;
  while (c.in_stride[r] != 1) ++r;
  // Every other axis is looped over with a counter.
  std::vector<int> outer;
  for (int i = 0; i < nd; ++i)
    if (i != q && i != r) outer.push_back(i);
  std::vector<int64_t> idx(outer.size(), 0);
  const int64_t blocks = total / (r == q ? c.size[q] : c.size[q] * c.size[r]);
  int64_t in_off = 0, out_off = 0;
  for (int64_t t = 0; t < blocks; ++t) {
    if (r == q) {
      std::memcpy(dst + out_off, src + in_off, sizeof(U) * c.size[q]);
    } else {
      transpose_2d(src + in_off, c.in_stride[q], dst + out_off, out_stride[r], c.size[r],
                   c.size[q]);
    }
    for (int d = static_cast<int>(outer.size()) - 1; d >= 0; --d) {
      const int ax = outer[d];
      if (++idx[d] < c.size[ax]) {
        in_off += c.in_stride[ax];
        out_off += out_stride[ax];
        break;
      }
      in_off -= c.in_stride[ax] * (c.size[ax] - 1);
      out_off -= out_stride[ax] * (c.size[ax] - 1);
      idx[d] = 0;
    }
  }
}

std::vector<int> check_perm(const std::vector<int>& axes, int nd, const Shape& shape) {
  std::vector<int> perm(nd);
  if (axes.empty()) {
    for (int i = 0; i < nd; ++i) perm[i] = nd - 1 - i;
    return perm;
  }
  auto fail = [&]() {
    std::string got = "(";
    for (size_t i = 0; i < axes.size(); ++i) got += (i ? ", " : "") + std::to_string(axes[i]);
    throw ValueError("transpose: axes must be a permutation of the " + std::to_string(nd) +
                     " axes of a tensor of shape " + shape_str(shape) + ", received " + got + ").");
  };
  if (static_cast<int>(axes.size()) != nd) fail();
  std::vector<bool> seen(nd, false);
  for (int i = 0; i < nd; ++i) {
    int a = axes[i];
    if (a < -nd || a >= nd) fail();
    if (a < 0) a += nd;
    if (seen[a]) fail();
    seen[a] = true;
    perm[i] = a;
  }
  return perm;
}

}  // namespace

Tensor transpose(const Tensor& x, const std::vector<int>& axes) {
  if (!x.defined()) throw ValueError("transpose: the input is an undefined tensor.");
  const int nd = x.ndim();
  const std::vector<int> perm = check_perm(axes, nd, x.shape());
  bool identity = true;
  for (int i = 0; i < nd; ++i) identity = identity && perm[i] == i;
  if (identity) return x;
  Shape out_shape(nd);
  for (int i = 0; i < nd; ++i) out_shape[i] = x.shape()[perm[i]];
  Tensor out = Tensor::empty(out_shape, x.dtype());
  if (x.size() > 0) {
    const Coalesced c = coalesce(x.shape(), perm);
    detail::dispatch_bytes(x.dtype(), "Transpose", [&]<typename U>() {
      permute_copy(static_cast<const U*>(x.raw_data()), static_cast<U*>(out.raw_data()), c);
    });
  }
  if (autograd::needs_grad({&x})) {
    std::vector<int> inverse(nd);
    for (int i = 0; i < nd; ++i) inverse[perm[i]] = i;
    autograd::record(out, "Transpose", {x}, [inverse](const Tensor& g) {
      return std::vector<Tensor>{transpose(g, inverse)};
    });
  }
  return out;
}

Tensor swapaxes(const Tensor& x, int axis1, int axis2) {
  const int nd = x.ndim();
  const int a1 = detail_reduce::normalize_axis(axis1, nd, "swapaxes");
  const int a2 = detail_reduce::normalize_axis(axis2, nd, "swapaxes");
  std::vector<int> perm(nd);
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[a1], perm[a2]);
  return transpose(x, perm);
}

Tensor moveaxis(const Tensor& x, int source, int destination) {
  const int nd = x.ndim();
  const int s = detail_reduce::normalize_axis(source, nd, "moveaxis");
  const int d = detail_reduce::normalize_axis(destination, nd, "moveaxis");
  std::vector<int> perm;
  for (int i = 0; i < nd; ++i)
    if (i != s) perm.push_back(i);
  perm.insert(perm.begin() + d, s);
  return transpose(x, perm);
}

}  // namespace keras::ops
