// sum, mean, prod, max, min, argmax, argmin and their gradients; the shared reduction engine.
#include "keras/ops/reduce.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/dispatch.hpp"
#include "core/ops/broadcast.hpp"
#include "core/ops/reduce_internal.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/elementwise.hpp"

namespace keras::ops {
namespace detail_reduce {

std::vector<int> normalize_axes(const std::vector<int>& axes, int ndim, const char* op) {
  std::vector<int> out;
  if (axes.empty()) {
    for (int i = 0; i < ndim; ++i) out.push_back(i);
    return out;
  }
  for (int a : axes) out.push_back(normalize_axis(a, ndim, op));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

int normalize_axis(int axis, int ndim, const char* op) {
  if (axis < -ndim || axis >= ndim)
    throw ValueError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of bounds for a tensor of rank " + std::to_string(ndim) + ".");
  return axis < 0 ? axis + ndim : axis;
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

int64_t reduced_count(const Shape& shape, const std::vector<int>& axes) {
  int64_t n = 1;
  for (int a : axes) n *= shape[a];
  return n;
}

AxisView axis_view(const Shape& shape, int axis) {
  AxisView v;
  for (int i = 0; i < axis; ++i) v.outer *= shape[i];
  v.n = shape[axis];
  for (size_t i = axis + 1; i < shape.size(); ++i) v.inner *= shape[i];
  return v;
}

DType float_compute_type(DType d) { return d == DType::float64 ? DType::float64 : DType::float32; }

Tensor broadcast_grad(const Tensor& g, const Shape& kept, const Shape& input_shape) {
  return broadcast_to(g.reshape(kept), input_shape);
}

}  // namespace detail_reduce

namespace {

using detail_reduce::AxisView;

// Combines `n` rows of length `inner` into dst (outer times). A row reduction (inner == 1) keeps
// kLanes independent accumulators: the compiler vectorizes them (several vector registers, so
// the adds overlap) without having to reassociate the sum itself.
constexpr int kLanes = 32;

template <typename T, typename Op>
void reduce_rows(const T* src, T* dst, const AxisView& v, T init, Op op) {
  for (int64_t o = 0; o < v.outer; ++o) {
    const T* base = src + o * v.n * v.inner;
    if (v.inner == 1) {
      T acc[kLanes];
      for (int j = 0; j < kLanes; ++j) acc[j] = init;
      int64_t k = 0;
      for (; k + kLanes <= v.n; k += kLanes)
        for (int j = 0; j < kLanes; ++j) acc[j] = op(acc[j], base[k + j]);
      for (; k < v.n; ++k) acc[0] = op(acc[0], base[k]);
      T r = init;
      for (int j = 0; j < kLanes; ++j) r = op(r, acc[j]);
      dst[o] = r;
    } else {
      T* d = dst + o * v.inner;
      if (v.n == 0) {
        std::fill(d, d + v.inner, init);
        continue;
      }
      std::memcpy(d, base, sizeof(T) * v.inner);
      for (int64_t k = 1; k < v.n; ++k) {
        const T* row = base + k * v.inner;
        for (int64_t i = 0; i < v.inner; ++i) d[i] = op(d[i], row[i]);
      }
    }
  }
}

// Reduces the normalized `axes`: size-1 dimensions are dropped and neighbouring dimensions that
// are both reduced or both kept are merged, so that each pass is one (outer, n, inner) sweep.
template <typename T, typename Op>
Tensor reduce_engine(const Tensor& x, const std::vector<int>& axes, bool keepdims, T init, Op op) {
  struct Group {
    int64_t size;
    bool reduced;
  };
  std::vector<Group> groups;
  for (int i = 0; i < x.ndim(); ++i) {
    const int64_t d = x.shape()[i];
    const bool r = std::find(axes.begin(), axes.end(), i) != axes.end();
    if (d == 1) continue;
    if (!groups.empty() && groups.back().reduced == r) {
      groups.back().size *= d;
    } else {
      groups.push_back({d, r});
    }
  }
  const Shape out_shape = detail_reduce::reduced_shape(x.shape(), axes, keepdims);
  Tensor cur = x;
  for (int g = static_cast<int>(groups.size()) - 1; g >= 0; --g) {
    if (!groups[g].reduced) continue;
    AxisView v;
    for (int i = 0; i < g; ++i) v.outer *= groups[i].size;
    v.n = groups[g].size;
    for (size_t i = g + 1; i < groups.size(); ++i) v.inner *= groups[i].size;
    Tensor next = Tensor::empty({v.outer * v.inner}, x.dtype());
    reduce_rows<T>(cur.data<T>(), next.data<T>(), v, init, op);
    cur = next;
    groups.erase(groups.begin() + g);
  }
  if (cur.shares_storage(x)) cur = x.clone();  // nothing reduced: the result owns its bytes
  return cur.reshape(out_shape);
}

// The identity of max / min: -inf / +inf for floats (so that a row of -inf reduces to -inf).
template <typename T>
T lowest_value() {
  if constexpr (std::is_floating_point_v<T>) return -std::numeric_limits<T>::infinity();
  return std::numeric_limits<T>::lowest();
}
template <typename T>
T highest_value() {
  if constexpr (std::is_floating_point_v<T>) return std::numeric_limits<T>::infinity();
  return std::numeric_limits<T>::max();
}

// max / min that propagate NaN: a NaN b enters the accumulator a, and a NaN accumulator stays
// (every comparison with it is false). Branch-free selects, so the loops vectorize.
template <typename T>
T nan_max(T a, T b) {
  return (b > a || b != b) ? b : a;
}
template <typename T>
T nan_min(T a, T b) {
  return (b < a || b != b) ? b : a;
}

// Order-preserving numeric type for max/min/argmax: half types as float32, bool as uint8.
DType ordered_type(DType d) {
  if (d == DType::float16 || d == DType::bfloat16) return DType::float32;
  if (d == DType::bool_) return DType::uint8;
  return d;
}

void check_defined(const Tensor& x, const char* op) {
  if (!x.defined()) throw ValueError(std::string(op) + ": the input is an undefined tensor.");
}

Tensor extremum(const Tensor& x, const std::vector<int>& axes_in, bool keepdims, bool is_max) {
  const char* name = is_max ? "Max" : "Min";
  check_defined(x, name);
  const std::vector<int> axes = detail_reduce::normalize_axes(axes_in, x.ndim(), name);
  if (detail_reduce::reduced_count(x.shape(), axes) == 0 &&
      shape_size(detail_reduce::reduced_shape(x.shape(), axes, false)) > 0)
    throw ValueError(std::string(name) + ": cannot reduce an empty axis of a tensor of shape " +
                     shape_str(x.shape()) + "; the reduction has no identity.");
  const DType ct = ordered_type(x.dtype());
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = is_max ? detail_reduce::max_raw(x.astype(ct), axes, keepdims)
                 : detail_reduce::min_raw(x.astype(ct), axes, keepdims);
    out = out.astype(x.dtype());
  }
  if (is_floating(x.dtype()) && autograd::needs_grad({&x})) {
    const Shape kept = detail_reduce::reduced_shape(x.shape(), axes, true);
    Tensor y = out;  // a handle without grad node: no reference cycle through the closure
    autograd::record(out, name, {x}, [x, y, axes, kept](const Tensor& g) {
      autograd::NoGradGuard guard;
      const DType ct = detail_reduce::float_compute_type(x.dtype());
      const Tensor xc = x.astype(ct), yc = y.astype(ct).reshape(kept);
      Tensor mask = Tensor::empty(x.shape(), ct);
      detail::dispatch_float(ct, "MaxGrad", [&]<typename T>() {
        detail::broadcast_binary(xc.data<T>(), xc.shape(), yc.data<T>(), kept, mask.data<T>(),
                                 x.shape(), [](T a, T b) { return a == b ? T(1) : T(0); });
      });
      // TensorFlow's rule: indicators / number of ties * gradient.
      const Tensor count = detail_reduce::sum_raw(mask, axes, true);
      const Tensor scale = divide(g.astype(ct).reshape(kept), count);
      return std::vector<Tensor>{multiply(mask, scale).astype(x.dtype())};
    });
  }
  return out;
}

template <bool kMax>
Tensor arg_extremum(const Tensor& x_in, std::optional<int> axis_in, bool keepdims) {
  const char* name = kMax ? "ArgMax" : "ArgMin";
  check_defined(x_in, name);
  const Tensor x = axis_in ? x_in.astype(ordered_type(x_in.dtype()))
                           : x_in.astype(ordered_type(x_in.dtype())).reshape({x_in.size()});
  const int axis = detail_reduce::normalize_axis(axis_in.value_or(0), std::max(x.ndim(), 1), name);
  if (x.ndim() == 0) return Tensor::zeros({}, DType::int64);  // numpy: argmax of a scalar is 0
  const AxisView v = detail_reduce::axis_view(x.shape(), axis);
  if (v.n == 0)
    throw ValueError(std::string(name) + ": attempt to get the index of the extremum of an " +
                     "empty axis (tensor of shape " + shape_str(x_in.shape()) + ").");
  Shape out_shape;
  if (axis_in) {
    out_shape = detail_reduce::reduced_shape(x.shape(), {axis}, keepdims);
  } else if (keepdims) {
    out_shape.assign(x_in.ndim(), 1);
  }
  Tensor out = Tensor::empty(out_shape, DType::int64);
  int64_t* dst = out.data<int64_t>();
  detail::dispatch_numeric(x.dtype(), name, [&]<typename T>() {
    // NaN wins (numpy): a candidate replaces the best when it is better or a first NaN.
    auto better = [](T c, T best) {
      if constexpr (std::is_floating_point_v<T>) {
        if (best != best) return false;
        if (c != c) return true;
      }
      return kMax ? c > best : c < best;
    };
    const T* src = x.data<T>();
    std::vector<T> best(v.inner);
    for (int64_t o = 0; o < v.outer; ++o) {
      const T* base = src + o * v.n * v.inner;
      int64_t* d = dst + o * v.inner;
      if (v.inner == 1) {  // one contiguous row (class scores on the last axis)
        T b = base[0];
        int64_t bi = 0;
        for (int64_t k = 1; k < v.n; ++k)
          if (better(base[k], b)) {
            b = base[k];
            bi = k;
          }
        d[0] = bi;
        continue;
      }
      std::copy(base, base + v.inner, best.begin());
      std::fill(d, d + v.inner, 0);
      for (int64_t k = 1; k < v.n; ++k) {
        const T* row = base + k * v.inner;
        for (int64_t i = 0; i < v.inner; ++i) {
          if (better(row[i], best[i])) {
            best[i] = row[i];
            d[i] = k;
          }
        }
      }
    }
  });
  return out;
}

}  // namespace

namespace detail_reduce {

Tensor sum_raw(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return detail::dispatch_numeric(x.dtype(), "Sum", [&]<typename T>() {
    return reduce_engine<T>(x, axes, keepdims, T(0), [](T a, T b) { return T(a + b); });
  });
}

Tensor max_raw(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return detail::dispatch_numeric(x.dtype(), "Max", [&]<typename T>() {
    return reduce_engine<T>(x, axes, keepdims, lowest_value<T>(),
                            [](T a, T b) { return nan_max(a, b); });
  });
}

Tensor min_raw(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return detail::dispatch_numeric(x.dtype(), "Min", [&]<typename T>() {
    return reduce_engine<T>(x, axes, keepdims, highest_value<T>(),
                            [](T a, T b) { return nan_min(a, b); });
  });
}

}  // namespace detail_reduce

Tensor sum(const Tensor& x, const std::vector<int>& axes_in, bool keepdims) {
  check_defined(x, "Sum");
  const std::vector<int> axes = detail_reduce::normalize_axes(axes_in, x.ndim(), "Sum");
  DType dt = x.dtype();
  if (dt == DType::bool_) dt = DType::int64;
  if (dt == DType::float16 || dt == DType::bfloat16) dt = DType::float32;
  Tensor out;
  {
    autograd::NoGradGuard guard;
    out = detail_reduce::sum_raw(x.astype(dt), axes, keepdims);
  }
  if (autograd::needs_grad({&x})) {
    Shape xs = x.shape();
    Shape kept = detail_reduce::reduced_shape(xs, axes, true);
    autograd::record(out, "Sum", {x}, [xs, kept](const Tensor& g) {
      return std::vector<Tensor>{detail_reduce::broadcast_grad(g, kept, xs)};
    });
  }
  return out;
}

Tensor mean(const Tensor& x, const std::vector<int>& axes_in, bool keepdims) {
  check_defined(x, "Mean");
  const std::vector<int> axes = detail_reduce::normalize_axes(axes_in, x.ndim(), "Mean");
  const DType ct = detail_reduce::float_compute_type(x.dtype());
  const int64_t count = detail_reduce::reduced_count(x.shape(), axes);
  Tensor out;
  {
    autograd::NoGradGuard guard;
    out = detail_reduce::sum_raw(x.astype(ct), axes, keepdims);
    // 0 / 0 gives NaN for an empty reduction, as numpy does.
    detail::dispatch_float(ct, "Mean", [&]<typename T>() {
      T* p = out.data<T>();
      const T inv = T(1) / static_cast<T>(count);
      for (int64_t i = 0; i < out.size(); ++i) p[i] = count ? p[i] * inv : p[i] / T(0);
    });
    if (is_floating(x.dtype())) out = out.astype(x.dtype());
  }
  if (is_floating(x.dtype()) && autograd::needs_grad({&x})) {
    Shape xs = x.shape();
    Shape kept = detail_reduce::reduced_shape(xs, axes, true);
    const DType xd = x.dtype();
    autograd::record(out, "Mean", {x}, [xs, kept, count, xd](const Tensor& g) {
      Tensor scaled = g * (1.0 / static_cast<double>(count));
      return std::vector<Tensor>{detail_reduce::broadcast_grad(scaled, kept, xs).astype(xd)};
    });
  }
  return out;
}

Tensor prod(const Tensor& x, const std::vector<int>& axes_in, bool keepdims) {
  check_defined(x, "Prod");
  const std::vector<int> axes = detail_reduce::normalize_axes(axes_in, x.ndim(), "Prod");
  DType dt = x.dtype();
  if (dt == DType::bool_) dt = DType::int64;
  if (dt == DType::float16 || dt == DType::bfloat16) dt = DType::float32;
  Tensor out;
  {
    autograd::NoGradGuard guard;
    out = detail::dispatch_numeric(dt, "Prod", [&]<typename T>() {
      return reduce_engine<T>(x.astype(dt), axes, keepdims, T(1),
                              [](T a, T b) { return T(a * b); });
    });
  }
  if (is_floating(x.dtype()) && autograd::needs_grad({&x})) {
    const Shape kept = detail_reduce::reduced_shape(x.shape(), axes, true);
    autograd::record(out, "Prod", {x}, [x, axes, kept](const Tensor& g) {
      // d prod / d x_i is the product of the other elements. Per reduced slice, with z zeros and
      // p the product of the non-zero elements: z == 0 gives p / x_i; z == 1 gives p at the zero
      // and 0 elsewhere; z >= 2 gives 0 everywhere (TensorFlow's ProdGrad handles zeros alike).
      const DType ct = detail_reduce::float_compute_type(x.dtype());
      const Tensor xc = x.astype(ct);
      Tensor dx = Tensor::empty(x.shape(), ct);
      detail::dispatch_float(ct, "ProdGrad", [&]<typename T>() {
        Tensor nonzero = Tensor::empty(x.shape(), ct), is_zero = Tensor::empty(x.shape(), ct);
        const T* px = xc.data<T>();
        for (int64_t i = 0; i < x.size(); ++i) {
          nonzero.data<T>()[i] = px[i] == T(0) ? T(1) : px[i];
          is_zero.data<T>()[i] = px[i] == T(0) ? T(1) : T(0);
        }
        const Tensor p =
            reduce_engine<T>(nonzero, axes, true, T(1), [](T a, T b) { return a * b; });
        const Tensor z = detail_reduce::sum_raw(is_zero, axes, true);
        const Tensor gk = g.astype(ct).reshape(kept);
        Tensor at_zero = Tensor::empty(kept, ct), elsewhere = Tensor::empty(kept, ct);
        for (int64_t i = 0; i < p.size(); ++i) {
          const T gp = gk.data<T>()[i] * p.data<T>()[i];
          const T zi = z.data<T>()[i];
          at_zero.data<T>()[i] = zi == T(1) ? gp : T(0);
          elsewhere.data<T>()[i] = zi == T(0) ? gp : T(0);
        }
        Tensor part = Tensor::empty(x.shape(), ct);
        detail::broadcast_binary(px, x.shape(), at_zero.data<T>(), kept, dx.data<T>(), x.shape(),
                                 [](T v, T a) { return v == T(0) ? a : T(0); });
        detail::broadcast_binary(px, x.shape(), elsewhere.data<T>(), kept, part.data<T>(),
                                 x.shape(), [](T v, T e) { return v == T(0) ? T(0) : e / v; });
        T* d = dx.data<T>();
        const T* q = part.data<T>();
        for (int64_t i = 0; i < x.size(); ++i) d[i] += q[i];
      });
      return std::vector<Tensor>{dx.astype(x.dtype())};
    });
  }
  return out;
}

Tensor max(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return extremum(x, axes, keepdims, true);
}

Tensor min(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return extremum(x, axes, keepdims, false);
}

Tensor argmax(const Tensor& x, std::optional<int> axis, bool keepdims) {
  return arg_extremum<true>(x, axis, keepdims);
}

Tensor argmin(const Tensor& x, std::optional<int> axis, bool keepdims) {
  return arg_extremum<false>(x, axis, keepdims);
}

}  // namespace keras::ops
