// tile and repeat (numpy.tile / numpy.repeat) and their gradients.
#include <cstring>
#include <string>

#include "core/dispatch.hpp"
#include "core/ops/array_internal.hpp"
#include "core/ops/reduce_internal.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/array.hpp"
#include "keras/ops/reduce.hpp"

namespace keras::ops {
namespace {

// Writes the tile of input block `src` (axes d.. of shape xs) to dst (axes d.. of shape os): the
// first copy recursively, then reps[d] - 1 memcpy duplicates of it, which are contiguous.
void tile_fill(const char* src, char* dst, int d, const Shape& xs, const Shape& os,
               const std::vector<int64_t>& reps, const std::vector<int64_t>& in_inner,
               const std::vector<int64_t>& out_inner, size_t es) {
  const int nd = static_cast<int>(xs.size());
  const size_t sub_out = static_cast<size_t>(out_inner[d]) * es;  // one output slice along d
  if (d == nd - 1) {
    std::memcpy(dst, src, static_cast<size_t>(xs[d]) * es);
  } else {
    const size_t sub_in = static_cast<size_t>(in_inner[d]) * es;
    for (int64_t i = 0; i < xs[d]; ++i)
      tile_fill(src + i * sub_in, dst + i * sub_out, d + 1, xs, os, reps, in_inner, out_inner, es);
  }
  const size_t block = static_cast<size_t>(xs[d]) * sub_out;
  for (int64_t r = 1; r < reps[d]; ++r) std::memcpy(dst + r * block, dst, block);
}

std::string list_str(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

}  // namespace

Tensor tile(const Tensor& x_in, const std::vector<int64_t>& reps_in) {
  detail_array::check_pod(x_in, "tile");
  for (int64_t r : reps_in)
    if (r < 0)
      throw ValueError("tile: expected repetitions >= 0, received " + list_str(reps_in) + ".");
  // numpy: the shorter of x's shape and reps is padded with leading 1s.
  const size_t nd = std::max<size_t>(x_in.ndim(), reps_in.size());
  std::vector<int64_t> reps(nd - reps_in.size(), 1);
  reps.insert(reps.end(), reps_in.begin(), reps_in.end());
  Shape xs(nd - x_in.ndim(), 1);
  xs.insert(xs.end(), x_in.shape().begin(), x_in.shape().end());
  const Tensor x = x_in.reshape(xs);
  Shape os(nd);
  for (size_t i = 0; i < nd; ++i) os[i] = xs[i] * reps[i];
  Tensor out = Tensor::empty(os, x.dtype());
  if (out.size() > 0 && nd > 0) {
    std::vector<int64_t> in_inner(nd, 1), out_inner(nd, 1);
    for (int i = static_cast<int>(nd) - 2; i >= 0; --i) {
      in_inner[i] = in_inner[i + 1] * xs[i + 1];
      out_inner[i] = out_inner[i + 1] * os[i + 1];
    }
    tile_fill(static_cast<const char*>(x.raw_data()), static_cast<char*>(out.raw_data()), 0, xs, os,
              reps, in_inner, out_inner, dtype_size(x.dtype()));
  } else if (out.size() > 0) {
    out.copy_from(x);
  }
  if (is_floating(x.dtype()) && autograd::needs_grad({&x})) {
    autograd::record(out, "Tile", {x}, [xs, reps](const Tensor& g) {
      // g viewed as (r0, x0, r1, x1, ...) summed over the r axes.
      Shape split;
      std::vector<int> axes;
      for (size_t i = 0; i < xs.size(); ++i) {
        axes.push_back(static_cast<int>(split.size()));
        split.push_back(reps[i]);
        split.push_back(xs[i]);
      }
      return std::vector<Tensor>{sum(g.reshape(split), axes).reshape(xs).astype(g.dtype())};
    });
  }
  return out;
}

Tensor repeat(const Tensor& x, int64_t repeats, std::optional<int> axis) {
  return repeat(x, std::vector<int64_t>{repeats}, axis);
}

Tensor repeat(const Tensor& x_in, const std::vector<int64_t>& repeats_in,
              std::optional<int> axis_in) {
  detail_array::check_pod(x_in, "repeat");
  const Tensor x = axis_in ? x_in : x_in.reshape({x_in.size()});
  if (x.ndim() == 0) throw ValueError("repeat: cannot repeat along an axis of a scalar tensor.");
  const int axis = detail_reduce::normalize_axis(axis_in.value_or(0), x.ndim(), "repeat");
  const detail_reduce::AxisView v = detail_reduce::axis_view(x.shape(), axis);
  std::vector<int64_t> reps = repeats_in;
  if (reps.size() == 1) reps.assign(v.n, repeats_in[0]);
  if (static_cast<int64_t>(reps.size()) != v.n)
    throw ValueError("repeat: expected one repeat count or one per element (" +
                     std::to_string(v.n) + ") along axis " + std::to_string(axis) +
                     " of a tensor of shape " + shape_str(x_in.shape()) + ", received " +
                     std::to_string(repeats_in.size()) + " counts.");
  int64_t total = 0;
  for (int64_t r : reps) {
    if (r < 0)
      throw ValueError("repeat: expected repeat counts >= 0, received " + list_str(repeats_in) +
                       ".");
    total += r;
  }
  Shape os = x.shape();
  os[axis] = total;
  Tensor out = Tensor::empty(os, x.dtype());
  const size_t row = static_cast<size_t>(v.inner) * dtype_size(x.dtype());
  const char* src = static_cast<const char*>(x.raw_data());
  char* dst = static_cast<char*>(out.raw_data());
  for (int64_t o = 0; o < v.outer; ++o)
    for (int64_t k = 0; k < v.n; ++k) {
      const char* s = src + (o * v.n + k) * row;
      for (int64_t r = 0; r < reps[k]; ++r, dst += row) std::memcpy(dst, s, row);
    }
  if (is_floating(x.dtype()) && autograd::needs_grad({&x})) {
    const Shape xs = x.shape();
    autograd::record(out, "Repeat", {x}, [xs, reps, v, total](const Tensor& g) {
      const DType ct = detail_reduce::float_compute_type(g.dtype());
      const Tensor gc = g.astype(ct);
      Tensor dx = Tensor::zeros(xs, ct);
      detail::dispatch_float(ct, "RepeatGrad", [&]<typename T>() {
        const T* pg = gc.data<T>();
        T* pd = dx.data<T>();
        for (int64_t o = 0; o < v.outer; ++o) {
          const T* s = pg + o * total * v.inner;
          for (int64_t k = 0; k < v.n; ++k) {
            T* d = pd + (o * v.n + k) * v.inner;
            for (int64_t r = 0; r < reps[k]; ++r, s += v.inner)
              for (int64_t i = 0; i < v.inner; ++i) d[i] += s[i];
          }
        }
      });
      return std::vector<Tensor>{dx.astype(g.dtype())};
    });
  }
  return out;
}

}  // namespace keras::ops
