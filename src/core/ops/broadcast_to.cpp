#include "core/dispatch.hpp"
#include "core/ops/broadcast.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/elementwise.hpp"

namespace keras::ops {

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  if (broadcast_shapes(x.shape(), shape, "BroadcastTo") != shape)
    throw ValueError("BroadcastTo: cannot broadcast a tensor of shape " + shape_str(x.shape()) +
                     " to " + shape_str(shape) + ".");
  if (x.shape() == shape) return x;
  Tensor out = Tensor::empty(shape, x.dtype());
  detail::dispatch_pod(x.dtype(), "BroadcastTo", [&]<typename T>() {
    const T* src = x.data<T>();
    detail::broadcast_binary(src, x.shape(), src, Shape{}, out.data<T>(), shape,
                             [](T v, T) { return v; });
  });
  if (autograd::needs_grad({&x})) {
    Shape from = x.shape();
    autograd::record(out, "BroadcastTo", {x}, [from](const Tensor& g) {
      return std::vector<Tensor>{autograd::reduce_to_shape(g, from)};
    });
  }
  return out;
}

}  // namespace keras::ops
