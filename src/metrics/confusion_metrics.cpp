// Precision, Recall and AUC (Keras 3's confusion_metrics.py with metrics_utils.py's
// update_confusion_matrix_variables): weighted confusion counts per threshold, one pass over
// the batch.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/dispatch.hpp"
#include "keras/losses/loss.hpp"
#include "keras/metrics/metrics.hpp"
#include "keras/ops.hpp"

namespace keras::metrics {

namespace {

constexpr double kEps = 1e-7;      // backend.epsilon()
constexpr double kNegInf = -1e10;  // metrics_utils.NEG_INF

// Flattened predictions, 0/1 labels and weights, prepared as update_confusion_matrix_variables
// does: same-rank labels, sample_weight expanded then broadcast to y_pred, top_k filtering and
// the class_id column.
struct Flat {
  std::vector<double> pred;
  std::vector<uint8_t> label;
  std::vector<double> weight;  // empty: all ones
};

Flat flatten(const Tensor& y_true_in, const Tensor& y_pred_in, const Tensor& sample_weight,
             std::optional<int> top_k, std::optional<int> class_id, bool from_logits,
             const std::string& metric) {
  if (!y_true_in.defined() || !y_pred_in.defined())
    throw ValueError("Metric '" + metric + "': y_true and y_pred must be defined tensors.");
  auto [y_pred, y_true] = losses::squeeze_or_expand_to_same_rank(y_pred_in, y_true_in);
  if (y_pred.size() != y_true.size() || y_pred.ndim() != y_true.ndim())
    throw ValueError("Metric '" + metric +
                     "': expected y_true and y_pred of the same shape, "
                     "received y_true.shape=" +
                     shape_str(y_true_in.shape()) +
                     " and y_pred.shape=" + shape_str(y_pred_in.shape()) + ".");
  Flat f;
  f.pred = y_pred.to_vector<double>();
  if (from_logits)
    for (double& p : f.pred) p = 1.0 / (1.0 + std::exp(-p));
  const std::vector<double> t = y_true.to_vector<double>();
  f.label.resize(t.size());
  for (size_t i = 0; i < t.size(); ++i) f.label[i] = t[i] != 0.0;
  Shape shape = y_pred.shape();
  if (sample_weight.defined()) {
    Shape ws = sample_weight.shape();
    ws.push_back(1);  // expand_dims(sample_weight, -1)
    Tensor w = sample_weight.reshape(ws);
    w = losses::squeeze_or_expand_to_same_rank(y_true, w, /*expand_rank_1=*/false).second;
    if (w.size() == y_pred.size()) {
      f.weight = w.to_vector<double>();
    } else {
      try {
        f.weight = ops::broadcast_to(w.astype(DType::float64), shape).to_vector<double>();
      } catch (const ValueError&) {
        throw ValueError("Metric '" + metric + "': sample_weight of shape " +
                         shape_str(sample_weight.shape()) + " cannot be broadcast to y_pred " +
                         shape_str(shape) + ".");
      }
    }
  }
  const int64_t C = shape.empty() ? 1 : shape.back();
  const int64_t rows = C ? static_cast<int64_t>(f.pred.size()) / C : 0;
  if (top_k) {  // _filter_top_k: everything outside the row's top k becomes NEG_INF
    std::vector<double> filtered(f.pred.size(), kNegInf);
    for (int64_t r = 0; r < rows; ++r) {
      const double* row = f.pred.data() + r * C;
      for (int64_t j = 0; j < C; ++j) {
        int64_t before = 0;  // ranks as tf.math.top_k: ties go to the lower index
        for (int64_t i = 0; i < C; ++i) before += row[i] > row[j] || (row[i] == row[j] && i < j);
        if (before < *top_k) filtered[r * C + j] = row[j];
      }
    }
    f.pred = std::move(filtered);
  }
  if (class_id) {
    if (shape.size() < 2 || *class_id < 0 || *class_id >= C)
      throw ValueError("Metric '" + metric + "': class_id " + std::to_string(*class_id) +
                       " needs y_pred of shape (num_samples, num_classes) with more classes, "
                       "received " +
                       shape_str(shape) + ".");
    Flat c;
    for (int64_t r = 0; r < rows; ++r) {
      c.pred.push_back(f.pred[r * C + *class_id]);
      c.label.push_back(f.label[r * C + *class_id]);
      if (!f.weight.empty()) c.weight.push_back(f.weight[r * C + *class_id]);
    }
    f = std::move(c);
  }
  return f;
}

struct Counts {
  std::vector<double> tp, fp, tn, fn;
};

// Keras's is_evenly_distributed_thresholds (np.allclose with atol = epsilon, rtol = 1e-5).
bool evenly_distributed(const std::vector<double>& t) {
  const size_t n = t.size();
  if (n < 3) return false;
  for (size_t i = 0; i < n; ++i) {
    const double even = static_cast<double>(static_cast<float>(i) / static_cast<float>(n - 1));
    if (std::abs(t[i] - even) > kEps + 1e-5 * std::abs(even)) return false;
  }
  return true;
}

Counts count(const Flat& f, const std::vector<double>& thresholds, bool evenly) {
  const size_t T = thresholds.size(), n = f.pred.size();
  Counts c{std::vector<double>(T), std::vector<double>(T), std::vector<double>(T),
           std::vector<double>(T)};
  double total_true = 0.0, total_false = 0.0;
  if (evenly) {
    // _update_confusion_matrix_variables_optimized: predictions clipped to [0, 1] and bucketed
    // by ceil(p * (T - 1)) - 1 in float32 (p must beat a threshold strictly); endpoint thresholds
    // with epsilon move bucket -1 to 0, otherwise it is dropped. Reverse cumulative sums give the
    // counts at every threshold in O(N + T).
    const bool with_epsilon = thresholds.front() < 0.0 || thresholds.back() > 1.0;
    std::vector<double> tp_b(T), fp_b(T);
    const float scale = static_cast<float>(T - 1);
    for (size_t i = 0; i < n; ++i) {
      const double w = f.weight.empty() ? 1.0 : f.weight[i];
      const double pos = f.label[i] ? w : 0.0, neg = f.label[i] ? 0.0 : w;
      total_true += pos;
      total_false += neg;
      const float p = std::clamp(static_cast<float>(f.pred[i]), 0.0f, 1.0f);
      if (std::isnan(p)) continue;
      int64_t b = static_cast<int64_t>(std::ceil(p * scale)) - 1;
      if (b < 0) {
        if (!with_epsilon) continue;
        b = 0;
      }
      b = std::min<int64_t>(b, static_cast<int64_t>(T) - 1);
      tp_b[b] += pos;
      fp_b[b] += neg;
    }
    double tp = 0.0, fp = 0.0;
    for (size_t i = T; i-- > 0;) {
      tp += tp_b[i];
      fp += fp_b[i];
      c.tp[i] = tp;
      c.fp[i] = fp;
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      const double w = f.weight.empty() ? 1.0 : f.weight[i];
      const double p = f.pred[i];
      if (f.label[i]) {
        total_true += w;
        for (size_t k = 0; k < T; ++k) c.tp[k] += p > thresholds[k] ? w : 0.0;
      } else {
        total_false += w;
        for (size_t k = 0; k < T; ++k) c.fp[k] += p > thresholds[k] ? w : 0.0;
      }
    }
  }
  for (size_t k = 0; k < T; ++k) {
    c.tn[k] = total_false - c.fp[k];
    c.fn[k] = total_true - c.tp[k];
  }
  return c;
}

void add_to(Variable& v, const std::vector<double>& delta) {
  v.assign_add(Tensor::from_vector(delta, v.shape()).astype(v.dtype()));
}

double div_no_nan(double a, double b) { return b != 0.0 ? a / b : 0.0; }

void check_thresholds(const std::vector<double>& t, const std::string& metric) {
  for (double x : t)
    if (!(x >= 0.0 && x <= 1.0))
      throw ValueError("Metric '" + metric +
                       "': threshold values must be in [0, 1]. Received: " + std::to_string(x));
}

// Writes an optional as a value or null; reads null / a number.
template <typename T>
void optional_field(ConfigIO& io, const char* key, std::optional<T>& v) {
  if (io.writing()) {
    (*io.output())[key] = v ? json(*v) : json(nullptr);
    return;
  }
  auto it = io.input()->find(key);
  if (it == io.input()->end()) return;
  io.consume(key);
  if (it->is_null()) {
    v.reset();
  } else if (it->is_number()) {
    v = it->get<T>();
  } else {
    throw ValueError(std::string("Invalid value for config field '") + key + "': " + it->dump());
  }
}

// Thresholds as Keras writes them: null, a number or a list.
void thresholds_field(ConfigIO& io, std::optional<std::vector<double>>& v) {
  if (io.writing()) {
    (*io.output())["thresholds"] = v ? json(*v) : json(nullptr);
    return;
  }
  auto it = io.input()->find("thresholds");
  if (it == io.input()->end()) return;
  io.consume("thresholds");
  if (it->is_null()) {
    v.reset();
  } else if (it->is_number()) {
    v = std::vector<double>{it->get<double>()};
  } else if (it->is_array()) {
    v = it->get<std::vector<double>>();
  } else {
    throw ValueError("Invalid value for config field 'thresholds': " + it->dump());
  }
}

}  // namespace

// ---- Precision / Recall ----

Precision::Precision(const PrecisionRecallOptions& o) : Precision("Precision", o, "precision") {}

Precision::Precision(std::string class_name, const PrecisionRecallOptions& o,
                     const std::string& default_name)
    : Metric(std::move(class_name), o.name.empty() ? default_name : o.name, o.dtype), o_(o) {
  if (o_.thresholds) check_thresholds(*o_.thresholds, name());
  thresholds_ = o_.thresholds ? *o_.thresholds : std::vector<double>{o_.top_k ? kNegInf : 0.5};
  const Shape shape{static_cast<int64_t>(thresholds_.size())};
  true_positives_ = add_variable("true_positives", shape);
  second_ = add_variable(class_name_is_recall() ? "false_negatives" : "false_positives", shape);
}

bool Precision::class_name_is_recall() const { return class_name() == "Recall"; }

void Precision::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sw) {
  const Flat f = flatten(y_true, y_pred, sw, o_.top_k, o_.class_id, false, name());
  const Counts c = count(f, thresholds_, evenly_distributed(thresholds_));
  add_to(true_positives_, c.tp);
  add_to(second_, class_name_is_recall() ? c.fn : c.fp);
}

