// Tensor: keras-cpp's n-dimensional array (tf.Tensor / numpy.ndarray).
//
// Storage is row-major, contiguous, 64-byte aligned and shared between views: reshape and slicing
// along the first axis return a Tensor on the same bytes without a copy. Copying a Tensor copies
// the handle, not the data (as numpy views do); clone() copies the data.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "keras/core/dtype.hpp"
#include "keras/core/errors.hpp"

namespace keras {

using Shape = std::vector<int64_t>;

// "(2, 3)" — numpy's spelling of a shape, used in every error message.
std::string shape_str(const Shape& shape);
// Number of elements; throws ValueError on a negative dimension or an int64 overflow.
int64_t shape_size(const Shape& shape);

namespace autograd {
struct Node;
}

// The bytes behind one or more tensors. Allocated through keras's caching allocator so that a
// training step reuses the buffers of the previous one instead of faulting in fresh pages.
class Storage {
 public:
  Storage(size_t nbytes, DType dtype);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() { return data_; }
  const void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }

 private:
  void* data_ = nullptr;
  size_t nbytes_ = 0;
  DType dtype_;
};

class Tensor {
 public:
  // An undefined tensor (a null handle): defined() is false.
  Tensor() = default;

  // ---- creation ----
  // Uninitialised storage (strings: empty strings).
  static Tensor empty(const Shape& shape, DType dtype = DType::float32);
  static Tensor zeros(const Shape& shape, DType dtype = DType::float32);
  static Tensor ones(const Shape& shape, DType dtype = DType::float32);
  static Tensor full(const Shape& shape, double value, DType dtype = DType::float32);
  static Tensor scalar(double value, DType dtype = DType::float32);
  // numpy.arange: [start, stop) by step.
  static Tensor arange(double start, double stop, double step = 1.0, DType dtype = DType::float32);
  static Tensor arange(int64_t stop, DType dtype = DType::int64);
  // Copies the values; shape defaults to 1-D of values.size().
  template <typename T>
  static Tensor from_vector(const std::vector<T>& values, Shape shape = {});
  static Tensor from_strings(const std::vector<std::string>& values, Shape shape = {});
  // Copies n = shape_size(shape) elements of dtype from raw bytes.
  static Tensor from_bytes(const void* bytes, const Shape& shape, DType dtype);
  static Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype()); }
  static Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype()); }

  // ---- properties ----
  bool defined() const { return storage_ != nullptr; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int ndim() const { return static_cast<int>(shape_.size()); }
  int64_t size() const { return size_; }
  // Length of one axis; negative axes count from the end.
  int64_t dim(int axis) const;
  size_t nbytes() const { return static_cast<size_t>(size_) * dtype_size(dtype_); }

  // ---- raw access (contiguous, row-major). data<T>() checks that T is the dtype's type. ----
  template <typename T>
  T* data();
  template <typename T>
  const T* data() const;
  void* raw_data();
  const void* raw_data() const;
  // True when both tensors view the same storage.
  bool shares_storage(const Tensor& other) const { return storage_ == other.storage_; }

  // ---- element access ----
  // The one element of a size-1 tensor, converted to T (numeric dtypes to any arithmetic T).
  template <typename T>
  T item() const;
  // The element at a full index (negative indices count from the end), converted to T.
  template <typename T>
  T at(const std::vector<int64_t>& index) const;
  // All elements converted to T, in row-major order.
  template <typename T>
  std::vector<T> to_vector() const;

  // ---- views and copies ----
  // A view with a new shape; one dimension may be -1 and is inferred. Differentiable.
  Tensor reshape(const Shape& shape) const;
  Tensor flatten() const { return reshape({-1}); }
  // Rows [start, stop) of the first axis as a view (numpy's t[start:stop]). Differentiable.
  Tensor slice(int64_t start, int64_t stop) const;
  // Row i of the first axis as a view of rank ndim-1 (numpy's t[i]). Differentiable.
  Tensor operator[](int64_t i) const;
  // A converted copy (numpy astype); the same dtype returns *this. Differentiable between floats.
  Tensor astype(DType dtype) const;
  // A deep copy that shares nothing with this tensor; carries no gradient history.
  Tensor clone() const;
  // Copies src's values into this tensor's storage (same shape; dtypes are converted).
  void copy_from(const Tensor& src);

  // numpy-like text: "tensor([[1., 2.],\n        [3., 4.]], dtype=float32)".
  std::string to_string() const;

  // ---- autodiff (see keras/core/autograd.hpp) ----
  // The node that produced this tensor while a GradientTape recorded, or a leaf node for a
  // watched tensor or a trainable variable's value; null for constants.
  const std::shared_ptr<autograd::Node>& grad_node() const { return node_; }
  void set_grad_node(std::shared_ptr<autograd::Node> node) { node_ = std::move(node); }

 private:
  Tensor(std::shared_ptr<Storage> storage, size_t offset, Shape shape, DType dtype);
  void check_type(DType requested) const;

  std::shared_ptr<Storage> storage_;
  size_t offset_ = 0;  // in elements
  Shape shape_;
  int64_t size_ = 0;
  DType dtype_ = DType::float32;
  std::shared_ptr<autograd::Node> node_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);
std::ostream& operator<<(std::ostream& os, DType dtype);

// ---- template definitions ----
template <typename T>
T* Tensor::data() {
  check_type(dtype_of<T>());
  return static_cast<T*>(raw_data());
}
template <typename T>
const T* Tensor::data() const {
  check_type(dtype_of<T>());
  return static_cast<const T*>(raw_data());
}

}  // namespace keras
