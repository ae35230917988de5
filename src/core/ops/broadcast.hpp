// Internal: the loop nest shared by every broadcasting binary elementwise kernel.
#pragma once

#include <cstdint>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::detail {

// Element strides of `shape` seen through the broadcast output shape `out` (0 on broadcast axes).
std::vector<int64_t> broadcast_strides(const Shape& shape, const Shape& out);

// out[i] = f(a[ia], b[ib]) over the broadcast index space. Contiguous cases (same shape, a scalar
// operand, a trailing-row operand such as a bias) run as flat loops the compiler vectorizes.
template <typename TA, typename TB, typename TO, typename F>
void broadcast_binary(const TA* a, const Shape& as, const TB* b, const Shape& bs, TO* out,
                      const Shape& os, F f) {
  const int64_t n = shape_size(os);
  const int64_t na = shape_size(as), nb = shape_size(bs);
  if (n == 0) return;
  if (na == n && nb == n) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
    return;
  }
  if (nb == 1 && na == n) {
    const TB v = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], v);
    return;
  }
  if (na == 1 && nb == n) {
    const TA v = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(v, b[i]);
    return;
  }
  const std::vector<int64_t> sa = broadcast_strides(as, os), sb = broadcast_strides(bs, os);
  const int nd = static_cast<int>(os.size());
  const int64_t inner = os[nd - 1];
  const int64_t ia_step = sa[nd - 1], ib_step = sb[nd - 1];
  std::vector<int64_t> idx(nd, 0);
  int64_t offa = 0, offb = 0;
  for (int64_t o = 0; o < n; o += inner) {
    TO* dst = out + o;
    if (ia_step == 1 && ib_step == 1) {
      for (int64_t j = 0; j < inner; ++j) dst[j] = f(a[offa + j], b[offb + j]);
    } else if (ia_step == 1 && ib_step == 0) {
      const TB v = b[offb];
      for (int64_t j = 0; j < inner; ++j) dst[j] = f(a[offa + j], v);
    } else if (ia_step == 0 && ib_step == 1) {
      const TA v = a[offa];
      for (int64_t j = 0; j < inner; ++j) dst[j] = f(v, b[offb + j]);
    } else {
      for (int64_t j = 0; j < inner; ++j) dst[j] = f(a[offa + j * ia_step], b[offb + j * ib_step]);
    }
    // Advance the outer index (all but the innermost axis).
    for (int d = nd - 2; d >= 0; --d) {
      if (++idx[d] < os[d]) {
        offa += sa[d];
        offb += sb[d];
        break;
      }
      offa -= sa[d] * (os[d] - 1);
      offb -= sb[d] * (os[d] - 1);
      idx[d] = 0;
    }
  }
}

}  // namespace keras::detail
