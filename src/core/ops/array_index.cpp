// take / gather, one_hot, expand_dims, squeeze, zeros_like / ones_like / full_like.
#include <cstring>
#include <string>

#include "core/dispatch.hpp"
#include "core/ops/array_internal.hpp"
#include "core/ops/reduce_internal.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/array.hpp"

namespace keras::ops {
namespace {

// Indices as int64, every one checked against [-n, n) and made non-negative.
std::vector<int64_t> checked_indices(const Tensor& indices, int64_t n, int axis, const char* op) {
  if (!indices.defined()) throw ValueError(std::string(op) + ": indices is an undefined tensor.");
  if (!is_integer(indices.dtype()))
    throw TypeError(std::string(op) + ": indices must be an integer tensor, received dtype " +
                    std::string(dtype_name(indices.dtype())) + ".");
  std::vector<int64_t> idx = indices.to_vector<int64_t>();
  for (int64_t& i : idx) {
    if (i < -n || i >= n)
      throw IndexError(std::string(op) + ": index " + std::to_string(i) +
                       " is out of bounds for axis " + std::to_string(axis) + " with size " +
                       std::to_string(n) + ".");
    if (i < 0) i += n;
  }
  return idx;
}

Tensor take_along(const Tensor& x, const Tensor& indices, int axis_in, const char* op) {
  detail_array::check_pod(x, op);
  if (x.ndim() == 0) throw ValueError(std::string(op) + ": cannot index a scalar tensor.");
  const int axis = detail_reduce::normalize_axis(axis_in, x.ndim(), op);
  const detail_reduce::AxisView v = detail_reduce::axis_view(x.shape(), axis);
  const std::vector<int64_t> idx = checked_indices(indices, v.n, axis, op);
  const int64_t m = static_cast<int64_t>(idx.size());
  Shape out_shape(x.shape().begin(), x.shape().begin() + axis);
  out_shape.insert(out_shape.end(), indices.shape().begin(), indices.shape().end());
  out_shape.insert(out_shape.end(), x.shape().begin() + axis + 1, x.shape().end());
  Tensor out = Tensor::empty(out_shape, x.dtype());
  const size_t es = dtype_size(x.dtype());
  const size_t row = static_cast<size_t>(v.inner) * es;
  const char* src = static_cast<const char*>(x.raw_data());
  char* dst = static_cast<char*>(out.raw_data());
  for (int64_t o = 0; o < v.outer; ++o)
    for (int64_t j = 0; j < m; ++j)
      std::memcpy(dst + (o * m + j) * row, src + (o * v.n + idx[j]) * row, row);
  if (is_floating(x.dtype()) && autograd::needs_grad({&x})) {
    const Shape xs = x.shape();
    autograd::record(out, "GatherV2", {x}, [xs, idx, v](const Tensor& g) {
      // Scatter-add: repeated indices (a word seen twice by an Embedding) accumulate.
      const DType ct = detail_reduce::float_compute_type(g.dtype());
      const Tensor gc = g.astype(ct);
      Tensor dx = Tensor::zeros(xs, ct);
      const int64_t m = static_cast<int64_t>(idx.size());
      detail::dispatch_float(ct, "GatherGrad", [&]<typename T>() {
        const T* pg = gc.data<T>();
        T* pd = dx.data<T>();
        for (int64_t o = 0; o < v.outer; ++o)
          for (int64_t j = 0; j < m; ++j) {
            const T* s = pg + (o * m + j) * v.inner;
            T* d = pd + (o * v.n + idx[j]) * v.inner;
            for (int64_t i = 0; i < v.inner; ++i) d[i] += s[i];
          }
      });
      return std::vector<Tensor>{dx.astype(g.dtype())};
    });
  }
  return out;
}

}  // namespace

Tensor take(const Tensor& x, const Tensor& indices, std::optional<int> axis) {
  if (!axis) {
    detail_array::check_pod(x, "take");
    return take_along(x.reshape({x.size()}), indices, 0, "take");
  }
  return take_along(x, indices, *axis, "take");
}

Tensor gather(const Tensor& x, const Tensor& indices, int axis) {
  return take_along(x, indices, axis, "gather");
}

Tensor expand_dims(const Tensor& x, int axis) {
  detail_array::check_pod(x, "expand_dims");
  const int nd = x.ndim() + 1;
  const int a = detail_reduce::normalize_axis(axis, nd, "expand_dims");
  Shape s = x.shape();
  s.insert(s.begin() + a, 1);
  return x.reshape(s);
}

Tensor squeeze(const Tensor& x, std::optional<int> axis) {
  if (!x.defined()) throw ValueError("squeeze: the input is an undefined tensor.");
  Shape s;
  if (axis) {
    const int a = detail_reduce::normalize_axis(*axis, x.ndim(), "squeeze");
    if (x.shape()[a] != 1)
      throw ValueError("squeeze: cannot squeeze axis " + std::to_string(*axis) + " of length " +
                       std::to_string(x.shape()[a]) + " (tensor of shape " + shape_str(x.shape()) +
                       "); expected length 1.");
    s = x.shape();
    s.erase(s.begin() + a);
  } else {
    for (int64_t d : x.shape())
      if (d != 1) s.push_back(d);
  }
  return x.reshape(s);
}

Tensor one_hot(const Tensor& indices, int64_t depth, DType dtype) {
  if (!indices.defined()) throw ValueError("one_hot: indices is an undefined tensor.");
  if (!is_integer(indices.dtype()))
    throw TypeError("one_hot: indices must be an integer tensor, received dtype " +
                    std::string(dtype_name(indices.dtype())) + ".");
  if (depth < 0)
    throw ValueError("one_hot: expected depth >= 0, received " + std::to_string(depth) + ".");
  Shape s = indices.shape();
  s.push_back(depth);
  Tensor out = Tensor::zeros(s, dtype);
  const std::vector<int64_t> idx = indices.to_vector<int64_t>();
  detail::dispatch_pod(dtype, "OneHot", [&]<typename T>() {
    T* p = out.data<T>();
    const T on = detail::from_double<T>(1.0);
    for (size_t i = 0; i < idx.size(); ++i)
      if (idx[i] >= 0 && idx[i] < depth) p[static_cast<int64_t>(i) * depth + idx[i]] = on;
  });
  return out;
}

Tensor zeros_like(const Tensor& x, std::optional<DType> dtype) { return full_like(x, 0.0, dtype); }

Tensor ones_like(const Tensor& x, std::optional<DType> dtype) { return full_like(x, 1.0, dtype); }

Tensor full_like(const Tensor& x, double fill_value, std::optional<DType> dtype) {
  if (!x.defined()) throw ValueError("full_like: the input is an undefined tensor.");
  return Tensor::full(x.shape(), fill_value, dtype.value_or(x.dtype()));
}

}  // namespace keras::ops
