// add, subtract, multiply, divide, negative: broadcasting arithmetic and its gradients.
#include <cmath>

#include "core/dispatch.hpp"
#include "core/ops/broadcast.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/elementwise.hpp"

namespace keras {
namespace detail {

std::vector<int64_t> broadcast_strides(const Shape& shape, const Shape& out) {
  const int nd = static_cast<int>(out.size());
  const int ns = static_cast<int>(shape.size());
  std::vector<int64_t> strides(nd, 0);
  int64_t stride = 1;
  for (int i = ns - 1; i >= 0; --i) {
    const int o = i + nd - ns;
    strides[o] = shape[i] == 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

}  // namespace detail

namespace ops {

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ValueError(std::string(op) + ": incompatible shapes " + shape_str(a) + " and " +
                       shape_str(b) + " cannot be broadcast together.");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

DType result_type(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::string || b == DType::string)
    throw TypeError("Cannot combine a string tensor with a " +
                    std::string(dtype_name(a == DType::string ? b : a)) + " tensor.");
  auto rank = [](DType d) {
    switch (d) {
      case DType::bool_: return 0;
      case DType::uint8: return 1;
      case DType::int8: return 2;
      case DType::int16: return 3;
      case DType::int32: return 4;
      case DType::int64: return 5;
      case DType::bfloat16: return 6;
      case DType::float16: return 7;
      case DType::float32: return 8;
      case DType::float64: return 9;
      default: return -1;
    }
  };
  // float16 with bfloat16 has no exact common type narrower than float32.
  if ((a == DType::float16 && b == DType::bfloat16) || (a == DType::bfloat16 && b == DType::float16))
    return DType::float32;
  if (a == DType::uint8 && b == DType::int8) return DType::int16;
  if (a == DType::int8 && b == DType::uint8) return DType::int16;
  return rank(a) >= rank(b) ? a : b;
}

Tensor scalar_like(double value, const Tensor& like) {
  DType d = like.dtype();
  if (d == DType::float16 || d == DType::bfloat16) d = DType::float32;
  if ((is_integer(d) || d == DType::bool_) && value != std::floor(value)) d = DType::float32;
  if (d == DType::bool_) d = DType::int32;
  return Tensor::scalar(value, d);
}

namespace {

// Arithmetic runs in float32/float64/integers; half types compute through float32.
DType compute_type(DType d) {
  if (d == DType::float16 || d == DType::bfloat16) return DType::float32;
  if (d == DType::bool_) return DType::int32;
  return d;
}

template <typename Op>
Tensor binary_forward(const Tensor& a_in, const Tensor& b_in, const char* name, Op op) {
  if (!a_in.defined() || !b_in.defined())
    throw ValueError(std::string(name) + ": an operand is an undefined tensor.");
  const Shape out_shape = broadcast_shapes(a_in.shape(), b_in.shape(), name);
  const DType dt = compute_type(result_type(a_in.dtype(), b_in.dtype()));
  const Tensor a = a_in.dtype() == dt ? a_in : a_in.astype(dt);
  const Tensor b = b_in.dtype() == dt ? b_in : b_in.astype(dt);
  Tensor out = Tensor::empty(out_shape, dt);
  detail::dispatch_numeric(dt, name, [&]<typename T>() {
    detail::broadcast_binary(a.data<T>(), a.shape(), b.data<T>(), b.shape(), out.data<T>(),
                             out_shape, [op](T x, T y) -> T { return op(x, y); });
  });
  return out;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(a, b, "Add", [](auto x, auto y) { return x + y; });
  if (autograd::needs_grad({&a, &b})) {
    Shape sa = a.shape(), sb = b.shape();
    autograd::record(out, "AddV2", {a, b}, [sa, sb](const Tensor& g) {
      return std::vector<Tensor>{autograd::reduce_to_shape(g, sa), autograd::reduce_to_shape(g, sb)};
    });
  }
  return out;
}

Tensor subtract(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(a, b, "Sub", [](auto x, auto y) { return x - y; });
  if (autograd::needs_grad({&a, &b})) {
    Shape sa = a.shape(), sb = b.shape();
    autograd::record(out, "Sub", {a, b}, [sa, sb](const Tensor& g) {
      return std::vector<Tensor>{autograd::reduce_to_shape(g, sa),
                                 autograd::reduce_to_shape(negative(g), sb)};
    });
  }
  return out;
}

Tensor multiply(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(a, b, "Mul", [](auto x, auto y) { return x * y; });
  if (autograd::needs_grad({&a, &b})) {
    autograd::record(out, "Mul", {a, b}, [a, b](const Tensor& g) {
      return std::vector<Tensor>{
          a.grad_node() ? autograd::reduce_to_shape(multiply(g, b), a.shape()) : Tensor(),
          b.grad_node() ? autograd::reduce_to_shape(multiply(g, a), b.shape()) : Tensor()};
    });
  }
  return out;
}

Tensor divide(const Tensor& a_in, const Tensor& b_in) {
  // Integer / integer is true division (tf.math.truediv), never a trapping integer divide.
  const bool int_like = a_in.defined() && b_in.defined() &&
                        (is_integer(a_in.dtype()) || a_in.dtype() == DType::bool_) &&
                        (is_integer(b_in.dtype()) || b_in.dtype() == DType::bool_);
  const DType true_div = a_in.dtype() == DType::int64 || b_in.dtype() == DType::int64
                             ? DType::float64
                             : DType::float32;
  const Tensor a = int_like ? a_in.astype(true_div) : a_in;
  const Tensor b = int_like ? b_in.astype(true_div) : b_in;
  Tensor out = binary_forward(a, b, "RealDiv", [](auto x, auto y) { return x / y; });
  if (autograd::needs_grad({&a, &b})) {
    autograd::record(out, "RealDiv", {a, b}, [a, b](const Tensor& g) {
      Tensor ga, gb;
      if (a.grad_node()) ga = autograd::reduce_to_shape(divide(g, b), a.shape());
      if (b.grad_node())  // d(a/b)/db = -a / b^2
        gb = autograd::reduce_to_shape(negative(divide(multiply(g, a), multiply(b, b))), b.shape());
      return std::vector<Tensor>{ga, gb};
    });
  }
  return out;
}

Tensor negative(const Tensor& x) {
  const DType dt = compute_type(x.dtype());
  const Tensor xc = x.dtype() == dt ? x : x.astype(dt);
  Tensor out = Tensor::empty(x.shape(), dt);
  detail::dispatch_numeric(dt, "Neg", [&]<typename T>() {
    const T* src = xc.data<T>();
    T* dst = out.data<T>();
    for (int64_t i = 0; i < out.size(); ++i) dst[i] = static_cast<T>(-src[i]);
  });
  if (autograd::needs_grad({&x})) {
    autograd::record(out, "Neg", {x},
                     [](const Tensor& g) { return std::vector<Tensor>{negative(g)}; });
  }
  return out;
}

}  // namespace ops

Tensor operator+(const Tensor& a, const Tensor& b) { return ops::add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return ops::subtract(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return ops::multiply(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return ops::divide(a, b); }
Tensor operator-(const Tensor& x) { return ops::negative(x); }
Tensor operator+(const Tensor& a, double b) { return ops::add(a, ops::scalar_like(b, a)); }
Tensor operator-(const Tensor& a, double b) { return ops::subtract(a, ops::scalar_like(b, a)); }
Tensor operator*(const Tensor& a, double b) { return ops::multiply(a, ops::scalar_like(b, a)); }
Tensor operator/(const Tensor& a, double b) { return ops::divide(a, ops::scalar_like(b, a)); }
Tensor operator+(double a, const Tensor& b) { return ops::add(ops::scalar_like(a, b), b); }
Tensor operator-(double a, const Tensor& b) { return ops::subtract(ops::scalar_like(a, b), b); }
Tensor operator*(double a, const Tensor& b) { return ops::multiply(ops::scalar_like(a, b), b); }
Tensor operator/(double a, const Tensor& b) { return ops::divide(ops::scalar_like(a, b), b); }

}  // namespace keras
