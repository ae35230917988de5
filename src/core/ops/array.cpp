// concatenate, stack, split, slice, pad, flip and their gradients.
#include "keras/ops/array.hpp"

#include <cstring>
#include <string>

#include "core/dispatch.hpp"
#include "core/ops/array_internal.hpp"
#include "core/ops/reduce_internal.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/elementwise.hpp"

namespace keras::ops {
namespace detail_array {

void copy_block(const void* src, const Shape& ss, const std::vector<int64_t>& src_off, void* dst,
                const Shape& ds, const std::vector<int64_t>& dst_off,
                const std::vector<int64_t>& ext, size_t elem_size) {
  const int nd = static_cast<int>(ext.size());
  for (int64_t e : ext)
    if (e == 0) return;
  const char* s = static_cast<const char*>(src);
  char* d = static_cast<char*>(dst);
  if (nd == 0) {
    std::memcpy(d, s, elem_size);
    return;
  }
  std::vector<int64_t> sst(nd, 1), dst_st(nd, 1);
  for (int i = nd - 2; i >= 0; --i) {
    sst[i] = sst[i + 1] * ss[i + 1];
    dst_st[i] = dst_st[i + 1] * ds[i + 1];
  }
  int first = nd - 1;
  while (first > 0 && ext[first] == ss[first] && ext[first] == ds[first]) --first;
  int64_t run = 1;
  for (int i = first; i < nd; ++i) run *= ext[i];
  const size_t run_bytes = static_cast<size_t>(run) * elem_size;
  int64_t so = 0, dof = 0;
  for (int i = 0; i < nd; ++i) {
    so += src_off[i] * sst[i];
    dof += dst_off[i] * dst_st[i];
  }
  int64_t runs = 1;
  for (int i = 0; i < first; ++i) runs *= ext[i];
  std::vector<int64_t> idx(first, 0);
  for (int64_t r = 0; r < runs; ++r) {
    std::memcpy(d + dof * elem_size, s + so * elem_size, run_bytes);
    for (int a = first - 1; a >= 0; --a) {
      if (++idx[a] < ext[a]) {
        so += sst[a];
        dof += dst_st[a];
        break;
      }
      so -= sst[a] * (ext[a] - 1);
      dof -= dst_st[a] * (ext[a] - 1);
      idx[a] = 0;
    }
  }
}

void check_pod(const Tensor& x, const char* op) {
  if (!x.defined()) throw ValueError(std::string(op) + ": the input is an undefined tensor.");
  if (x.dtype() == DType::string)
    throw TypeError(std::string(op) + ": string tensors are not supported.");
}

Tensor extract_block(const Tensor& g, const std::vector<int64_t>& offset, const Shape& shape) {
  Tensor out = Tensor::empty(shape, g.dtype());
  copy_block(g.raw_data(), g.shape(), offset, out.raw_data(), shape,
             std::vector<int64_t>(shape.size(), 0), shape, dtype_size(g.dtype()));
  return out;
}

Tensor place_block(const Tensor& g, const std::vector<int64_t>& offset, const Shape& full) {
  Tensor out = Tensor::zeros(full, g.dtype());
  copy_block(g.raw_data(), g.shape(), std::vector<int64_t>(full.size(), 0), out.raw_data(), full,
             offset, g.shape(), dtype_size(g.dtype()));
  return out;
}

}  // namespace detail_array

using detail_array::check_pod;

Tensor concatenate(const std::vector<Tensor>& xs, int axis_in) {
  if (xs.empty()) throw ValueError("concatenate: expected at least one tensor, received none.");
  for (const Tensor& x : xs) check_pod(x, "concatenate");
  const Tensor& x0 = xs[0];
  if (x0.ndim() == 0)
    throw ValueError("concatenate: zero-dimensional tensors cannot be concatenated.");
  const int nd = x0.ndim();
  const int axis = detail_reduce::normalize_axis(axis_in, nd, "concatenate");
  DType dt = x0.dtype();
  Shape out_shape = x0.shape();
  out_shape[axis] = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const Shape& s = xs[i].shape();
    bool ok = xs[i].ndim() == nd;
    for (int d = 0; ok && d < nd; ++d) ok = d == axis || s[d] == x0.shape()[d];
    if (!ok)
      throw ValueError("concatenate: all input shapes must match except along axis " +
                       std::to_string(axis) + "; received " + shape_str(x0.shape()) +
                       " (input 0) and " + shape_str(s) + " (input " + std::to_string(i) + ").");
    out_shape[axis] += s[axis];
    dt = result_type(dt, xs[i].dtype());
  }
  Tensor out = Tensor::empty(out_shape, dt);
  std::vector<int64_t> zero(nd, 0), at(nd, 0);
  {
    autograd::NoGradGuard guard;
    for (const Tensor& x : xs) {
      const Tensor xc = x.astype(dt);
      detail_array::copy_block(xc.raw_data(), xc.shape(), zero, out.raw_data(), out_shape, at,
                               xc.shape(), dtype_size(dt));
      at[axis] += x.shape()[axis];
    }
  }
  if (autograd::needs_grad(xs)) {
    std::vector<Shape> shapes;
    std::vector<DType> dtypes;
    std::vector<bool> wanted;
    for (const Tensor& x : xs) {
      shapes.push_back(x.shape());
      dtypes.push_back(x.dtype());
      wanted.push_back(x.grad_node() != nullptr && is_floating(x.dtype()));
    }
    autograd::record(out, "ConcatV2", xs, [shapes, dtypes, wanted, axis](const Tensor& g) {
      std::vector<Tensor> grads(shapes.size());
      std::vector<int64_t> at(g.ndim(), 0);
      for (size_t i = 0; i < shapes.size(); ++i) {
        if (wanted[i]) grads[i] = detail_array::extract_block(g, at, shapes[i]).astype(dtypes[i]);
        at[axis] += shapes[i][axis];
      }
      return grads;
    });
  }
  return out;
}

