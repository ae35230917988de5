// keras.utils.Progbar and keras.callbacks.ProgbarLogger as tf.keras 2.x print them
// (tf_keras/utils/generic_utils.py, tf_keras/callbacks.py).
#include "keras/callbacks/progbar_logger.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "callbacks/format.hpp"

namespace keras::utils {

using callbacks::internal::py_exp;
using callbacks::internal::py_fixed;

namespace {

// Python's "%d" of a float: truncation toward zero.
long long trunc_int(double x) { return static_cast<long long>(x); }

// Progbar._format_time: " 4ms/step", " 2s/epoch", " 850us/step".
std::string format_time(double time_per_unit, const std::string& unit_name) {
  // Appended piecewise: `" " + std::string` trips GCC 12's false -Wrestrict (PR 105651).
  std::string out = " ";
  if (time_per_unit >= 1 || time_per_unit == 0) {
    out += py_fixed(time_per_unit, 0);
    out += "s/";
  } else if (time_per_unit >= 1e-3) {
    out += py_fixed(time_per_unit * 1e3, 0);
    out += "ms/";
  } else {
    out += py_fixed(time_per_unit * 1e6, 0);
    out += "us/";
  }
  out += unit_name;
  return out;
}

int num_digits(int64_t n) { return n <= 0 ? 1 : static_cast<int>(std::to_string(n).size()); }

}  // namespace

Progbar::Progbar(int64_t target, const ProgbarOptions& options)
    : target_(target), options_(options), out_(options.stream ? options.stream : &std::cout) {
  if (options_.dynamic_display) {
    dynamic_display_ = *options_.dynamic_display;
  } else {
    dynamic_display_ = out_ == &std::cout && isatty(STDOUT_FILENO);
  }
  start_ = Clock::now();
  time_at_epoch_start_ = start_;
}

double Progbar::seconds_since(Clock::time_point t, Clock::time_point now) const {
  return std::chrono::duration<double>(now - t).count();
}

// Ignores the first step, which usually includes one-time setup, once later steps exist.
double Progbar::estimate_step_duration(int64_t current, Clock::time_point now) {
  if (current == 0) return 0;
  double time_per_unit;
  if (time_after_first_step_ && current > 1) {
    time_per_unit = seconds_since(*time_after_first_step_, now) / static_cast<double>(current - 1);
  } else {
    time_per_unit = seconds_since(start_, now) / static_cast<double>(current);
  }
  if (current == 1) time_after_first_step_ = now;
  return time_per_unit;
}

// " - loss: 0.5401 - ...". verbose=1 switches to exponent notation for |v| <= 1e-3, verbose=2
// (as tf.keras, without the abs) for v <= 1e-3.
std::string Progbar::format_values(bool signed_threshold) const {
  std::string info;
  for (const auto& [name, acc] : values_) {
    const double avg = acc.first / std::max(1.0, acc.second);
    const double test = signed_threshold ? avg : std::fabs(avg);
    info += " - " + name + ": " + (test > 1e-3 ? py_fixed(avg, 4) : py_exp(avg, 4));
  }
  return info;
}

void Progbar::update(int64_t current, const std::vector<std::pair<std::string, double>>& values,
                     std::optional<bool> finalize_opt) {
  const bool finalize = finalize_opt ? *finalize_opt : (target_ >= 0 && current >= target_);
  for (const auto& [name, v] : values) {
    auto it = values_.begin();
    while (it != values_.end() && it->first != name) ++it;
    if (options_.stateful_metrics.count(name)) {
      if (it == values_.end()) {
        values_.push_back({name, {v, 1.0}});
      } else {
        it->second = {v, 1.0};
      }
    } else {
      // At least 1 so a value given twice for the same step still counts.
      const double base = static_cast<double>(std::max<int64_t>(current - seen_so_far_, 1));
      if (it == values_.end()) {
        values_.push_back({name, {v * base, base}});
      } else {
        it->second.first += v * base;
        it->second.second += base;
      }
    }
  }
  seen_so_far_ = current;

  const auto now = Clock::now();
  std::string info = " - " + py_fixed(seconds_since(start_, now), 0) + "s";
  if (current == target_) time_at_epoch_end_ = now;

  if (options_.verbose == 1) {
    if (!finalize && last_update_ && seconds_since(*last_update_, now) < options_.interval) return;
    // Off a terminal only the final line is written.
    if (!finalize && !dynamic_display_) {
      estimate_step_duration(current, now);  // keeps the first-step timing as Keras would
      last_update_ = now;
      return;
    }
    std::string message;
    const size_t prev_total_width = total_width_;
    if (dynamic_display_) message += std::string(prev_total_width, '\b') + "\r";

    std::string bar;
    if (target_ >= 0) {
      char count[64];
      std::snprintf(count, sizeof(count), "%*lld/%lld [", num_digits(target_),
                    static_cast<long long>(current), static_cast<long long>(target_));
      bar = count;
      const double prog = target_ > 0 ? static_cast<double>(current) / target_ : 1.0;
      const int prog_width = static_cast<int>(options_.width * prog);
      if (prog_width > 0) {
        bar += std::string(static_cast<size_t>(prog_width - 1), '=');
        bar += current < target_ ? '>' : '=';
      }
      if (options_.width > prog_width)
        bar += std::string(static_cast<size_t>(options_.width - prog_width), '.');
      bar += "]";
    } else {
      char count[64];
      std::snprintf(count, sizeof(count), "%7lld/Unknown", static_cast<long long>(current));
      bar = count;
    }
    total_width_ = bar.size();
    message += bar;

    const double time_per_unit = estimate_step_duration(current, now);
    if (target_ < 0 || finalize) {
      info += format_time(time_per_unit, options_.unit_name);
    } else {
      const double eta = time_per_unit * static_cast<double>(target_ - current);
      char eta_buf[64];
      if (eta > 3600) {
        std::snprintf(eta_buf, sizeof(eta_buf), "%lld:%02lld:%02lld", trunc_int(eta / 3600),
                      trunc_int(std::fmod(eta, 3600) / 60), trunc_int(std::fmod(eta, 60)));
      } else if (eta > 60) {
        std::snprintf(eta_buf, sizeof(eta_buf), "%lld:%02lld", trunc_int(eta / 60),
                      trunc_int(std::fmod(eta, 60)));
      } else {
        std::snprintf(eta_buf, sizeof(eta_buf), "%llds", trunc_int(eta));
      }
      info = std::string(" - ETA: ") + eta_buf;
    }
    info += format_values(/*signed_threshold=*/false);
    total_width_ += info.size();
    // Blank out what is left of a longer previous line.
    if (prev_total_width > total_width_) info += std::string(prev_total_width - total_width_, ' ');
    if (finalize) info += "\n";
    message += info;
    *out_ << message << std::flush;
  } else if (options_.verbose == 2) {
    if (finalize) {
      char count[64];
      std::snprintf(count, sizeof(count), "%*lld/%lld", num_digits(target_),
                    static_cast<long long>(current), static_cast<long long>(target_));
      info = count + info;
      info += format_values(/*signed_threshold=*/true);
      if (time_at_epoch_end_) {
        const double time_per_epoch = seconds_since(time_at_epoch_start_, *time_at_epoch_end_);
        const double avg_time_per_step = target_ > 0 ? time_per_epoch / target_ : 0.0;
        time_at_epoch_start_ = now;
        time_at_epoch_end_.reset();
        info += " -" + format_time(time_per_epoch, "epoch");
        info += " -" + format_time(avg_time_per_step, options_.unit_name);
        info += "\n";
      }
      *out_ << info << std::flush;
    }
  }
  last_update_ = now;
}

void Progbar::add(int64_t n, const std::vector<std::pair<std::string, double>>& values) {
  update(seen_so_far_ + n, values);
}

}  // namespace keras::utils

