// keras::data::Dataset: lazy pipeline nodes (tf.data's TensorSliceDataset, ShuffleDataset,
// BatchDataset, MapDataset, RepeatDataset, TakeDataset).
#include "keras/data/dataset.hpp"

#include <cstring>
#include <mutex>

#include "keras/core/random.hpp"
#include "keras/ops.hpp"

namespace keras::data {

namespace {
constexpr int64_t kInfinite = -1;
constexpr int64_t kUnknown = -2;
}  // namespace

// One node of the pipeline: it makes iterators for passes over its elements.
class Dataset::Source {
 public:
  virtual ~Source() = default;
  virtual std::unique_ptr<Iterator> make_iterator() const = 0;
  virtual int64_t cardinality() const = 0;
};

namespace {

using Iterator = Dataset::Iterator;
using Source = Dataset::Source;
using SourcePtr = std::shared_ptr<const Source>;

// ---------------------------------------------------------------- from_tensor_slices

class SlicesSource : public Source {
 public:
  explicit SlicesSource(std::vector<Tensor> components) : components_(std::move(components)) {}

  int64_t cardinality() const override { return components_[0].dim(0); }
  const std::vector<Tensor>& components() const { return components_; }

  std::unique_ptr<Iterator> make_iterator() const override {
    class It : public Iterator {
     public:
      explicit It(const std::vector<Tensor>& c) : c_(c) {}
      std::optional<Element> next() override {
        if (i_ >= c_[0].dim(0)) return std::nullopt;
        Element el;
        el.reserve(c_.size());
        for (const auto& t : c_) el.push_back(t[i_]);  // a view: no copy of the row
        ++i_;
        return el;
      }

     private:
      std::vector<Tensor> c_;
      int64_t i_ = 0;
    };
    return std::make_unique<It>(components_);
  }

 private:
  std::vector<Tensor> components_;
};

// ---------------------------------------------------------------- shuffle

// A stream of uniform integers from Philox4x32-10 keyed by one seed pair.
class IndexStream {
 public:
  explicit IndexStream(std::array<uint64_t, 2> seed)
      : key_{static_cast<uint32_t>(seed[0]), static_cast<uint32_t>(seed[0] >> 32)},
        counter_{0, 0, static_cast<uint32_t>(seed[1]), static_cast<uint32_t>(seed[1] >> 32)} {}

  // Uniform in [0, n) from 64 random bits (Lemire's multiply-shift; the bias is < n / 2^64).
  int64_t below(int64_t n) {
    const uint64_t r = (static_cast<uint64_t>(word()) << 32) | word();
    return static_cast<int64_t>((static_cast<unsigned __int128>(r) * static_cast<uint64_t>(n)) >>
                                64);
  }

 private:
  uint32_t word() {
    if (pos_ == 4) {
      block_ = random::philox4x32_10(counter_, key_);
      if (++counter_[0] == 0) ++counter_[1];
      pos_ = 0;
    }
    return block_[pos_++];
  }
  random::PhiloxKey key_;
  random::PhiloxCounter counter_;
  random::PhiloxCounter block_{};
  int pos_ = 4;
};

class ShuffleSource : public Source {
 public:
  ShuffleSource(SourcePtr input, int64_t buffer_size, uint64_t seed, bool reshuffle)
      : input_(std::move(input)),
        buffer_size_(buffer_size),
        reshuffle_(reshuffle),
        generator_(seed ? random::SeedGenerator(static_cast<int64_t>(seed))
                        : random::SeedGenerator()) {
    // Without reshuffling every pass uses the order drawn here.
    if (!reshuffle_) fixed_seed_ = generator_.next();
  }

  int64_t cardinality() const override { return input_->cardinality(); }