Tensor Precision::result() const {
  const auto tp = true_positives_.value().to_vector<double>();
  const auto other = second_.value().to_vector<double>();
  std::vector<double> r(tp.size());
  for (size_t i = 0; i < r.size(); ++i) r[i] = div_no_nan(tp[i], tp[i] + other[i]);
  if (r.size() == 1) return Tensor::scalar(r[0], dtype());
  return Tensor::from_vector(r).astype(dtype());
}

void Precision::config(ConfigIO& io) {
  Metric::config(io);
  thresholds_field(io, o_.thresholds);
  optional_field(io, "top_k", o_.top_k);
  optional_field(io, "class_id", o_.class_id);
  if (io.reading()) {  // rebuild the state for the thresholds read
    if (o_.thresholds) check_thresholds(*o_.thresholds, name());
    thresholds_ = o_.thresholds ? *o_.thresholds : std::vector<double>{o_.top_k ? kNegInf : 0.5};
    const Shape shape{static_cast<int64_t>(thresholds_.size())};
    clear_variables();
    true_positives_ = add_variable("true_positives", shape);
    second_ = add_variable(class_name_is_recall() ? "false_negatives" : "false_positives", shape);
  }
}

Recall::Recall(const PrecisionRecallOptions& o) : Precision("Recall", o, "recall") {}

