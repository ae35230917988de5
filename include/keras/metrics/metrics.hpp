// The built-in metrics (keras.metrics.Mean ... AUC) with Keras 3's semantics, default names,
// state variables and config fields (keras/src/metrics/*.py). Updates are plain loops over the
// batch, outside autograd.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

// keras.metrics.Mean: total / count with Keras's reduce_to_samplewise_values weighting (values
// of rank > 1 average over their trailing axes per sample; count adds the sample weights, or the
// number of samples). Variables "total", "count". Default name "mean".
class Mean : public Metric {
 public:
  explicit Mean(const MetricOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;

 protected:
  Mean(std::string class_name, const MetricOptions& options, const std::string& default_name);
  // Accumulates `values` (any float shape) with Keras's Mean weighting.
  void accumulate(const Tensor& values, const Tensor& sample_weight);

 private:
  Variable total_, count_;
};

// keras.metrics.Sum: the weighted sum of the values. Variable "total". Default name "sum".
class Sum : public Metric {
 public:
  explicit Sum(const MetricOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;

 private:
  Variable total_;
};

// Declares a Mean of per-sample values computed from (y_true, y_pred) (Keras's
// MeanMetricWrapper subclasses whose config is name and dtype).
#define KERAS_MEAN_WRAPPER(ClassName)                                   \
  class ClassName : public Mean {                                       \
   public:                                                              \
    explicit ClassName(const MetricOptions& options = {});              \
    void update_state(const Tensor& y_true, const Tensor& y_pred,       \
                      const Tensor& sample_weight = Tensor()) override; \
  }

// keras.metrics.Accuracy: y_true == y_pred elementwise. "accuracy".
KERAS_MEAN_WRAPPER(Accuracy);
// keras.metrics.CategoricalAccuracy: argmax(y_true) == argmax(y_pred) (first maximum).
KERAS_MEAN_WRAPPER(CategoricalAccuracy);
// keras.metrics.SparseCategoricalAccuracy: label == argmax(y_pred); labels of shape
// y_pred.shape[:-1], optionally with a trailing 1.
KERAS_MEAN_WRAPPER(SparseCategoricalAccuracy);
// keras.metrics.MeanSquaredError: mean((y_true - y_pred)^2, axis=-1) per sample.
KERAS_MEAN_WRAPPER(MeanSquaredError);
// keras.metrics.MeanAbsoluteError: mean(|y_true - y_pred|, axis=-1) per sample.
KERAS_MEAN_WRAPPER(MeanAbsoluteError);

#undef KERAS_MEAN_WRAPPER

// keras.metrics.RootMeanSquaredError: sqrt of the Mean of the elementwise squared errors.
// Variables "total", "count". "root_mean_squared_error".
class RootMeanSquaredError : public Mean {
 public:
  explicit RootMeanSquaredError(const MetricOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
};

struct BinaryAccuracyOptions {
  std::string name{};  // default "binary_accuracy"
  DType dtype = DType::float32;
  double threshold = 0.5;
};

// keras.metrics.BinaryAccuracy: y_true == (y_pred > threshold), elementwise.
class BinaryAccuracy : public Mean {
 public:
  explicit BinaryAccuracy(const BinaryAccuracyOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  void config(ConfigIO& io) override;

 private:
  double threshold_;
};

struct TopKOptions {
  int k = 5;
  std::string name{};  // default "top_k_categorical_accuracy" / "sparse_top_k_categorical_accuracy"
  DType dtype = DType::float32;
};

// keras.metrics.TopKCategoricalAccuracy: argmax(y_true) is in the top k of y_pred (TF's in_top_k:
// fewer than k predictions strictly greater than the target's, which must be finite).
class TopKCategoricalAccuracy : public Mean {
 public:
  explicit TopKCategoricalAccuracy(const TopKOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  void config(ConfigIO& io) override;

 private:
  int k_;
};

// keras.metrics.SparseTopKCategoricalAccuracy: the integer label is in the top k of y_pred.
class SparseTopKCategoricalAccuracy : public Mean {
 public:
  explicit SparseTopKCategoricalAccuracy(const TopKOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  void config(ConfigIO& io) override;

 private:
  int k_;
};

// A Mean of a loss's per-sample values (Keras's MeanMetricWrapper around a loss function:
// keras.metrics.KLDivergence, Poisson, Hinge, MeanAbsolutePercentageError...). Config: name,
// dtype, then the fields of the wrapped function (cross-entropies: from_logits...).
class LossMetric : public Mean {
 public:
  // `fn` computes the per-sample values; `fields` are the config keys after name and dtype,
  // read from and written to fn's own config.
  LossMetric(std::string class_name, const MetricOptions& options, const std::string& default_name,
             std::shared_ptr<losses::Loss> fn, std::vector<std::string> fields = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  void config(ConfigIO& io) override;
  const losses::Loss& fn() const { return *fn_; }

 private:
  std::shared_ptr<losses::Loss> fn_;
  std::vector<std::string> fields_;
};

// keras.metrics.BinaryCrossentropy / CategoricalCrossentropy / SparseCategoricalCrossentropy
// (Keras's argument order: name, dtype, from_logits, label_smoothing, axis).
struct CrossentropyOptions {
  std::string name{};
  DType dtype = DType::float32;
  bool from_logits = false;
  double label_smoothing = 0.0;  // not for the sparse metric
  int axis = -1;                 // not for the binary metric
};
std::shared_ptr<LossMetric> BinaryCrossentropy(const CrossentropyOptions& options = {});
std::shared_ptr<LossMetric> CategoricalCrossentropy(const CrossentropyOptions& options = {});
std::shared_ptr<LossMetric> SparseCategoricalCrossentropy(const CrossentropyOptions& options = {});

struct PrecisionRecallOptions {
  std::optional<std::vector<double>> thresholds{};  // default 0.5 (or -inf with top_k)
  std::optional<int> top_k{};
  std::optional<int> class_id{};
  std::string name{};  // default "precision" / "recall"
  DType dtype = DType::float32;
};

// keras.metrics.Precision: tp / (tp + fp) per threshold (y_pred > threshold, label != 0), with
// top_k / class_id as Keras. Variables "true_positives", "false_positives". A scalar result for
// one threshold, else one value per threshold.
class Precision : public Metric {
 public:
  explicit Precision(const PrecisionRecallOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  void config(ConfigIO& io) override;

 protected:
  Precision(std::string class_name, const PrecisionRecallOptions& options,
            const std::string& default_name);
  bool class_name_is_recall() const;
  PrecisionRecallOptions o_;
  std::vector<double> thresholds_;
  Variable true_positives_, second_;  // second_: false_positives (Recall: false_negatives)
};

// keras.metrics.Recall: tp / (tp + fn). Variables "true_positives", "false_negatives".
class Recall : public Precision {
 public:
  explicit Recall(const PrecisionRecallOptions& options = {});
};

struct AUCOptions {
  int num_thresholds = 200;
  std::string curve = "ROC";                       // or "PR"
  std::string summation_method = "interpolation";  // or "minoring", "majoring"
  std::string name{};                              // default "auc"
  DType dtype = DType::float32;
  std::optional<std::vector<double>> thresholds{};  // explicit inner thresholds
  bool from_logits = false;
};

// keras.metrics.AUC (multi_label=False): confusion counts at thresholds [-eps, 1/(T-1), ...,
// (T-2)/(T-1), 1+eps] (eps = 1e-7), predictions clipped to [0, 1] and bucketed as Keras's
// _update_confusion_matrix_variables_optimized; ROC by the trapezoid rule on (fp_rate, recall),
// PR with interpolation by Davis & Goadrich's formula (Keras's interpolate_pr_auc), minoring /
// majoring by min / max heights. Variables "true_positives", "false_positives",
// "true_negatives", "false_negatives" (shape (T,)).
class AUC : public Metric {
 public:
  explicit AUC(const AUCOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  void config(ConfigIO& io) override;
  const std::vector<double>& thresholds() const { return thresholds_; }

 private:
  void init_state();  // validates the options, builds thresholds and variables
  AUCOptions o_;
  std::vector<double> thresholds_;
  bool evenly_ = true;
  Variable tp_, fp_, tn_, fn_;
};

}  // namespace keras::metrics
