// keras.optimizers.Adam and keras.optimizers.AdamW.
#include "keras/optimizers/adam.hpp"

#include <cmath>

#include "core/dispatch.hpp"
#include "optimizers/kernels.hpp"

namespace keras::optimizers {

Adam::Adam(const AdamOptions& o) : Adam("Adam", "adam", o) {}

Adam::Adam(std::string class_name, std::string default_name, const AdamOptions& o)
    : Optimizer(std::move(class_name), std::move(default_name), o.learning_rate, base_options(o)),
      beta_1_(o.beta_1),
      beta_2_(o.beta_2),
      epsilon_(o.epsilon),
      amsgrad_(o.amsgrad) {
  validate();
}

void Adam::validate() const { Optimizer::validate(); }

void Adam::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    momentums_.push_back(add_slot(v, "momentum"));
    velocities_.push_back(add_slot(v, "velocity"));
  }
  if (amsgrad_)
    for (const auto& v : variables) velocity_hats_.push_back(add_slot(v, "velocity_hat"));
}

void Adam::update_step(const Tensor& gradient, const Variable& variable, size_t index,
                       const StepParams& p) {
  // Keras folds both bias corrections into the step size:
  // alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t); var -= m * alpha / (sqrt(v) + epsilon).
  const double alpha = p.learning_rate * std::sqrt(1.0 - std::pow(beta_2_, p.step)) /
                       (1.0 - std::pow(beta_1_, p.step));
  keras::detail::dispatch_float(variable.dtype(), "Adam", [&]<typename T>() {
    const T* g = gradient.data<T>();
    T* w = detail::mutable_data<T>(variable);
    T* m = detail::mutable_data<T>(momentums_[index]);
    T* v = detail::mutable_data<T>(velocities_[index]);
    const T a = static_cast<T>(alpha), eps = static_cast<T>(epsilon_);
    const T c1 = static_cast<T>(1.0 - beta_1_), c2 = static_cast<T>(1.0 - beta_2_);
    if (!amsgrad_) {
      detail::for_each_element(p, g, w, gradient.size(), [&](int64_t i, auto gi) {
        using V = decltype(gi);
        V mi = detail::load<V>(m + i), vi = detail::load<V>(v + i);
        mi = mi + (gi - mi) * c1;
        vi = vi + (gi * gi - vi) * c2;
        detail::store(m + i, mi);
        detail::store(v + i, vi);
        detail::store(w + i, detail::load<V>(w + i) - (mi * a) / (detail::vsqrt(vi) + eps));
      });
    } else {
      T* vh = detail::mutable_data<T>(velocity_hats_[index]);
      detail::for_each_element(p, g, w, gradient.size(), [&](int64_t i, auto gi) {
        using V = decltype(gi);
        V mi = detail::load<V>(m + i), vi = detail::load<V>(v + i);
        mi = mi + (gi - mi) * c1;
        vi = vi + (gi * gi - vi) * c2;
        const V vhi = detail::vmax(detail::load<V>(vh + i), vi);
        detail::store(m + i, mi);
        detail::store(v + i, vi);
        detail::store(vh + i, vhi);
        detail::store(w + i, detail::load<V>(w + i) - (mi * a) / (detail::vsqrt(vhi) + eps));
      });
    }
  });
}

void Adam::config(ConfigIO& io) {
  Optimizer::config(io);
  io("beta_1", beta_1_);
  io("beta_2", beta_2_);
  io("epsilon", epsilon_);
  io("amsgrad", amsgrad_);
}

namespace {
AdamOptions adam_options(const AdamWOptions& o) {
  AdamOptions a;
  a.learning_rate = o.learning_rate;
  a.beta_1 = o.beta_1;
  a.beta_2 = o.beta_2;
  a.epsilon = o.epsilon;
  a.amsgrad = o.amsgrad;
  a.weight_decay = o.weight_decay;
  a.clipnorm = o.clipnorm;
  a.clipvalue = o.clipvalue;
  a.global_clipnorm = o.global_clipnorm;
  a.use_ema = o.use_ema;
  a.ema_momentum = o.ema_momentum;
  a.ema_overwrite_frequency = o.ema_overwrite_frequency;
  a.loss_scale_factor = o.loss_scale_factor;
  a.gradient_accumulation_steps = o.gradient_accumulation_steps;
  a.name = o.name;
  return a;
}
}  // namespace

AdamW::AdamW(const AdamWOptions& o) : Adam("AdamW", "adamw", adam_options(o)) { validate(); }

void AdamW::validate() const {
  Adam::validate();
  if (!options().weight_decay)
    throw ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None");
}

}  // namespace keras::optimizers