// ---- AUC ----

AUC::AUC(const AUCOptions& o) : Metric("AUC", o.name.empty() ? "auc" : o.name, o.dtype), o_(o) {
  init_state();
}

void AUC::init_state() {
  if (o_.curve == "roc") o_.curve = "ROC";
  if (o_.curve == "pr") o_.curve = "PR";
  if (o_.curve != "ROC" && o_.curve != "PR")
    throw ValueError("AUC: invalid `curve` argument value \"" + o_.curve +
                     "\". Expected one of: ROC, PR.");
  std::string s = o_.summation_method;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (s != "interpolation" && s != "minoring" && s != "majoring")
    throw ValueError("AUC: invalid `summation_method` argument value \"" + o_.summation_method +
                     "\". Expected one of: interpolation, minoring, majoring.");
  o_.summation_method = s;
  std::vector<double> inner;
  if (o_.thresholds) {
    check_thresholds(*o_.thresholds, name());
    inner = *o_.thresholds;
    std::sort(inner.begin(), inner.end());
    std::vector<double> with_ends{0.0};
    with_ends.insert(with_ends.end(), inner.begin(), inner.end());
    with_ends.push_back(1.0);
    evenly_ = evenly_distributed(with_ends);
    o_.num_thresholds = static_cast<int>(inner.size()) + 2;
  } else {
    if (o_.num_thresholds <= 1)
      throw ValueError(
          "AUC: argument `num_thresholds` must be an integer > 1. Received: "
          "num_thresholds=" +
          std::to_string(o_.num_thresholds));
    for (int i = 0; i < o_.num_thresholds - 2; ++i)
      inner.push_back((i + 1) * 1.0 / (o_.num_thresholds - 1));
    evenly_ = true;
  }
  thresholds_.assign(1, 0.0 - kEps);
  thresholds_.insert(thresholds_.end(), inner.begin(), inner.end());
  thresholds_.push_back(1.0 + kEps);
  const Shape shape{static_cast<int64_t>(thresholds_.size())};
  clear_variables();
  tp_ = add_variable("true_positives", shape);
  fp_ = add_variable("false_positives", shape);
  tn_ = add_variable("true_negatives", shape);
  fn_ = add_variable("false_negatives", shape);
}