namespace keras::callbacks {

namespace {
std::vector<std::pair<std::string, double>> items(const Logs* logs) {
  std::vector<std::pair<std::string, double>> out;
  if (logs)
    for (const auto& kv : *logs) out.push_back(kv);
  return out;
}
}  // namespace

ProgbarLogger::ProgbarLogger(std::ostream* stream, std::optional<bool> dynamic_display)
    : stream_(stream), dynamic_display_(dynamic_display) {}

int ProgbarLogger::verbose() const {
  const auto& p = params();
  return p.contains("verbose") && p["verbose"].is_number() ? p["verbose"].get<int>() : 1;
}
int ProgbarLogger::epochs() const {
  const auto& p = params();
  return p.contains("epochs") && p["epochs"].is_number() ? p["epochs"].get<int>() : 1;
}
int64_t ProgbarLogger::target() const {
  const auto& p = params();
  return p.contains("steps") && p["steps"].is_number() ? p["steps"].get<int64_t>() : -1;
}

void ProgbarLogger::reset_progbar() {
  seen_ = 0;
  progbar_.reset();
}

void ProgbarLogger::maybe_init_progbar() {
  if (progbar_) return;
  utils::ProgbarOptions o;
  o.verbose = verbose();
  o.stream = stream_;
  o.dynamic_display = dynamic_display_;
  progbar_.emplace(target(), o);
}

// Validation inside fit() is silent (tf.keras's _called_in_fit).
void ProgbarLogger::on_train_begin(Logs&) { called_in_fit_ = true; }

void ProgbarLogger::on_epoch_begin(int epoch, Logs&) {
  reset_progbar();
  maybe_init_progbar();
  if (verbose() && epochs() > 1) {
    std::ostream& out = stream_ ? *stream_ : std::cout;
    out << "Epoch " << epoch + 1 << "/" << epochs() << "\n" << std::flush;
  }
}

void ProgbarLogger::batch_update(int batch, const Logs* logs) {
  maybe_init_progbar();
  seen_ = batch + 1;
  if (verbose() == 1) {
    auto values = items(logs);
    for (const auto& kv : values) progbar_->add_stateful_metric(kv.first);
    progbar_->update(seen_, values, /*finalize=*/false);
  }
}

void ProgbarLogger::finalize(const Logs& logs) {
  maybe_init_progbar();
  // An unknown number of steps is learnt at the end of the first pass.
  if (progbar_->target() < 0) progbar_->set_target(seen_);
  auto values = items(&logs);
  for (const auto& kv : values) progbar_->add_stateful_metric(kv.first);
  progbar_->update(progbar_->target(), values, /*finalize=*/true);
}

void ProgbarLogger::on_train_batch_end(int batch, Logs& logs) { batch_update(batch, &logs); }
void ProgbarLogger::on_epoch_end(int, Logs& logs) { finalize(logs); }

void ProgbarLogger::on_test_begin(Logs&) {
  if (called_in_fit_) return;
  reset_progbar();
  maybe_init_progbar();
}
void ProgbarLogger::on_test_batch_end(int batch, Logs& logs) {
  if (!called_in_fit_) batch_update(batch, &logs);
}
void ProgbarLogger::on_test_end(Logs& logs) {
  if (!called_in_fit_) finalize(logs);
}

void ProgbarLogger::on_predict_begin(Logs&) {
  reset_progbar();
  maybe_init_progbar();
}
// Predictions are not shown, only the progress.
void ProgbarLogger::on_predict_batch_end(int batch, Logs&) { batch_update(batch, nullptr); }
void ProgbarLogger::on_predict_end(Logs&) { finalize(Logs()); }

CallbackPtr make_progbar_logger(int verbose) {
  (void)verbose;  // fit/evaluate pass it again in params()["verbose"], where Keras reads it
  return std::make_shared<ProgbarLogger>();
}

}  // namespace keras::callbacks
