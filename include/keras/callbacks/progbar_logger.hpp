// keras.callbacks.ProgbarLogger and keras.utils.Progbar, with tf.keras 2.x's output:
//
//   verbose=1  Epoch 1/5
//              469/469 [==============================] - 2s 4ms/step - loss: 0.5401 - ...
//   verbose=2  469/469 - 2s - loss: 0.5401 - accuracy: 0.8100 - 2s/epoch - 4ms/step
//
// On a terminal the verbose=1 bar is redrawn in place ("\b"s and "\r", at most every `interval`
// seconds, with an ETA) and ends with the line above; on anything else (a file, a pipe, a
// std::ostringstream) only that final line is written, once per epoch.
#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "keras/callbacks/callback.hpp"

namespace keras::utils {

struct ProgbarOptions {
  int width = 30;
  int verbose = 1;         // 0 silent, 1 bar, 2 one line at the end
  double interval = 0.05;  // seconds between two redraws of the bar (terminal only)
  // Names shown as given; the others are averaged over the steps (weighted by step count).
  std::set<std::string> stateful_metrics = {};
  std::string unit_name = "step";
  std::ostream* stream = nullptr;  // null: std::cout
  // Redraw in place; default: whether `stream` is std::cout on a terminal (isatty(stdout)).
  std::optional<bool> dynamic_display = std::nullopt;
};

// keras.utils.Progbar (tf.keras 2.x).
class Progbar {
 public:
  // target: the number of steps, or -1 when unknown.
  explicit Progbar(int64_t target, const ProgbarOptions& options = {});

  // Step `current` (1-based count of steps done) with these values; finalize (default:
  // current >= target) writes the final line.
  void update(int64_t current, const std::vector<std::pair<std::string, double>>& values = {},
              std::optional<bool> finalize = std::nullopt);
  void add(int64_t n, const std::vector<std::pair<std::string, double>>& values = {});
  void add_stateful_metric(const std::string& name) { options_.stateful_metrics.insert(name); }
  int64_t target() const { return target_; }
  void set_target(int64_t target) { target_ = target; }

 private:
  using Clock = std::chrono::steady_clock;
  double seconds_since(Clock::time_point t, Clock::time_point now) const;
  double estimate_step_duration(int64_t current, Clock::time_point now);
  std::string format_values(bool signed_threshold) const;

  int64_t target_;
  ProgbarOptions options_;
  bool dynamic_display_;
  std::ostream* out_;
  size_t total_width_ = 0;
  int64_t seen_so_far_ = 0;
  // name -> (weighted sum, weight); order of first appearance.
  std::vector<std::pair<std::string, std::pair<double, double>>> values_;
  Clock::time_point start_;
  std::optional<Clock::time_point> last_update_;
  Clock::time_point time_at_epoch_start_;
  std::optional<Clock::time_point> time_at_epoch_end_;
  std::optional<Clock::time_point> time_after_first_step_;
};

}  // namespace keras::utils

namespace keras::callbacks {

// keras.callbacks.ProgbarLogger: fit/evaluate/predict progress through a utils::Progbar.
// Verbosity comes from params()["verbose"] (fit's verbose), the number of steps from
// params()["steps"]. Every value of the logs is shown as given (the trainer's logs are running
// means already, as tf.keras's metrics are stateful).
class ProgbarLogger : public Callback {
 public:
  // stream null: std::cout. dynamic_display: see utils::ProgbarOptions.
  explicit ProgbarLogger(std::ostream* stream = nullptr,
                         std::optional<bool> dynamic_display = std::nullopt);

  void on_train_begin(Logs& logs) override;
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_train_batch_end(int batch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_test_begin(Logs& logs) override;
  void on_test_batch_end(int batch, Logs& logs) override;
  void on_test_end(Logs& logs) override;
  void on_predict_begin(Logs& logs) override;
  void on_predict_batch_end(int batch, Logs& logs) override;
  void on_predict_end(Logs& logs) override;

 private:
  void reset_progbar();
  void maybe_init_progbar();
  void batch_update(int batch, const Logs* logs);
  void finalize(const Logs& logs);
  int verbose() const;
  int epochs() const;
  int64_t target() const;

  std::ostream* stream_;
  std::optional<bool> dynamic_display_;
  std::optional<utils::Progbar> progbar_;
  int64_t seen_ = 0;
  bool called_in_fit_ = false;
};

// The logger fit()/evaluate() add for verbose != 0 (writes to std::cout).
CallbackPtr make_progbar_logger(int verbose);

}  // namespace keras::callbacks
