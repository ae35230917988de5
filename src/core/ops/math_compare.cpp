// equal, not_equal, less, less_equal, greater, greater_equal, logical_and/or/xor/not, where,
// isnan, isinf, isfinite: broadcasting predicates with bool results (no gradient, as TF), and
// where with its masked gradient.
#include <cmath>
#include <limits>
#include <string>

#include "core/ops/broadcast.hpp"
#include "core/ops/math_common.hpp"
#include "keras/ops/elementwise.hpp"
#include "keras/ops/math.hpp"

namespace keras::ops {
namespace {

void check_defined(const Tensor& t, const char* op) {
  if (!t.defined()) throw ValueError(std::string(op) + ": an operand is an undefined tensor.");
}

// out (bool) = cmp(a, b) over the broadcast shape, in the operands' common dtype.
template <typename Cmp>
Tensor compare(const Tensor& a_in, const Tensor& b_in, const char* op, bool strings_ok, Cmp cmp) {
  check_defined(a_in, op);
  check_defined(b_in, op);
  const bool sa = a_in.dtype() == DType::string, sb = b_in.dtype() == DType::string;
  if ((sa || sb) && (!(sa && sb) || !strings_ok))
    throw TypeError(std::string(op) + ": cannot compare " + std::string(dtype_name(a_in.dtype())) +
                    " with " + std::string(dtype_name(b_in.dtype())) + ".");
  const Shape shape = broadcast_shapes(a_in.shape(), b_in.shape(), op);
  Tensor out = Tensor::empty(shape, DType::bool_);
  if (sa) {
    detail::broadcast_binary(
        a_in.data<std::string>(), a_in.shape(), b_in.data<std::string>(), b_in.shape(),
        out.data<bool>(), shape,
        [cmp](const std::string& x, const std::string& y) -> bool { return cmp(x, y); });
    return out;
  }
  DType dt = result_type(a_in.dtype(), b_in.dtype());
  if (detail::is_half(dt)) dt = DType::float32;
  const Tensor a = a_in.dtype() == dt ? a_in : a_in.astype(dt);
  const Tensor b = b_in.dtype() == dt ? b_in : b_in.astype(dt);
  auto run = [&]<typename T>() {
    detail::broadcast_binary(a.data<T>(), a.shape(), b.data<T>(), b.shape(), out.data<bool>(),
                             shape, [cmp](T x, T y) -> bool { return cmp(x, y); });
  };
  if (dt == DType::bool_)
    run.template operator()<bool>();
  else
    detail::dispatch_numeric(dt, op, run);
  return out;
}

// Truth values of any non-string tensor (nonzero and NaN are true, as numpy's bool()).
Tensor truth(const Tensor& t, const char* op) {
  check_defined(t, op);
  if (t.dtype() == DType::string)
    throw TypeError(std::string(op) +
                    ": expected a numeric or bool tensor, received a string tensor.");
  return t.dtype() == DType::bool_ ? t : t.astype(DType::bool_);
}

template <typename F>
Tensor logical(const Tensor& x, const Tensor& y, const char* op, F f) {
  const Tensor a = truth(x, op), b = truth(y, op);
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), op);
  Tensor out = Tensor::empty(shape, DType::bool_);
  detail::broadcast_binary(a.data<bool>(), a.shape(), b.data<bool>(), b.shape(), out.data<bool>(),
                           shape, [f](bool p, bool q) -> bool { return f(p, q); });
  return out;
}

// out[i] = c[i] ? a[i] : b[i] over the broadcast shape of all three.
template <typename T>
void where_kernel(const Tensor& c, const Tensor& a, const Tensor& b, Tensor& out) {
  const bool* pc = c.data<bool>();
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  T* po = out.data<T>();
  const Shape& os = out.shape();
  const int64_t n = out.size();
  if (n == 0) return;
  if (c.size() == n && a.size() == n && b.size() == n) {
    for (int64_t i = 0; i < n; ++i) po[i] = pc[i] ? pa[i] : pb[i];
    return;
  }
  const std::vector<int64_t> sc = detail::broadcast_strides(c.shape(), os);
  const std::vector<int64_t> sa = detail::broadcast_strides(a.shape(), os);
  const std::vector<int64_t> sb = detail::broadcast_strides(b.shape(), os);
  const int nd = static_cast<int>(os.size());
  const int64_t inner = os[nd - 1];
  const int64_t jc = sc[nd - 1], ja = sa[nd - 1], jb = sb[nd - 1];
  std::vector<int64_t> idx(nd, 0);
  int64_t oc = 0, oa = 0, ob = 0;
  for (int64_t o = 0; o < n; o += inner) {
    T* dst = po + o;
    if (jc == 1 && ja == 1 && jb == 1) {
      for (int64_t j = 0; j < inner; ++j) dst[j] = pc[oc + j] ? pa[oa + j] : pb[ob + j];
    } else {
      for (int64_t j = 0; j < inner; ++j)
        dst[j] = pc[oc + j * jc] ? pa[oa + j * ja] : pb[ob + j * jb];
    }
    for (int d = nd - 2; d >= 0; --d) {
      if (++idx[d] < os[d]) {
        oc += sc[d];
        oa += sa[d];
        ob += sb[d];
        break;
      }
      oc -= sc[d] * (os[d] - 1);
      oa -= sa[d] * (os[d] - 1);
      ob -= sb[d] * (os[d] - 1);
      idx[d] = 0;
    }
  }
}

