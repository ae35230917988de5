#include "keras/core/tensor.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <ostream>
#include <sstream>

#include "core/allocator.hpp"
#include "core/dispatch.hpp"
#include "keras/core/autograd.hpp"

namespace keras {

std::string shape_str(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

int64_t shape_size(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) throw ValueError("Invalid shape " + shape_str(shape) + ": negative dimension.");
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
      throw ValueError("Invalid shape " + shape_str(shape) + ": element count overflows int64.");
    n *= d;
  }
  return n;
}

// ---------------------------------------------------------------- Storage

Storage::Storage(size_t nbytes, DType dtype) : nbytes_(nbytes), dtype_(dtype) {
  data_ = detail::allocate(nbytes);
  if (dtype_ == DType::string) {
    auto* s = static_cast<std::string*>(data_);
    for (size_t i = 0; i < nbytes / sizeof(std::string); ++i) new (s + i) std::string();
  }
}

Storage::~Storage() {
  if (dtype_ == DType::string) {
    auto* s = static_cast<std::string*>(data_);
    for (size_t i = 0; i < nbytes_ / sizeof(std::string); ++i) s[i].~basic_string();
  }
  detail::deallocate(data_, nbytes_);
}

// ---------------------------------------------------------------- creation

Tensor::Tensor(std::shared_ptr<Storage> storage, size_t offset, Shape shape, DType dtype)
    : storage_(std::move(storage)),
      offset_(offset),
      shape_(std::move(shape)),
      size_(shape_size(shape_)),
      dtype_(dtype) {}

Tensor Tensor::empty(const Shape& shape, DType dtype) {
  const int64_t n = shape_size(shape);
  const size_t elem = dtype_size(dtype);
  if (static_cast<uint64_t>(n) > std::numeric_limits<size_t>::max() / elem)
    throw ValueError("Tensor of shape " + shape_str(shape) + " is too large to allocate.");
  return Tensor(std::make_shared<Storage>(static_cast<size_t>(n) * elem, dtype), 0, shape, dtype);
}

Tensor Tensor::zeros(const Shape& shape, DType dtype) {
  Tensor t = empty(shape, dtype);
  if (dtype != DType::string) std::memset(t.raw_data(), 0, t.nbytes());
  return t;
}

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
  Tensor t = empty(shape, dtype);
  detail::dispatch_pod(dtype, "full", [&]<typename T>() {
    const T v = detail::from_double<T>(value);
    T* p = t.data<T>();
    for (int64_t i = 0; i < t.size(); ++i) p[i] = v;
  });
  return t;
}

Tensor Tensor::ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }

Tensor Tensor::scalar(double value, DType dtype) { return full({}, value, dtype); }

Tensor Tensor::arange(double start, double stop, double step, DType dtype) {
  if (step == 0 || !std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step))
    throw ValueError("arange: step must be non-zero and bounds finite.");
  const double count = std::ceil((stop - start) / step);
  const int64_t n = count > 0 ? static_cast<int64_t>(count) : 0;
  Tensor t = empty({n}, dtype);
  detail::dispatch_numeric(dtype, "arange", [&]<typename T>() {
    T* p = t.data<T>();
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(start + static_cast<double>(i) * step);
  });
  return t;
}

Tensor Tensor::arange(int64_t stop, DType dtype) {
  return arange(0.0, static_cast<double>(stop), 1.0, dtype);
}

template <typename T>
Tensor Tensor::from_vector(const std::vector<T>& values, Shape shape) {
  if (shape.empty() && values.size() != 1) shape = {static_cast<int64_t>(values.size())};
  if (shape_size(shape) != static_cast<int64_t>(values.size()))
    throw ValueError("from_vector: " + std::to_string(values.size()) +
                     " values cannot take shape " + shape_str(shape) + ".");
  Tensor t = empty(shape, dtype_of<T>());
  T* p = t.data<T>();
  for (size_t i = 0; i < values.size(); ++i) p[i] = values[i];
  return t;
}

template Tensor Tensor::from_vector(const std::vector<float>&, Shape);
template Tensor Tensor::from_vector(const std::vector<double>&, Shape);
template Tensor Tensor::from_vector(const std::vector<float16_t>&, Shape);
template Tensor Tensor::from_vector(const std::vector<bfloat16_t>&, Shape);
template Tensor Tensor::from_vector(const std::vector<int8_t>&, Shape);
template Tensor Tensor::from_vector(const std::vector<int16_t>&, Shape);
template Tensor Tensor::from_vector(const std::vector<int32_t>&, Shape);
template Tensor Tensor::from_vector(const std::vector<int64_t>&, Shape);
template Tensor Tensor::from_vector(const std::vector<uint8_t>&, Shape);
template Tensor Tensor::from_vector(const std::vector<bool>&, Shape);

