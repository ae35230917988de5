// EarlyStopping's decisions (keras/src/callbacks/early_stopping.py).
#include "callbacks/early_stopping_logic.hpp"

#include <cmath>
#include <limits>

#include "callbacks/format.hpp"

namespace keras::callbacks::internal {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Keras 3 reads a metric's _direction; keras-cpp's metrics do not carry one, so the direction is
// taken from the name Keras gives each built-in metric ("up" for accuracies, AUC, precision,
// recall, F-scores, R2, IoUs, cosine similarity; "down" for errors, crossentropies, hinges...).
std::optional<bool> maximize_by_name(const std::string& name) {
  if (name == "loss") return false;
  static const char* const kUp[] = {"acc",      "auc",         "precision", "recall",
                                    "f1_score", "fbeta_score", "r2_score",  "cosine_similarity"};
  static const char* const kDown[] = {
      "mse",           "mae",     "mape",    "msle",     "kld",
      "kl_divergence", "poisson", "logcosh", "log_cosh", "kullback_leibler_divergence"};
  for (const char* n : kUp)
    if (name == n) return true;
  for (const char* n : kDown)
    if (name == n) return false;
  if (name.find("accuracy") != std::string::npos || ends_with(name, "iou")) return true;
  if (ends_with(name, "_error") || ends_with(name, "crossentropy") || ends_with(name, "hinge"))
    return false;
  return std::nullopt;
}

}  // namespace

EarlyStoppingTracker::EarlyStoppingTracker(const EarlyStoppingOptions& options)
    : options_(options), min_delta_(std::fabs(options.min_delta)) {
  if (options_.mode != "auto" && options_.mode != "min" && options_.mode != "max") {
    warn("EarlyStopping mode " + options_.mode + " is unknown, fallback to auto mode.");
    options_.mode = "auto";
  }
}

void EarlyStoppingTracker::set_monitor_op() {
  if (options_.mode == "min") {
    maximize_ = false;
  } else if (options_.mode == "max") {
    maximize_ = true;
  } else {
    std::string metric = options_.monitor;
    if (metric.rfind("val_", 0) == 0) metric = metric.substr(4);
    maximize_ = maximize_by_name(metric);
    if (!maximize_)
      throw ValueError("EarlyStopping callback received monitor=" + options_.monitor +
                       " but Keras isn't able to automatically determine whether that metric "
                       "should be maximized or minimized. Pass `mode='max'` in order to do early "
                       "stopping based on the highest metric value, or pass `mode='min'` in "
                       "order to use the lowest value.");
  }
  min_delta_ = *maximize_ ? std::fabs(options_.min_delta) : -std::fabs(options_.min_delta);
  best_ = *maximize_ ? -std::numeric_limits<double>::infinity()
                     : std::numeric_limits<double>::infinity();
}

bool EarlyStoppingTracker::is_improvement(double value, double reference) const {
  return *maximize_ ? value - min_delta_ > reference : value - min_delta_ < reference;
}

void EarlyStoppingTracker::on_train_begin() {
  // Reusable across fit() calls. (Keras 3 keeps `best` from a previous fit; tf.keras 2 reset it,
  // which is what reuse needs.)
  wait_ = 0;
  stopped_epoch_ = 0;
  has_snapshot_ = false;
  best_epoch_ = 0;
  if (maximize_)
    best_ = *maximize_ ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
}

EarlyStoppingTracker::Decision EarlyStoppingTracker::on_epoch_end(int epoch, const Logs& logs) {
  Decision d;
  if (!maximize_) set_monitor_op();
  const auto current = logs.get(options_.monitor);
  if (!current) {
    std::string available;
    for (const auto& [name, value] : logs) available += (available.empty() ? "" : ",") + name;
    warn("Early stopping conditioned on metric `" + options_.monitor +
         "` which is not available. Available metrics are: " + available);
    return d;
  }
  if (epoch < options_.start_from_epoch) return d;
  if (options_.restore_best_weights && !has_snapshot_) {
    // Until something improves, the first monitored epoch's weights are the best.
    d.snapshot_weights = has_snapshot_ = true;
    best_epoch_ = epoch;
  }
  ++wait_;
  if (is_improvement(*current, best_)) {
    best_ = *current;
    best_epoch_ = epoch;
    if (options_.restore_best_weights) d.snapshot_weights = has_snapshot_ = true;
    // The wait restarts only when both the baseline and the previous best are beaten.
    if (!options_.baseline || is_improvement(*current, *options_.baseline)) wait_ = 0;
    return d;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    d.stop = true;
  }
  return d;
}

bool EarlyStoppingTracker::on_train_end() {
  if (stopped_epoch_ > 0 && options_.verbose > 0)
    print_msg("Epoch " + std::to_string(stopped_epoch_ + 1) + ": early stopping");
  if (!(options_.restore_best_weights && has_snapshot_)) return false;
  if (options_.verbose > 0)
    print_msg("Restoring model weights from the end of the best epoch: " +
              std::to_string(best_epoch_ + 1) + ".");
  return true;
}

}  // namespace keras::callbacks::internal