  std::unique_ptr<Iterator> make_iterator() const override {
    std::array<uint64_t, 2> seed;
    if (reshuffle_) {
      std::lock_guard<std::mutex> lock(mutex_);
      seed = generator_.next();
    } else {
      seed = fixed_seed_;
    }
    // tf.data's buffer: filled with the first buffer_size elements; each output is a uniformly
    // chosen slot, refilled with the next input element (or removed once the input is done).
    class It : public Iterator {
     public:
      It(std::unique_ptr<Iterator> input, int64_t buffer_size, std::array<uint64_t, 2> seed)
          : input_(std::move(input)), buffer_size_(buffer_size), rng_(seed) {}
      std::optional<Element> next() override {
        while (input_ && static_cast<int64_t>(buffer_.size()) < buffer_size_) {
          auto el = input_->next();
          if (!el) {
            input_.reset();
            break;
          }
          buffer_.push_back(std::move(*el));
        }
        if (buffer_.empty()) return std::nullopt;
        const auto i = static_cast<size_t>(rng_.below(static_cast<int64_t>(buffer_.size())));
        Element out = std::move(buffer_[i]);
        std::optional<Element> refill;
        if (input_) {
          refill = input_->next();
          if (!refill) input_.reset();
        }
        if (refill) {
          buffer_[i] = std::move(*refill);
        } else {
          buffer_[i] = std::move(buffer_.back());
          buffer_.pop_back();
        }
        return out;
      }

     private:
      std::unique_ptr<Iterator> input_;
      int64_t buffer_size_;
      IndexStream rng_;
      std::vector<Element> buffer_;
    };
    return std::make_unique<It>(input_->make_iterator(), buffer_size_, seed);
  }

 private:
  SourcePtr input_;
  int64_t buffer_size_;
  bool reshuffle_;
  mutable std::mutex mutex_;
  mutable random::SeedGenerator generator_;
  std::array<uint64_t, 2> fixed_seed_{};
};

// ---------------------------------------------------------------- batch

bool same_shape_and_dtype(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape();
}

// Stacks the elements' components along a new first axis: one allocation and one memcpy per
// row for plain dtypes.
Element stack_elements(const std::vector<Element>& elements) {
  const size_t n_components = elements[0].size();
  Element out;
  out.reserve(n_components);
  for (size_t c = 0; c < n_components; ++c) {
    const Tensor& first = elements[0][c];
    for (size_t i = 1; i < elements.size(); ++i) {
      if (elements[i].size() != n_components)
        throw ValueError("Dataset.batch: elements have different numbers of components: " +
                         std::to_string(n_components) + " and " +
                         std::to_string(elements[i].size()) + ".");
      if (!same_shape_and_dtype(elements[i][c], first))
        throw ValueError("Cannot batch tensors with different shapes in component " +
                         std::to_string(c) + ". First element had shape " +
                         shape_str(first.shape()) + " and element " + std::to_string(i) +
                         " had shape " + shape_str(elements[i][c].shape()) + ".");
    }
    if (first.dtype() == DType::string) {
      std::vector<Tensor> rows;
      for (const auto& el : elements) rows.push_back(el[c]);
      out.push_back(ops::stack(rows, 0));
      continue;
    }
    Shape shape = first.shape();
    shape.insert(shape.begin(), static_cast<int64_t>(elements.size()));
    Tensor batch = Tensor::empty(shape, first.dtype());
    const size_t row_bytes = first.nbytes();
    auto* dst = static_cast<char*>(batch.raw_data());
    for (size_t i = 0; i < elements.size(); ++i)
      if (row_bytes) std::memcpy(dst + i * row_bytes, elements[i][c].raw_data(), row_bytes);
    out.push_back(std::move(batch));
  }
  return out;
}

class BatchSource : public Source {
 public:
  BatchSource(SourcePtr input, int64_t batch_size, bool drop_remainder)
      : input_(std::move(input)), batch_size_(batch_size), drop_remainder_(drop_remainder) {}

  int64_t cardinality() const override {
    const int64_t n = input_->cardinality();
    if (n < 0) return n;
    return drop_remainder_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
  }

