// Mean, Sum (Keras 3's reduction_metrics.py), the regression metrics and LossMetric.
#include <cmath>

#include "keras/core/autograd.hpp"
#include "keras/losses/losses.hpp"
#include "keras/metrics/metrics.hpp"
#include "keras/ops.hpp"

namespace keras::metrics {

namespace {

struct Samplewise {
  double total = 0.0;
  double count = 0.0;
};

// Rows of `inner` elements reduced to one value each (mean or sum).
std::vector<double> reduce_rows(const std::vector<double>& v, int64_t inner, bool mean) {
  const int64_t outer = inner ? static_cast<int64_t>(v.size()) / inner : 0;
  std::vector<double> out(outer);
  for (int64_t i = 0; i < outer; ++i) {
    double s = 0.0;
    for (int64_t j = 0; j < inner; ++j) s += v[i * inner + j];
    out[i] = mean ? s / static_cast<double>(inner) : s;
  }
  return out;
}

int64_t prod(const Shape& s, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t i = from; i < to; ++i) n *= s[i];
  return n;
}

// Keras's reduce_to_samplewise_values followed by Mean/Sum's sums: the total of the (weighted,
// per-sample reduced) values and the number of samples or the sum of the per-sample weights.
Samplewise samplewise(const Tensor& values, const Tensor& sample_weight, bool mean,
                      const std::string& metric) {
  Samplewise out;
  if (!sample_weight.defined()) {
    const std::vector<double> v = values.to_vector<double>();
    if (values.ndim() >= 2) {
      const int64_t n0 = values.dim(0);
      for (double x : reduce_rows(v, n0 ? values.size() / n0 : 0, mean)) out.total += x;
      out.count = static_cast<double>(n0);
    } else {
      for (double x : v) out.total += x;
      out.count = values.ndim() == 1 ? static_cast<double>(values.dim(0)) : 1.0;
    }
    return out;
  }
  auto [v_t, w_t] = losses::squeeze_or_expand_to_same_rank(values, sample_weight);
  const size_t rw = static_cast<size_t>(w_t.ndim());
  if (static_cast<size_t>(v_t.ndim()) < rw)
    throw ValueError("Metric '" + metric + "': sample_weight of shape " +
                     shape_str(sample_weight.shape()) + " has a higher rank than the values " +
                     shape_str(values.shape()) + ".");
  std::vector<double> v = v_t.to_vector<double>();
  Shape sv = v_t.shape();
  if (sv.size() > rw) {  // reduce the values to the weights' rank
    v = reduce_rows(v, prod(sv, rw, sv.size()), mean);
    sv.resize(rw);
  }
  std::vector<double> w;
  if (w_t.shape() == sv) {
    w = w_t.to_vector<double>();
  } else {
    try {
      w = ops::broadcast_to(w_t.astype(DType::float64), sv).to_vector<double>();
    } catch (const ValueError&) {
      throw ValueError("Metric '" + metric + "': sample_weight of shape " +
                       shape_str(sample_weight.shape()) + " cannot be broadcast to the values " +
                       shape_str(values.shape()) + ".");
    }
  }
  for (size_t i = 0; i < v.size(); ++i) v[i] *= w[i];
  const int64_t inner = sv.size() > 1 ? prod(sv, 1, sv.size()) : 1;
  if (rw > 1) w = reduce_rows(w, inner, mean);
  if (sv.size() > 1) v = reduce_rows(v, inner, mean);
  for (double x : v) out.total += x;
  for (double x : w) out.count += x;
  return out;
}

void add_to(Variable& v, double delta) { v.assign_add(Tensor::scalar(delta, v.dtype())); }

std::pair<Tensor, Tensor> same_rank(const Tensor& y_true, const Tensor& y_pred,
                                    const std::string& metric) {
  if (!y_true.defined() || !y_pred.defined())
    throw ValueError("Metric '" + metric + "': y_true and y_pred must be defined tensors.");
  return losses::squeeze_or_expand_to_same_rank(y_true, y_pred);
}

}  // namespace

// ---- Mean ----

