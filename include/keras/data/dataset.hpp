// keras::data::Dataset: the part of tf.data that Keras training uses — an input pipeline of
// elements (each a list of tensors: (x, y) or (x, y, sample_weight)), built from tensors and
// transformed lazily: shuffle, batch, map, repeat, take. Iterating twice gives two passes (a
// shuffle with reshuffle_each_iteration reorders each pass), as iterating a tf.data.Dataset does.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::data {

using Element = std::vector<Tensor>;

class Dataset {
 public:
  // One pass over the elements.
  class Iterator {
   public:
    virtual ~Iterator() = default;
    // The next element, or nullopt at the end of the pass.
    virtual std::optional<Element> next() = 0;
  };

  // Elements are the rows (first-axis slices) of the components; all must have the same length.
  static Dataset from_tensor_slices(const std::vector<Tensor>& components);
  static Dataset from_tensor_slices(const Tensor& x, const Tensor& y);
  static Dataset from_tensor_slices(const Tensor& x);

  // tf.data semantics: a buffer of `buffer_size` elements sampled uniformly; seed 0 = global.
  Dataset shuffle(int64_t buffer_size, uint64_t seed = 0,
                  bool reshuffle_each_iteration = true) const;
  // Stacks consecutive elements along a new first axis.
  Dataset batch(int64_t batch_size, bool drop_remainder = false) const;
  Dataset map(std::function<Element(const Element&)> fn) const;
  // count < 0: forever.
  Dataset repeat(int64_t count = -1) const;
  Dataset take(int64_t count) const;

  std::unique_ptr<Iterator> iterator() const;
  // Number of elements, -1 for infinite, -2 when unknown (tf.data's cardinality()).
  int64_t cardinality() const;
  // Every element of one pass (throws ValueError on an infinite dataset).
  std::vector<Element> elements() const;

  // Implementation node of the pipeline.
  class Source;

 private:
  explicit Dataset(std::shared_ptr<const Source> source) : source_(std::move(source)) {}
  std::shared_ptr<const Source> source_;
};

}  // namespace keras::data