  std::unique_ptr<Iterator> make_iterator() const override {
    // Consecutive rows of in-memory tensors are already a batch: views, no copy.
    if (auto slices = std::dynamic_pointer_cast<const SlicesSource>(input_)) {
      class It : public Iterator {
       public:
        It(const std::vector<Tensor>& c, int64_t bs, bool drop) : c_(c), bs_(bs), drop_(drop) {}
        std::optional<Element> next() override {
          const int64_t n = c_[0].dim(0);
          if (lo_ >= n) return std::nullopt;
          const int64_t hi = std::min(n, lo_ + bs_);
          if (drop_ && hi - lo_ < bs_) return std::nullopt;
          Element el;
          for (const auto& t : c_) el.push_back(t.slice(lo_, hi));
          lo_ = hi;
          return el;
        }

       private:
        std::vector<Tensor> c_;
        int64_t bs_;
        bool drop_;
        int64_t lo_ = 0;
      };
      return std::make_unique<It>(slices->components(), batch_size_, drop_remainder_);
    }
    class It : public Iterator {
     public:
      It(std::unique_ptr<Iterator> input, int64_t bs, bool drop)
          : input_(std::move(input)), bs_(bs), drop_(drop) {}
      std::optional<Element> next() override {
        std::vector<Element> rows;
        rows.reserve(static_cast<size_t>(bs_));
        while (input_ && static_cast<int64_t>(rows.size()) < bs_) {
          auto el = input_->next();
          if (!el) {
            input_.reset();
            break;
          }
          rows.push_back(std::move(*el));
        }
        if (rows.empty() || (drop_ && static_cast<int64_t>(rows.size()) < bs_)) return std::nullopt;
        return stack_elements(rows);
      }

     private:
      std::unique_ptr<Iterator> input_;
      int64_t bs_;
      bool drop_;
    };
    return std::make_unique<It>(input_->make_iterator(), batch_size_, drop_remainder_);
  }

 private:
  SourcePtr input_;
  int64_t batch_size_;
  bool drop_remainder_;
};

// ---------------------------------------------------------------- map

using MapFn = std::function<Element(const Element&)>;

class MapSource : public Source {
 public:
  MapSource(SourcePtr input, MapFn fn)
      : input_(std::move(input)), fn_(std::make_shared<const MapFn>(std::move(fn))) {}
  int64_t cardinality() const override { return input_->cardinality(); }
  std::unique_ptr<Iterator> make_iterator() const override {
    class It : public Iterator {
     public:
      It(std::unique_ptr<Iterator> input, std::shared_ptr<const MapFn> fn)
          : input_(std::move(input)), fn_(std::move(fn)) {}
      std::optional<Element> next() override {
        auto el = input_->next();
        if (!el) return std::nullopt;
        return (*fn_)(*el);
      }

     private:
      std::unique_ptr<Iterator> input_;
      std::shared_ptr<const MapFn> fn_;  // shared: an iterator may outlive its Dataset
    };
    return std::make_unique<It>(input_->make_iterator(), fn_);
  }

 private:
  SourcePtr input_;
  std::shared_ptr<const MapFn> fn_;
};

// ---------------------------------------------------------------- repeat, take

class RepeatSource : public Source {
 public:
  RepeatSource(SourcePtr input, int64_t count) : input_(std::move(input)), count_(count) {}
  int64_t cardinality() const override {
    const int64_t n = input_->cardinality();
    if (count_ < 0) return n == 0 ? 0 : (n == kUnknown ? kUnknown : kInfinite);
    if (n < 0) return count_ == 0 ? 0 : n;
    return n * count_;
  }
  std::unique_ptr<Iterator> make_iterator() const override {
    class It : public Iterator {
     public:
      It(SourcePtr input, int64_t count) : input_(std::move(input)), count_(count) {}
      std::optional<Element> next() override {
        while (count_ < 0 || pass_ < count_) {
          if (!it_) {
            it_ = input_->make_iterator();
            produced_in_pass_ = 0;
          }
          if (auto el = it_->next()) {
            ++produced_in_pass_;
            return el;
          }
          it_.reset();
          ++pass_;
          // An empty input repeated forever is empty, not an endless loop (as tf.data).
          if (produced_in_pass_ == 0) return std::nullopt;
        }
        return std::nullopt;
      }

     private:
      SourcePtr input_;
      int64_t count_;
      int64_t pass_ = 0;
      int64_t produced_in_pass_ = 0;
      std::unique_ptr<Iterator> it_;
    };
    return std::make_unique<It>(input_, count_);
  }

