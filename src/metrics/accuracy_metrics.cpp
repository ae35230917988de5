// Accuracy metrics (Keras 3's accuracy_metrics.py): per-sample 0/1 values from one pass over the
// batch, averaged by Mean.
#include <cmath>

#include "core/dispatch.hpp"
#include "keras/losses/loss.hpp"
#include "keras/metrics/metrics.hpp"
#include "keras/ops.hpp"

namespace keras::metrics {

namespace {

std::pair<Tensor, Tensor> same_rank(const Tensor& y_true, const Tensor& y_pred,
                                    const std::string& metric) {
  if (!y_true.defined() || !y_pred.defined())
    throw ValueError("Metric '" + metric + "': y_true and y_pred must be defined tensors.");
  return losses::squeeze_or_expand_to_same_rank(y_true, y_pred);
}

Tensor as_float(const Tensor& t) {
  return t.dtype() == DType::float32 || t.dtype() == DType::float64 ? t : t.astype(DType::float32);
}

void require_class_axis(const Tensor& y_pred, const std::string& metric) {
  if (y_pred.ndim() < 1 || y_pred.shape().back() < 1)
    throw ValueError("Metric '" + metric +
                     "': y_pred must have a non-empty class axis, received "
                     "shape " +
                     shape_str(y_pred.shape()) + ".");
}

// First index of the maximum of each row of the last axis (numpy/TF argmax).
std::vector<int64_t> row_argmax(const Tensor& x_in) {
  const Tensor x = as_float(x_in);
  const int64_t C = x.shape().back(), rows = x.size() / C;
  std::vector<int64_t> out(rows);
  detail::dispatch_float(x.dtype(), "argmax", [&]<typename T>() {
    const T* d = x.data<T>();
    for (int64_t r = 0; r < rows; ++r) {
      const T* row = d + r * C;
      int64_t best = 0;
      for (int64_t j = 1; j < C; ++j)
        if (row[j] > row[best]) best = j;
      out[r] = best;
    }
  });
  return out;
}

// TF's in_top_k: the target's prediction is finite and fewer than k predictions exceed it.
std::vector<float> in_top_k(const Tensor& y_pred_in, const std::vector<int64_t>& targets, int k) {
  const Tensor y_pred = as_float(y_pred_in);
  const int64_t C = y_pred.shape().back(), rows = y_pred.size() / C;
  std::vector<float> out(rows, 0.0f);
  detail::dispatch_float(y_pred.dtype(), "in_top_k", [&]<typename T>() {
    const T* d = y_pred.data<T>();
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t t = targets[r];
      if (t < 0 || t >= C) continue;
      const T* row = d + r * C;
      if (!std::isfinite(static_cast<double>(row[t]))) continue;
      int64_t greater = 0;
      for (int64_t j = 0; j < C; ++j) greater += row[j] > row[t];
      out[r] = greater < k ? 1.0f : 0.0f;
    }
  });
  return out;
}

// Integer labels of shape y_pred.shape[:-1] (a trailing 1 is squeezed), as doubles.
std::pair<std::vector<double>, Shape> sparse_labels(const Tensor& y_true, const Tensor& y_pred,
                                                    const std::string& metric) {
  Tensor t = y_true;
  if (t.ndim() == y_pred.ndim() && t.ndim() > 0 && t.shape().back() == 1) {
    Shape s = t.shape();
    s.pop_back();
    t = t.reshape(s);
  }
  const Shape expected(y_pred.shape().begin(), y_pred.shape().end() - 1);
  if (t.shape() != expected)
    throw ValueError("Metric '" + metric + "': expected labels of shape " + shape_str(expected) +
                     " for y_pred of shape " + shape_str(y_pred.shape()) + ", received " +
                     shape_str(y_true.shape()) + ".");
  return {t.to_vector<double>(), expected};
}

}  // namespace

// ---- Accuracy ----

Accuracy::Accuracy(const MetricOptions& o) : Mean("Accuracy", o, "accuracy") {}

void Accuracy::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sw) {
  auto [t, p] = same_rank(y_true, y_pred, name());
  if (t.shape() != p.shape()) {
    accumulate(ops::equal(t.astype(DType::float64), p.astype(DType::float64)).astype(dtype()), sw);
    return;
  }
  const std::vector<double> tv = t.to_vector<double>(), pv = p.to_vector<double>();
  std::vector<float> v(tv.size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = tv[i] == pv[i] ? 1.0f : 0.0f;
  accumulate(Tensor::from_vector(v, p.shape()), sw);
}

// ---- BinaryAccuracy ----

BinaryAccuracy::BinaryAccuracy(const BinaryAccuracyOptions& o)
    : Mean("BinaryAccuracy", {o.name, o.dtype}, "binary_accuracy"), threshold_(o.threshold) {}

void BinaryAccuracy::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sw) {
  auto [t, p0] = same_rank(y_true, y_pred, name());
  const Tensor p = as_float(p0);
  if (t.shape() != p.shape()) {
    const Tensor pred =
        ops::greater(p, Tensor::scalar(threshold_, p.dtype())).astype(DType::float64);
    accumulate(ops::equal(t.astype(DType::float64), pred).astype(dtype()), sw);
    return;
  }
  const std::vector<double> tv = t.to_vector<double>();
  std::vector<float> v(tv.size());
  detail::dispatch_float(p.dtype(), "BinaryAccuracy", [&]<typename T>() {
    const T* pd = p.data<T>();
    const T thr = static_cast<T>(threshold_);  // Keras casts the threshold to y_pred's dtype
    for (size_t i = 0; i < v.size(); ++i) v[i] = tv[i] == (pd[i] > thr ? 1.0 : 0.0) ? 1.0f : 0.0f;
  });
  accumulate(Tensor::from_vector(v, p.shape()), sw);
}

