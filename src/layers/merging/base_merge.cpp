#include "keras/layers/merging/base_merge.hpp"

#include <set>

#include "keras/ops/array.hpp"

namespace keras::layers {

namespace {

std::string shapes_str(const std::vector<Shape>& shapes) {
  std::string s = "[";
  for (size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
  return s + "]";
}

}  // namespace

Shape Merge::elementwise_output_shape(const std::vector<Shape>& input_shapes) const {
  if (input_shapes.empty())
    throw ValueError("A merge layer ('" + name() + "', " + class_name() +
                     ") should be called on a list of at least 1 input. Received 0 inputs.");
  std::set<int64_t> batch_sizes;
  for (const auto& s : input_shapes) {
    if (s.empty())
      throw ValueError(class_name() + " '" + name() +
                       "': every input needs a batch axis. "
                       "Received shapes " +
                       shapes_str(input_shapes));
    if (s[0] >= 0) batch_sizes.insert(s[0]);
  }
  if (batch_sizes.size() > 1)
    throw ValueError(class_name() + " '" + name() +
                     "': cannot merge tensors with different "
                     "batch sizes. Received tensors with shapes " +
                     shapes_str(input_shapes));
  // Keras's _compute_elemwise_op_output_shape over the non-batch dimensions, right-aligned.
  Shape out(input_shapes[0].begin() + 1, input_shapes[0].end());
  for (size_t k = 1; k < input_shapes.size(); ++k) {
    Shape b(input_shapes[k].begin() + 1, input_shapes[k].end());
    Shape a = out;
    if (a.size() < b.size()) std::swap(a, b);
    Shape r(a.begin(), a.end() - b.size());
    for (size_t i = 0; i < b.size(); ++i) {
      const int64_t x = a[a.size() - b.size() + i], y = b[i];
      if (x < 0 || y < 0) {
        r.push_back(x == 1 ? y : y == 1 ? x : -1);
      } else if (x == 1) {
        r.push_back(y);
      } else if (y == 1 || x == y) {
        r.push_back(x);
      } else {
        throw ValueError(class_name() + " '" + name() +
                         "': inputs have incompatible shapes. "
                         "Received shapes " +
                         shapes_str(input_shapes));
      }
    }
    out = r;
  }
  out.insert(out.begin(), batch_sizes.empty() ? -1 : *batch_sizes.begin());
  return out;
}

void Merge::build(const std::vector<Shape>& input_shapes) {
  elementwise_output_shape(input_shapes);
}

std::vector<Tensor> Merge::call(const std::vector<Tensor>& inputs, bool training) {
  (void)training;
  std::vector<Shape> shapes;
  for (const auto& t : inputs) shapes.push_back(t.shape());
  // Checked on every call: a built layer may meet other shapes later.
  elementwise_output_shape(shapes);
  size_t max_ndim = 0;
  for (const auto& t : inputs) max_ndim = std::max(max_ndim, static_cast<size_t>(t.ndim()));
  std::vector<Tensor> xs;
  xs.reserve(inputs.size());
  for (const auto& t : inputs) {
    Tensor x = is_floating(t.dtype()) && t.dtype() != dtype() ? t.astype(dtype()) : t;
    // Lower-rank inputs get length-1 axes after the batch axis (Keras's expand_dims(x, 1)).
    if (static_cast<size_t>(x.ndim()) < max_ndim) {
      Shape s = x.shape();
      s.insert(s.begin() + 1, max_ndim - s.size(), 1);
      x = x.reshape(s);
    }
    xs.push_back(x);
  }
  return {merge_function(xs)};
}

std::vector<Shape> Merge::compute_output_shape(const std::vector<Shape>& input_shapes) {
  Shape out = elementwise_output_shape(input_shapes);
  if (!built()) {
    build(input_shapes);
    set_built(true);
  }
  return {out};
}

}  // namespace keras::layers