// where without autograd: cond already bool, a and b of one dtype.
Tensor where_values(const Tensor& cond, const Tensor& a, const Tensor& b, const Shape& shape) {
  Tensor out = Tensor::empty(shape, a.dtype());
  detail::dispatch_pod(a.dtype(), "SelectV2",
                       [&]<typename T>() { where_kernel<T>(cond, a, b, out); });
  return out;
}

// isnan-like predicates: floats elementwise (halves through float32), integers constant.
template <typename F>
Tensor float_predicate(const Tensor& x_in, const char* op, bool integer_value, F f) {
  check_defined(x_in, op);
  if (x_in.dtype() == DType::string)
    throw TypeError(std::string(op) + ": expected a numeric tensor, received a string tensor.");
  if (!is_floating(x_in.dtype()))
    return Tensor::full(x_in.shape(), integer_value ? 1 : 0, DType::bool_);
  const Tensor x = detail::is_half(x_in.dtype()) ? x_in.astype(DType::float32) : x_in;
  Tensor out = Tensor::empty(x.shape(), DType::bool_);
  detail::dispatch_float(x.dtype(), op, [&]<typename T>() {
    const T* px = x.data<T>();
    bool* po = out.data<bool>();
    const int64_t n = out.size();
    for (int64_t i = 0; i < n; ++i) po[i] = f(px[i]);
  });
  return out;
}

}  // namespace

Tensor equal(const Tensor& x, const Tensor& y) {
  return compare(x, y, "Equal", true, [](const auto& a, const auto& b) { return a == b; });
}
Tensor not_equal(const Tensor& x, const Tensor& y) {
  return compare(x, y, "NotEqual", true, [](const auto& a, const auto& b) { return a != b; });
}
Tensor less(const Tensor& x, const Tensor& y) {
  return compare(x, y, "Less", false, [](const auto& a, const auto& b) { return a < b; });
}
Tensor less_equal(const Tensor& x, const Tensor& y) {
  return compare(x, y, "LessEqual", false, [](const auto& a, const auto& b) { return a <= b; });
}
Tensor greater(const Tensor& x, const Tensor& y) {
  return compare(x, y, "Greater", false, [](const auto& a, const auto& b) { return a > b; });
}
Tensor greater_equal(const Tensor& x, const Tensor& y) {
  return compare(x, y, "GreaterEqual", false, [](const auto& a, const auto& b) { return a >= b; });
}

Tensor logical_and(const Tensor& x, const Tensor& y) {
  return logical(x, y, "LogicalAnd", [](bool p, bool q) { return p && q; });
}
Tensor logical_or(const Tensor& x, const Tensor& y) {
  return logical(x, y, "LogicalOr", [](bool p, bool q) { return p || q; });
}
Tensor logical_xor(const Tensor& x, const Tensor& y) {
  return logical(x, y, "LogicalXor", [](bool p, bool q) { return p != q; });
}

Tensor logical_not(const Tensor& x) {
  const Tensor a = truth(x, "LogicalNot");
  Tensor out = Tensor::empty(a.shape(), DType::bool_);
  const bool* pa = a.data<bool>();
  bool* po = out.data<bool>();
  for (int64_t i = 0; i < out.size(); ++i) po[i] = !pa[i];
  return out;
}

Tensor where(const Tensor& condition, const Tensor& x_in, const Tensor& y_in) {
  const char* op = "SelectV2";
  const Tensor cond = truth(condition, op);
  check_defined(x_in, op);
  check_defined(y_in, op);
  const Shape shape =
      broadcast_shapes(broadcast_shapes(cond.shape(), x_in.shape(), op), y_in.shape(), op);
  const DType dt = result_type(x_in.dtype(), y_in.dtype());
  const Tensor x = x_in.dtype() == dt ? x_in : x_in.astype(dt);
  const Tensor y = y_in.dtype() == dt ? y_in : y_in.astype(dt);
  Tensor out = where_values(cond, x, y, shape);
  if (is_floating(dt) && autograd::needs_grad({&x, &y})) {
    const bool need_x = x.grad_node() != nullptr, need_y = y.grad_node() != nullptr;
    const Shape xs = x.shape(), ys = y.shape();
    autograd::record(out, op, {x, y}, [=](const Tensor& g_in) {
      const Tensor g = detail::grad_as(g_in, dt);
      const Tensor zero = Tensor::zeros({}, dt);
      Tensor gx, gy;
      if (need_x) gx = autograd::reduce_to_shape(where_values(cond, g, zero, shape), xs);
      if (need_y) gy = autograd::reduce_to_shape(where_values(cond, zero, g, shape), ys);
      return std::vector<Tensor>{gx, gy};
    });
  }
  return out;
}

Tensor isnan(const Tensor& x) {
  return float_predicate(x, "IsNan", false, [](auto v) { return v != v; });
}
Tensor isinf(const Tensor& x) {
  return float_predicate(x, "IsInf", false, [](auto v) {
    return std::fabs(v) == std::numeric_limits<decltype(v)>::infinity();
  });
}
Tensor isfinite(const Tensor& x) {
  return float_predicate(x, "IsFinite", true, [](auto v) {
    return std::fabs(v) < std::numeric_limits<decltype(v)>::infinity();  // false for NaN too
  });
}

}  // namespace keras::ops