Mean::Mean(const MetricOptions& o) : Mean("Mean", o, "mean") {}

Mean::Mean(std::string class_name, const MetricOptions& o, const std::string& default_name)
    : Metric(std::move(class_name), o.name.empty() ? default_name : o.name, o.dtype) {
  total_ = add_variable("total");
  count_ = add_variable("count");
}

void Mean::accumulate(const Tensor& values, const Tensor& sample_weight) {
  const auto s = samplewise(values, sample_weight, /*mean=*/true, name());
  add_to(total_, s.total);
  add_to(count_, s.count);
}

void Mean::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  const Tensor& values = y_pred.defined() ? y_pred : y_true;
  if (!values.defined()) throw ValueError("Metric '" + name() + "': no values were given.");
  accumulate(values, sample_weight);
}

Tensor Mean::result() const {
  const double total = total_.value().item<double>(), count = count_.value().item<double>();
  return Tensor::scalar(count != 0.0 ? total / count : 0.0, dtype());  // divide_no_nan
}

// ---- Sum ----

Sum::Sum(const MetricOptions& o) : Metric("Sum", o.name.empty() ? "sum" : o.name, o.dtype) {
  total_ = add_variable("total");
}

void Sum::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  const Tensor& values = y_pred.defined() ? y_pred : y_true;
  if (!values.defined()) throw ValueError("Metric '" + name() + "': no values were given.");
  add_to(total_, samplewise(values, sample_weight, /*mean=*/false, name()).total);
}

Tensor Sum::result() const { return total_.value().astype(dtype()); }

// ---- regression metrics ----

namespace {

// Per-sample mean over the last axis of f(t - p) for equal shapes; a generic broadcasting path
// for the rare unequal ones.
template <typename F>
Tensor rowwise_error(const Tensor& y_true, const Tensor& y_pred, const std::string& metric, F f) {
  auto [t, p] = same_rank(y_true, y_pred, metric);
  if (t.shape() != p.shape()) {  // broadcasting shapes: rare, generic path
    const Tensor d = ops::subtract(t.astype(DType::float64), p.astype(DType::float64));
    std::vector<double> v = d.to_vector<double>();
    for (double& x : v) x = f(x);
    return ops::mean(Tensor::from_vector(v, d.shape()), {-1});
  }
  if (p.ndim() == 0) {
    return Tensor::scalar(f(t.item<double>() - p.item<double>()), DType::float64);
  }
  const std::vector<double> tv = t.to_vector<double>(), pv = p.to_vector<double>();
  const int64_t C = p.shape().back(), rows = C ? p.size() / C : 0;
  Shape out_shape(p.shape().begin(), p.shape().end() - 1);
  std::vector<double> out(rows);
  for (int64_t r = 0; r < rows; ++r) {
    double s = 0.0;
    for (int64_t j = 0; j < C; ++j) s += f(tv[r * C + j] - pv[r * C + j]);
    out[r] = s / static_cast<double>(C);
  }
  return Tensor::from_vector(out, out_shape);
}

}  // namespace

MeanSquaredError::MeanSquaredError(const MetricOptions& o)
    : Mean("MeanSquaredError", o, "mean_squared_error") {}

void MeanSquaredError::update_state(const Tensor& y_true, const Tensor& y_pred,
                                    const Tensor& sample_weight) {
  accumulate(rowwise_error(y_true, y_pred, name(), [](double d) { return d * d; }), sample_weight);
}

MeanAbsoluteError::MeanAbsoluteError(const MetricOptions& o)
    : Mean("MeanAbsoluteError", o, "mean_absolute_error") {}

void MeanAbsoluteError::update_state(const Tensor& y_true, const Tensor& y_pred,
                                     const Tensor& sample_weight) {
  accumulate(rowwise_error(y_true, y_pred, name(), [](double d) { return std::abs(d); }),
             sample_weight);
}

RootMeanSquaredError::RootMeanSquaredError(const MetricOptions& o)
    : Mean("RootMeanSquaredError", o, "root_mean_squared_error") {}

