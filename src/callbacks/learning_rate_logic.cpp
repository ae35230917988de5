// ReduceLROnPlateau's and LearningRateScheduler's decisions (keras/src/callbacks/
// reduce_lr_on_plateau.py, learning_rate_scheduler.py).
#include "callbacks/learning_rate_logic.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "callbacks/format.hpp"

namespace keras::callbacks::internal {

PlateauTracker::PlateauTracker(const ReduceLROnPlateauOptions& options) : options_(options) {
  if (!(options_.factor < 1.0))
    throw ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=" +
                     py_repr(options_.factor));
  if (options_.mode != "auto" && options_.mode != "min" && options_.mode != "max") {
    warn("Learning rate reduction mode " + options_.mode + " is unknown, fallback to auto mode.");
    options_.mode = "auto";
  }
  reset();
}

void PlateauTracker::reset() {
  maximize_ = options_.mode == "max" ||
              (options_.mode == "auto" && options_.monitor.find("acc") != std::string::npos);
  best_ = maximize_ ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  cooldown_counter_ = 0;
  wait_ = 0;
}

bool PlateauTracker::improved(double current) const {
  return maximize_ ? current > best_ + options_.min_delta : current < best_ - options_.min_delta;
}

std::optional<double> PlateauTracker::on_epoch_end(int epoch, const Logs& logs,
                                                   double learning_rate) {
  const auto current = logs.get(options_.monitor);
  if (!current) {
    std::string available;
    for (const auto& [name, value] : logs) available += (available.empty() ? "" : ",") + name;
    warn("Learning rate reduction is conditioned on metric `" + options_.monitor +
         "` which is not available. Available metrics are: " + available + ".");
    return std::nullopt;
  }
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (improved(*current)) {
    best_ = *current;
    wait_ = 0;
    return std::nullopt;
  }
  if (cooldown_counter_ > 0) return std::nullopt;
  if (++wait_ < options_.patience) return std::nullopt;
  // Keras compares its float32 learning-rate variable with np.float32(min_lr): a rate already
  // at min_lr (up to float32 rounding) is not reduced again.
  if (!(static_cast<float>(learning_rate) > static_cast<float>(options_.min_lr)))
    return std::nullopt;
  const double new_lr = std::max(learning_rate * options_.factor, options_.min_lr);
  if (options_.verbose > 0)
    print_msg("\nEpoch " + std::to_string(epoch + 1) +
              ": ReduceLROnPlateau reducing learning rate to " + py_repr(new_lr) + ".");
  cooldown_counter_ = options_.cooldown;
  wait_ = 0;
  return new_lr;
}

double scheduled_learning_rate(const LearningRateScheduler::Schedule& schedule, int epoch,
                               double learning_rate, int verbose) {
  const double lr = schedule(epoch, learning_rate);
  if (std::isnan(lr))
    throw ValueError("The output of the `schedule` function should be a float. Got: nan");
  if (verbose > 0)
    print_msg("\nEpoch " + std::to_string(epoch + 1) +
              ": LearningRateScheduler setting learning rate to " + py_repr(lr) + ".");
  return lr;
}

}  // namespace keras::callbacks::internal