void BinaryAccuracy::config(ConfigIO& io) {
  Metric::config(io);
  io("threshold", threshold_);
}

// ---- CategoricalAccuracy ----

CategoricalAccuracy::CategoricalAccuracy(const MetricOptions& o)
    : Mean("CategoricalAccuracy", o, "categorical_accuracy") {}

void CategoricalAccuracy::update_state(const Tensor& y_true, const Tensor& y_pred,
                                       const Tensor& sw) {
  auto [t, p] = same_rank(y_true, y_pred, name());
  require_class_axis(p, name());
  if (t.shape() != p.shape())
    throw ValueError("Metric '" + name() + "': expected one-hot y_true of y_pred's shape " +
                     shape_str(p.shape()) + ", received " + shape_str(y_true.shape()) + ".");
  const auto at = row_argmax(t), ap = row_argmax(p);
  std::vector<float> v(at.size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = at[i] == ap[i] ? 1.0f : 0.0f;
  accumulate(Tensor::from_vector(v, Shape(p.shape().begin(), p.shape().end() - 1)), sw);
}

// ---- SparseCategoricalAccuracy ----

SparseCategoricalAccuracy::SparseCategoricalAccuracy(const MetricOptions& o)
    : Mean("SparseCategoricalAccuracy", o, "sparse_categorical_accuracy") {}

void SparseCategoricalAccuracy::update_state(const Tensor& y_true, const Tensor& y_pred,
                                             const Tensor& sw) {
  if (!y_true.defined() || !y_pred.defined())
    throw ValueError("Metric '" + name() + "': y_true and y_pred must be defined tensors.");
  require_class_axis(y_pred, name());
  const auto [labels, shape] = sparse_labels(y_true, y_pred, name());
  const auto ap = row_argmax(y_pred);
  std::vector<float> v(labels.size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = labels[i] == static_cast<double>(ap[i]) ? 1.f : 0.f;
  accumulate(Tensor::from_vector(v, shape), sw);
}

// ---- top k ----

TopKCategoricalAccuracy::TopKCategoricalAccuracy(const TopKOptions& o)
    : Mean("TopKCategoricalAccuracy", {o.name, o.dtype}, "top_k_categorical_accuracy"), k_(o.k) {}

void TopKCategoricalAccuracy::update_state(const Tensor& y_true, const Tensor& y_pred,
                                           const Tensor& sw) {
  auto [t, p] = same_rank(y_true, y_pred, name());
  require_class_axis(p, name());
  if (t.shape() != p.shape())
    throw ValueError("Metric '" + name() + "': expected one-hot y_true of y_pred's shape " +
                     shape_str(p.shape()) + ", received " + shape_str(y_true.shape()) + ".");
  const auto v = in_top_k(p, row_argmax(t), k_);
  accumulate(Tensor::from_vector(v, Shape(p.shape().begin(), p.shape().end() - 1)), sw);
}

void TopKCategoricalAccuracy::config(ConfigIO& io) {
  Metric::config(io);
  io("k", k_);
}

SparseTopKCategoricalAccuracy::SparseTopKCategoricalAccuracy(const TopKOptions& o)
    : Mean("SparseTopKCategoricalAccuracy", {o.name, o.dtype}, "sparse_top_k_categorical_accuracy"),
      k_(o.k) {}

void SparseTopKCategoricalAccuracy::update_state(const Tensor& y_true, const Tensor& y_pred,
                                                 const Tensor& sw) {
  if (!y_true.defined() || !y_pred.defined())
    throw ValueError("Metric '" + name() + "': y_true and y_pred must be defined tensors.");
  require_class_axis(y_pred, name());
  const auto [labels, shape] = sparse_labels(y_true, y_pred, name());
  std::vector<int64_t> targets(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) targets[i] = static_cast<int64_t>(labels[i]);
  accumulate(Tensor::from_vector(in_top_k(y_pred, targets, k_), shape), sw);
}

void SparseTopKCategoricalAccuracy::config(ConfigIO& io) {
  Metric::config(io);
  io("k", k_);
}

}  // namespace keras::metrics