void RootMeanSquaredError::update_state(const Tensor& y_true, const Tensor& y_pred,
                                        const Tensor& sample_weight) {
  auto [t, p] = same_rank(y_true, y_pred, name());
  // Keras: Mean of the elementwise squared errors (averaged per sample by Mean itself).
  Tensor sq;
  if (t.shape() == p.shape()) {
    std::vector<double> tv = t.to_vector<double>();
    const std::vector<double> pv = p.to_vector<double>();
    for (size_t i = 0; i < tv.size(); ++i) tv[i] = (pv[i] - tv[i]) * (pv[i] - tv[i]);
    sq = Tensor::from_vector(tv, p.shape());
  } else {
    sq = ops::square(ops::subtract(p.astype(DType::float64), t.astype(DType::float64)));
  }
  accumulate(sq, sample_weight);
}

Tensor RootMeanSquaredError::result() const {
  return Tensor::scalar(std::sqrt(Mean::result().item<double>()), dtype());
}

// ---- LossMetric ----

LossMetric::LossMetric(std::string class_name, const MetricOptions& o,
                       const std::string& default_name, std::shared_ptr<losses::Loss> fn,
                       std::vector<std::string> fields)
    : Mean(std::move(class_name), o, default_name),
      fn_(std::move(fn)),
      fields_(std::move(fields)) {}

void LossMetric::update_state(const Tensor& y_true, const Tensor& y_pred,
                              const Tensor& sample_weight) {
  if (!y_true.defined() || !y_pred.defined())
    throw ValueError("Metric '" + name() + "': y_true and y_pred must be defined tensors.");
  autograd::NoGradGuard no_grad;
  const Tensor p = y_pred.dtype() == DType::float64 ? y_pred : y_pred.astype(DType::float32);
  accumulate(fn_->call(y_true, p), sample_weight);
}

void LossMetric::config(ConfigIO& io) {
  Metric::config(io);
  json fn_config = fn_->get_config();
  if (io.writing()) {
    for (const auto& f : fields_) (*io.output())[f] = fn_config[f];
    return;
  }
  json update = fn_config;
  for (const auto& f : fields_) {
    if (auto it = io.input()->find(f); it != io.input()->end()) {
      update[f] = *it;
      io.consume(f);
    }
  }
  ConfigIO reader = ConfigIO::reader(update);
  fn_->config(reader);
}

std::shared_ptr<LossMetric> BinaryCrossentropy(const CrossentropyOptions& o) {
  return std::make_shared<LossMetric>(
      "BinaryCrossentropy", MetricOptions{o.name, o.dtype}, "binary_crossentropy",
      std::make_shared<losses::BinaryCrossentropy>(
          losses::BinaryCrossentropyOptions{o.from_logits, o.label_smoothing}),
      std::vector<std::string>{"from_logits", "label_smoothing"});
}

std::shared_ptr<LossMetric> CategoricalCrossentropy(const CrossentropyOptions& o) {
  return std::make_shared<LossMetric>(
      "CategoricalCrossentropy", MetricOptions{o.name, o.dtype}, "categorical_crossentropy",
      std::make_shared<losses::CategoricalCrossentropy>(
          losses::CategoricalCrossentropyOptions{o.from_logits, o.label_smoothing, o.axis}),
      std::vector<std::string>{"from_logits", "label_smoothing", "axis"});
}

std::shared_ptr<LossMetric> SparseCategoricalCrossentropy(const CrossentropyOptions& o) {
  if (o.axis != -1)
    throw ValueError("SparseCategoricalCrossentropy metric: only axis=-1 is supported, received " +
                     std::to_string(o.axis) + ".");
  return std::make_shared<LossMetric>("SparseCategoricalCrossentropy",
                                      MetricOptions{o.name, o.dtype},
                                      "sparse_categorical_crossentropy",
                                      std::make_shared<losses::SparseCategoricalCrossentropy>([&] {
                                        losses::SparseCategoricalCrossentropyOptions so;
                                        so.from_logits = o.from_logits;
                                        return so;
                                      }()),
                                      std::vector<std::string>{"from_logits"});
}

}  // namespace keras::metrics