void AUC::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sw) {
  const Flat f = flatten(y_true, y_pred, sw, std::nullopt, std::nullopt, o_.from_logits, name());
  const Counts c = count(f, thresholds_, evenly_);
  add_to(tp_, c.tp);
  add_to(fp_, c.fp);
  add_to(tn_, c.tn);
  add_to(fn_, c.fn);
}

Tensor AUC::result() const {
  const auto tp = tp_.value().to_vector<double>(), fp = fp_.value().to_vector<double>();
  const auto tn = tn_.value().to_vector<double>(), fn = fn_.value().to_vector<double>();
  const size_t T = tp.size();
  double auc = 0.0;
  if (o_.curve == "PR" && o_.summation_method == "interpolation") {
    // interpolate_pr_auc (Davis & Goadrich 2006, Keras's closed form).
    for (size_t i = 0; i + 1 < T; ++i) {
      const double dtp = tp[i] - tp[i + 1];
      const double p0 = tp[i] + fp[i], p1 = tp[i + 1] + fp[i + 1];
      const double slope = div_no_nan(dtp, std::max(p0 - p1, 0.0));
      const double intercept = tp[i + 1] - slope * p1;
      const double ratio = p0 > 0 && p1 > 0 ? div_no_nan(p0, std::max(p1, 0.0)) : 1.0;
      auc += div_no_nan(slope * (dtp + intercept * std::log(ratio)),
                        std::max(tp[i + 1] + fn[i + 1], 0.0));
    }
    return Tensor::scalar(auc, dtype());
  }
  std::vector<double> x(T), y(T);
  for (size_t i = 0; i < T; ++i) {
    const double recall = div_no_nan(tp[i], tp[i] + fn[i]);
    if (o_.curve == "ROC") {
      x[i] = div_no_nan(fp[i], fp[i] + tn[i]);
      y[i] = recall;
    } else {
      x[i] = recall;
      y[i] = div_no_nan(tp[i], tp[i] + fp[i]);
    }
  }
  for (size_t i = 0; i + 1 < T; ++i) {
    double h;
    if (o_.summation_method == "interpolation") {
      h = (y[i] + y[i + 1]) / 2.0;
    } else if (o_.summation_method == "minoring") {
      h = std::min(y[i], y[i + 1]);
    } else {
      h = std::max(y[i], y[i + 1]);
    }
    auc += (x[i] - x[i + 1]) * h;
  }
  return Tensor::scalar(auc, dtype());
}

void AUC::config(ConfigIO& io) {
  Metric::config(io);
  io("num_thresholds", o_.num_thresholds);
  io("curve", o_.curve);
  io("summation_method", o_.summation_method);
  bool multi_label = false;
  io("multi_label", multi_label);
  std::optional<int> num_labels;
  optional_field(io, "num_labels", num_labels);
  if (io.writing()) {
    (*io.output())["label_weights"] = nullptr;
  } else if (auto it = io.input()->find("label_weights"); it != io.input()->end()) {
    io.consume("label_weights");
    if (!it->is_null()) throw NotImplementedError("AUC: label_weights are not supported yet.");
  }
  io("from_logits", o_.from_logits);
  if (io.writing()) {
    if (o_.thresholds) {
      // Keras writes thresholds[1:-1], the sorted inner thresholds.
      (*io.output())["thresholds"] =
          std::vector<double>(thresholds_.begin() + 1, thresholds_.end() - 1);
    }
    return;
  }
  if (multi_label || num_labels)
    throw NotImplementedError("AUC: multi_label=True is not supported yet.");
  thresholds_field(io, o_.thresholds);
  init_state();
}

}  // namespace keras::metrics
