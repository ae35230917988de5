// Reductions over axes and their gradients.
#include "keras/ops/reduce.hpp"

#include <algorithm>

#include "core/dispatch.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/elementwise.hpp"

namespace keras::ops {
namespace detail_reduce {

// Sorted, unique, non-negative axes; every axis when `axes` is empty.
std::vector<int> normalize_axes(const std::vector<int>& axes, int ndim, const char* op) {
  std::vector<int> out;
  if (axes.empty()) {
    for (int i = 0; i < ndim; ++i) out.push_back(i);
    return out;
  }
  for (int a : axes) {
    if (a < -ndim || a >= ndim)
      throw ValueError(std::string(op) + ": axis " + std::to_string(a) +
                       " is out of bounds for a tensor of rank " + std::to_string(ndim) + ".");
    out.push_back(a < 0 ? a + ndim : a);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keepdims) {
  Shape out;
  for (int i = 0; i < static_cast<int>(shape.size()); ++i) {
    if (std::find(axes.begin(), axes.end(), i) != axes.end()) {
      if (keepdims) out.push_back(1);
    } else {
      out.push_back(shape[i]);
    }
  }
  return out;
}

}  // namespace detail_reduce

namespace {

// Sums axis `axis` of x (viewed as outer x n x inner) into a tensor with that axis of length 1.
template <typename T>
Tensor sum_one_axis(const Tensor& x, int axis) {
  const Shape& s = x.shape();
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= s[i];
  for (int i = axis + 1; i < x.ndim(); ++i) inner *= s[i];
  const int64_t n = s[axis];
  Shape os = s;
  os[axis] = 1;
  Tensor out = Tensor::zeros(os, x.dtype());
  const T* src = x.data<T>();
  T* dst = out.data<T>();
  for (int64_t o = 0; o < outer; ++o) {
    T* d = dst + o * inner;
    const T* base = src + o * n * inner;
    if (inner == 1) {
      T acc = T(0);
      for (int64_t k = 0; k < n; ++k) acc += base[k];
      d[0] = acc;
    } else {
      for (int64_t k = 0; k < n; ++k) {
        const T* row = base + k * inner;
        for (int64_t i = 0; i < inner; ++i) d[i] += row[i];
      }
    }
  }
  return out;
}

}  // namespace

Tensor sum(const Tensor& x, const std::vector<int>& axes_in, bool keepdims) {
  const std::vector<int> axes = detail_reduce::normalize_axes(axes_in, x.ndim(), "Sum");
  DType dt = x.dtype();
  if (dt == DType::bool_) dt = DType::int64;
  if (dt == DType::float16 || dt == DType::bfloat16) dt = DType::float32;
  Tensor cur = x.dtype() == dt ? x : x.astype(dt);
  Tensor out;
  {
    autograd::NoGradGuard guard;
    out = detail::dispatch_numeric(dt, "Sum", [&]<typename T>() {
      Tensor r = cur;
      if (axes.size() == static_cast<size_t>(x.ndim())) {  // everything: one flat loop
        Tensor flat = r.reshape({r.size()});
        r = sum_one_axis<T>(flat, 0);
      } else {
        for (int a : axes) r = sum_one_axis<T>(r, a);
      }
      return r.reshape(detail_reduce::reduced_shape(x.shape(), axes, keepdims));
    });
  }
  if (autograd::needs_grad({&x})) {
    Shape xs = x.shape();
    Shape kept = detail_reduce::reduced_shape(xs, axes, true);
    autograd::record(out, "Sum", {x}, [xs, kept](const Tensor& g) {
      return std::vector<Tensor>{broadcast_to(g.reshape(kept), xs)};
    });
  }
  return out;
}

}  // namespace keras::ops