Tensor stack(const std::vector<Tensor>& xs, int axis) {
  if (xs.empty()) throw ValueError("stack: expected at least one tensor, received none.");
  for (size_t i = 0; i < xs.size(); ++i) {
    check_pod(xs[i], "stack");
    if (xs[i].shape() != xs[0].shape())
      throw ValueError("stack: all input shapes must be equal; received " +
                       shape_str(xs[0].shape()) + " (input 0) and " + shape_str(xs[i].shape()) +
                       " (input " + std::to_string(i) + ").");
  }
  const int nd = xs[0].ndim() + 1;
  const int a = detail_reduce::normalize_axis(axis, nd, "stack");
  std::vector<Tensor> expanded;
  expanded.reserve(xs.size());
  for (const Tensor& x : xs) expanded.push_back(expand_dims(x, a));
  return concatenate(expanded, a);
}

std::vector<Tensor> split(const Tensor& x, int64_t num, int axis_in) {
  check_pod(x, "split");
  const int axis = detail_reduce::normalize_axis(axis_in, x.ndim(), "split");
  const int64_t n = x.shape()[axis];
  if (num <= 0 || n % num != 0)
    throw ValueError("split: expected a number of parts that divides the axis length " +
                     std::to_string(n) + " of a tensor of shape " + shape_str(x.shape()) +
                     ", received " + std::to_string(num) + ".");
  return split(x, std::vector<int64_t>(num, n / num), axis);
}

std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes_in, int axis_in) {
  check_pod(x, "split");
  const int axis = detail_reduce::normalize_axis(axis_in, x.ndim(), "split");
  const int64_t n = x.shape()[axis];
  std::vector<int64_t> sizes = sizes_in;
  int64_t known = 0;
  int infer = -1;
  auto fail = [&](const std::string& why) {
    std::string got = "[";
    for (size_t i = 0; i < sizes_in.size(); ++i)
      got += (i ? ", " : "") + std::to_string(sizes_in[i]);
    throw ValueError("split: " + why + "; axis " + std::to_string(axis) + " of shape " +
                     shape_str(x.shape()) + ", received sizes " + got + "].");
  };
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1) {
      if (infer >= 0) fail("at most one size can be -1");
      infer = static_cast<int>(i);
    } else if (sizes[i] < 0) {
      fail("sizes must be >= 0 (or -1 once)");
    } else {
      known += sizes[i];
    }
  }
  if (infer >= 0) {
    if (known > n) fail("the sizes exceed the axis length");
    sizes[infer] = n - known;
  } else if (known != n) {
    fail("the sizes must add up to the axis length " + std::to_string(n));
  }
  std::vector<Tensor> parts;
  std::vector<int64_t> begin(x.ndim(), 0);
  std::vector<int64_t> extent(x.shape().begin(), x.shape().end());
  for (int64_t s : sizes) {
    extent[axis] = s;
    parts.push_back(slice(x, begin, extent));
    begin[axis] += s;
  }
  return parts;
}