Tensor Tensor::from_strings(const std::vector<std::string>& values, Shape shape) {
  return from_vector(values, std::move(shape));
}
template Tensor Tensor::from_vector(const std::vector<std::string>&, Shape);

Tensor Tensor::from_bytes(const void* bytes, const Shape& shape, DType dtype) {
  if (dtype == DType::string) throw TypeError("from_bytes: string tensors have no raw bytes.");
  Tensor t = empty(shape, dtype);
  if (t.nbytes()) std::memcpy(t.raw_data(), bytes, t.nbytes());
  return t;
}

// ---------------------------------------------------------------- access

int64_t Tensor::dim(int axis) const {
  const int n = ndim();
  if (axis < -n || axis >= n)
    throw IndexError("Axis " + std::to_string(axis) + " is out of bounds for a tensor of rank " +
                     std::to_string(n) + ".");
  return shape_[axis < 0 ? axis + n : axis];
}

void* Tensor::raw_data() {
  if (!storage_) throw ValueError("Access to the data of an undefined tensor.");
  return static_cast<char*>(storage_->data()) + offset_ * dtype_size(dtype_);
}

const void* Tensor::raw_data() const { return const_cast<Tensor*>(this)->raw_data(); }

void Tensor::check_type(DType requested) const {
  if (requested != dtype_)
    throw TypeError("Tensor of dtype " + std::string(dtype_name(dtype_)) + " accessed as " +
                    std::string(dtype_name(requested)) + ".");
}

namespace {

template <typename To>
To convert_element(const Tensor& t, int64_t flat) {
  if constexpr (std::is_same_v<To, std::string>) {
    if (t.dtype() != DType::string) throw TypeError("A numeric tensor read as strings.");
    return t.data<std::string>()[flat];
  } else {
    if (t.dtype() == DType::string) throw TypeError("A string tensor read as numbers.");
    return detail::dispatch_pod(t.dtype(), "item", [&]<typename From>() -> To {
      const From v = t.data<From>()[flat];
      if constexpr (std::is_same_v<From, To>) {
        return v;
      } else {
        return detail::from_double<To>(detail::to_double(v));
      }
    });
  }
}

}  // namespace

template <typename T>
T Tensor::item() const {
  if (size_ != 1)
    throw ValueError("item() needs a tensor of one element; got shape " + shape_str(shape_) + ".");
  return convert_element<T>(*this, 0);
}

template <typename T>
T Tensor::at(const std::vector<int64_t>& index) const {
  if (static_cast<int>(index.size()) != ndim())
    throw IndexError("at(): " + std::to_string(index.size()) + " indices for a tensor of rank " +
                     std::to_string(ndim()) + ".");
  int64_t flat = 0;
  for (int i = 0; i < ndim(); ++i) {
    int64_t k = index[i] < 0 ? index[i] + shape_[i] : index[i];
    if (k < 0 || k >= shape_[i])
      throw IndexError("Index " + std::to_string(index[i]) + " is out of bounds for axis " +
                       std::to_string(i) + " with size " + std::to_string(shape_[i]) + ".");
    flat = flat * shape_[i] + k;
  }
  return convert_element<T>(*this, flat);
}

template <typename T>
std::vector<T> Tensor::to_vector() const {
  std::vector<T> out;
  out.reserve(static_cast<size_t>(size_));
  for (int64_t i = 0; i < size_; ++i) out.push_back(convert_element<T>(*this, i));
  return out;
}

#define KERAS_INSTANTIATE_ACCESS(T)                             \
  template T Tensor::item<T>() const;                           \
  template T Tensor::at<T>(const std::vector<int64_t>&) const; \
  template std::vector<T> Tensor::to_vector<T>() const;
KERAS_INSTANTIATE_ACCESS(float)
KERAS_INSTANTIATE_ACCESS(double)
KERAS_INSTANTIATE_ACCESS(int8_t)
KERAS_INSTANTIATE_ACCESS(int16_t)
KERAS_INSTANTIATE_ACCESS(int32_t)
KERAS_INSTANTIATE_ACCESS(int64_t)
KERAS_INSTANTIATE_ACCESS(uint8_t)
KERAS_INSTANTIATE_ACCESS(bool)
KERAS_INSTANTIATE_ACCESS(float16_t)
KERAS_INSTANTIATE_ACCESS(bfloat16_t)
KERAS_INSTANTIATE_ACCESS(std::string)
#undef KERAS_INSTANTIATE_ACCESS

// ---------------------------------------------------------------- views and copies