 private:
  SourcePtr input_;
  int64_t count_;
};

class TakeSource : public Source {
 public:
  TakeSource(SourcePtr input, int64_t count) : input_(std::move(input)), count_(count) {}
  int64_t cardinality() const override {
    const int64_t n = input_->cardinality();
    if (count_ < 0) return n;
    if (n == kInfinite) return count_;
    if (n == kUnknown) return kUnknown;
    return std::min(n, count_);
  }
  std::unique_ptr<Iterator> make_iterator() const override {
    class It : public Iterator {
     public:
      It(std::unique_ptr<Iterator> input, int64_t count) : input_(std::move(input)), left_(count) {}
      std::optional<Element> next() override {
        if (left_ == 0) return std::nullopt;
        auto el = input_->next();
        if (el && left_ > 0) --left_;
        return el;
      }

     private:
      std::unique_ptr<Iterator> input_;
      int64_t left_;  // negative: everything
    };
    return std::make_unique<It>(input_->make_iterator(), count_);
  }

 private:
  SourcePtr input_;
  int64_t count_;
};

}  // namespace

// ---------------------------------------------------------------- Dataset

Dataset Dataset::from_tensor_slices(const std::vector<Tensor>& components) {
  if (components.empty())
    throw ValueError("Dataset.from_tensor_slices: expected at least one tensor, received none.");
  for (size_t i = 0; i < components.size(); ++i) {
    const Tensor& t = components[i];
    if (!t.defined())
      throw ValueError("Dataset.from_tensor_slices: component " + std::to_string(i) +
                       " is an undefined tensor.");
    if (t.ndim() == 0)
      throw ValueError("Dataset.from_tensor_slices: component " + std::to_string(i) +
                       " is a scalar; expected at least rank 1 to slice along the first axis.");
    if (t.dim(0) != components[0].dim(0))
      throw ValueError(
          "Dataset.from_tensor_slices: all components must have the same size in "
          "their first dimension; expected " +
          std::to_string(components[0].dim(0)) + " (component 0, shape " +
          shape_str(components[0].shape()) + "), received " + std::to_string(t.dim(0)) +
          " (component " + std::to_string(i) + ", shape " + shape_str(t.shape()) + ").");
  }
  return Dataset(std::make_shared<SlicesSource>(components));
}
Dataset Dataset::from_tensor_slices(const Tensor& x, const Tensor& y) {
  return from_tensor_slices(std::vector<Tensor>{x, y});
}
Dataset Dataset::from_tensor_slices(const Tensor& x) {
  return from_tensor_slices(std::vector<Tensor>{x});
}

Dataset Dataset::shuffle(int64_t buffer_size, uint64_t seed, bool reshuffle_each_iteration) const {
  if (buffer_size <= 0)
    throw ValueError("Dataset.shuffle: buffer_size must be greater than zero; received " +
                     std::to_string(buffer_size) + ".");
  return Dataset(
      std::make_shared<ShuffleSource>(source_, buffer_size, seed, reshuffle_each_iteration));
}

Dataset Dataset::batch(int64_t batch_size, bool drop_remainder) const {
  if (batch_size <= 0)
    throw ValueError("Dataset.batch: batch_size must be greater than zero; received " +
                     std::to_string(batch_size) + ".");
  return Dataset(std::make_shared<BatchSource>(source_, batch_size, drop_remainder));
}

Dataset Dataset::map(std::function<Element(const Element&)> fn) const {
  if (!fn) throw ValueError("Dataset.map: the function is empty.");
  return Dataset(std::make_shared<MapSource>(source_, std::move(fn)));
}

Dataset Dataset::repeat(int64_t count) const {
  return Dataset(std::make_shared<RepeatSource>(source_, count));
}

Dataset Dataset::take(int64_t count) const {
  return Dataset(std::make_shared<TakeSource>(source_, count));
}

std::unique_ptr<Dataset::Iterator> Dataset::iterator() const { return source_->make_iterator(); }

int64_t Dataset::cardinality() const { return source_->cardinality(); }

std::vector<Element> Dataset::elements() const {
  if (cardinality() == kInfinite)
    throw ValueError(
        "Dataset.elements: the dataset is infinite (repeat() without a count); "
        "take() a finite part first.");
  std::vector<Element> out;
  auto it = iterator();
  while (auto el = it->next()) out.push_back(std::move(*el));
  return out;
}

}  // namespace keras::data