Tensor slice(const Tensor& x, const std::vector<int64_t>& begin,
             const std::vector<int64_t>& size_in) {
  check_pod(x, "slice");
  const int nd = x.ndim();
  auto fail = [&]() {
    std::string b, s;
    for (size_t i = 0; i < begin.size(); ++i) b += (i ? ", " : "") + std::to_string(begin[i]);
    for (size_t i = 0; i < size_in.size(); ++i) s += (i ? ", " : "") + std::to_string(size_in[i]);
    throw ValueError(
        "slice: expected begin and size with one entry per axis describing a block "
        "inside a tensor of shape " +
        shape_str(x.shape()) + ", received begin [" + b + "] and size [" + s + "].");
  };
  if (static_cast<int>(begin.size()) != nd || static_cast<int>(size_in.size()) != nd) fail();
  Shape size(nd);
  for (int i = 0; i < nd; ++i) {
    const int64_t n = x.shape()[i];
    if (begin[i] < 0 || begin[i] > n) fail();
    size[i] = size_in[i] == -1 ? n - begin[i] : size_in[i];
    if (size[i] < 0 || begin[i] + size[i] > n) fail();
  }
  Tensor out = detail_array::extract_block(x, begin, size);
  if (autograd::needs_grad({&x})) {
    Shape full = x.shape();
    autograd::record(out, "Slice", {x}, [begin, full](const Tensor& g) {
      return std::vector<Tensor>{detail_array::place_block(g, begin, full)};
    });
  }
  return out;
}

Tensor pad(const Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& paddings,
           double constant_value) {
  check_pod(x, "pad");
  const int nd = x.ndim();
  auto fail = [&](const std::string& why) {
    std::string got;
    for (size_t i = 0; i < paddings.size(); ++i)
      got += (i ? ", (" : "(") + std::to_string(paddings[i].first) + ", " +
             std::to_string(paddings[i].second) + ")";
    throw ValueError("pad: " + why + " for a tensor of shape " + shape_str(x.shape()) +
                     ", received [" + got + "].");
  };
  if (static_cast<int>(paddings.size()) != nd) fail("expected one (before, after) pair per axis");
  Shape out_shape(nd);
  std::vector<int64_t> offset(nd);
  for (int i = 0; i < nd; ++i) {
    if (paddings[i].first < 0 || paddings[i].second < 0) fail("expected paddings >= 0");
    offset[i] = paddings[i].first;
    out_shape[i] = x.shape()[i] + paddings[i].first + paddings[i].second;
  }
  Tensor out = Tensor::empty(out_shape, x.dtype());
  detail::dispatch_pod(x.dtype(), "Pad", [&]<typename T>() {
    const T v = detail::from_double<T>(constant_value);
    T* p = out.data<T>();
    for (int64_t i = 0; i < out.size(); ++i) p[i] = v;
  });
  detail_array::copy_block(x.raw_data(), x.shape(), std::vector<int64_t>(nd, 0), out.raw_data(),
                           out_shape, offset, x.shape(), dtype_size(x.dtype()));
  if (autograd::needs_grad({&x})) {
    Shape xs = x.shape();
    autograd::record(out, "PadV2", {x}, [offset, xs](const Tensor& g) {
      return std::vector<Tensor>{detail_array::extract_block(g, offset, xs)};
    });
  }
  return out;
}

Tensor flip(const Tensor& x, const std::vector<int>& axes_in) {
  check_pod(x, "flip");
  const std::vector<int> axes = detail_reduce::normalize_axes(axes_in, x.ndim(), "flip");
  const int nd = x.ndim();
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  if (x.size() > 0 && nd > 0) {
    std::vector<bool> flipped(nd, false);
    for (int a : axes) flipped[a] = true;
    const Shape& s = x.shape();
    std::vector<int64_t> st(nd, 1);
    for (int i = nd - 2; i >= 0; --i) st[i] = st[i + 1] * s[i + 1];
    const int64_t row = s[nd - 1];
    detail::dispatch_bytes(x.dtype(), "ReverseV2", [&]<typename U>() {
      const U* src = static_cast<const U*>(x.raw_data());
      U* dst = static_cast<U*>(out.raw_data());
      // Source offset of output row 0: flipped axes start at their last index.
      int64_t so = 0;
      for (int i = 0; i < nd - 1; ++i)
        if (flipped[i]) so += (s[i] - 1) * st[i];
      std::vector<int64_t> idx(nd, 0);
      for (int64_t o = 0; o < x.size(); o += row) {
        const U* r = src + so;
        U* d = dst + o;
        if (flipped[nd - 1]) {
          for (int64_t j = 0; j < row; ++j) d[j] = r[row - 1 - j];
        } else {
          std::memcpy(d, r, sizeof(U) * row);
        }
        for (int a = nd - 2; a >= 0; --a) {
          const int64_t step = flipped[a] ? -st[a] : st[a];
          if (++idx[a] < s[a]) {
            so += step;
            break;
          }
          so -= step * (s[a] - 1);
          idx[a] = 0;
        }
      }
    });
  } else if (x.size() > 0) {
    out.copy_from(x);
  }
  if (autograd::needs_grad({&x})) {
    autograd::record(out, "ReverseV2", {x},
                     [axes](const Tensor& g) { return std::vector<Tensor>{flip(g, axes)}; });
  }
  return out;
}

}  // namespace keras::ops