Tensor Tensor::reshape(const Shape& new_shape) const {
  Shape shape = new_shape;
  int infer = -1;
  int64_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) throw ValueError("reshape: only one dimension can be -1; got " + shape_str(new_shape) + ".");
      infer = static_cast<int>(i);
    } else if (shape[i] < 0) {
      throw ValueError("reshape: invalid target shape " + shape_str(new_shape) + ".");
    } else {
      known *= shape[i];
    }
  }
  if (infer >= 0) {
    if (known == 0 || size_ % known != 0)
      throw ValueError("reshape: cannot reshape a tensor of shape " + shape_str(shape_) + " (" +
                       std::to_string(size_) + " elements) into " + shape_str(new_shape) + ".");
    shape[infer] = size_ / known;
  }
  if (shape_size(shape) != size_)
    throw ValueError("reshape: cannot reshape a tensor of shape " + shape_str(shape_) + " (" +
                     std::to_string(size_) + " elements) into " + shape_str(new_shape) + ".");
  Tensor out(storage_, offset_, shape, dtype_);
  if (autograd::needs_grad({this})) {
    Shape original = shape_;
    autograd::record(out, "Reshape", {*this}, [original](const Tensor& g) {
      return std::vector<Tensor>{g.reshape(original)};
    });
  }
  return out;
}

Tensor Tensor::slice(int64_t start, int64_t stop) const {
  if (ndim() == 0) throw IndexError("slice: cannot slice a scalar.");
  const int64_t n = shape_[0];
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  start = std::clamp<int64_t>(start, 0, n);
  stop = std::clamp<int64_t>(stop, start, n);
  Shape shape = shape_;
  shape[0] = stop - start;
  const int64_t row = n ? size_ / n : 0;
  Tensor out(storage_, offset_ + static_cast<size_t>(start * row), shape, dtype_);
  if (autograd::needs_grad({this})) {
    Shape full = shape_;
    autograd::record(out, "StridedSlice", {*this}, [full, start, row](const Tensor& g) {
      Tensor dx = Tensor::zeros(full, g.dtype());
      std::memcpy(static_cast<char*>(dx.raw_data()) + start * row * dtype_size(g.dtype()),
                  g.raw_data(), g.nbytes());
      return std::vector<Tensor>{dx};
    });
  }
  return out;
}

Tensor Tensor::operator[](int64_t i) const {
  if (ndim() == 0) throw IndexError("Cannot index a scalar tensor.");
  const int64_t n = shape_[0];
  if (i < -n || i >= n)
    throw IndexError("Index " + std::to_string(i) + " is out of bounds for axis 0 with size " +
                     std::to_string(n) + ".");
  if (i < 0) i += n;
  Shape rest(shape_.begin() + 1, shape_.end());
  return slice(i, i + 1).reshape(rest);
}

Tensor Tensor::astype(DType dtype) const {
  if (dtype == dtype_) return *this;
  Tensor out = empty(shape_, dtype);
  if (dtype == DType::string || dtype_ == DType::string)
    throw TypeError("astype: cannot convert between string and " +
                    std::string(dtype_name(dtype == DType::string ? dtype_ : dtype)) + ".");
  detail::dispatch_pod(dtype_, "astype", [&]<typename From>() {
    detail::dispatch_pod(dtype, "astype", [&]<typename To>() {
      const From* src = data<From>();
      To* dst = out.data<To>();
      if constexpr (std::is_arithmetic_v<From> && std::is_arithmetic_v<To> &&
                    !std::is_same_v<To, bool>) {
        for (int64_t i = 0; i < size_; ++i) dst[i] = static_cast<To>(src[i]);
      } else {
        for (int64_t i = 0; i < size_; ++i) dst[i] = detail::from_double<To>(detail::to_double(src[i]));
      }
    });
  });
  if (is_floating(dtype) && is_floating(dtype_) && autograd::needs_grad({this})) {
    DType from = dtype_;
    autograd::record(out, "Cast", {*this}, [from](const Tensor& g) {
      return std::vector<Tensor>{g.astype(from)};
    });
  }
  return out;
}

Tensor Tensor::clone() const {
  if (!defined()) return Tensor();
  Tensor out = empty(shape_, dtype_);
  out.copy_from(*this);
  return out;
}

void Tensor::copy_from(const Tensor& src) {
  if (src.shape() != shape_)
    throw ValueError("copy_from: shape mismatch, expected " + shape_str(shape_) + ", received " +
                     shape_str(src.shape()) + ".");
  if (dtype_ == DType::string) {
    if (src.dtype() != DType::string) throw TypeError("copy_from: numbers into a string tensor.");
    for (int64_t i = 0; i < size_; ++i) data<std::string>()[i] = src.data<std::string>()[i];
    return;
  }
  if (src.dtype() == dtype_) {
    if (src.raw_data() != raw_data()) std::memmove(raw_data(), src.raw_data(), nbytes());
    return;
  }
  Tensor converted = src.astype(dtype_);
  std::memcpy(raw_data(), converted.raw_data(), nbytes());
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.to_string(); }
std::ostream& operator<<(std::ostream& os, DType dtype) { return os << dtype_name(dtype); }

}  // namespace keras
