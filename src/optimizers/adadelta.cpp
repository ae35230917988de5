// keras.optimizers.Adadelta.
#include "keras/optimizers/adadelta.hpp"

#include "core/dispatch.hpp"
#include "optimizers/kernels.hpp"

namespace keras::optimizers {

Adadelta::Adadelta(const AdadeltaOptions& o)
    : Optimizer("Adadelta", "adadelta", o.learning_rate, base_options(o)),
      rho_(o.rho),
      epsilon_(o.epsilon) {
  validate();
}

void Adadelta::validate() const { Optimizer::validate(); }

void Adadelta::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    accumulated_grads_.push_back(add_slot(v, "accumulated_grad"));
    accumulated_delta_vars_.push_back(add_slot(v, "accumulated_delta_var"));
  }
}

void Adadelta::update_step(const Tensor& gradient, const Variable& variable, size_t index,
                           const StepParams& p) {
  keras::detail::dispatch_float(variable.dtype(), "Adadelta", [&]<typename T>() {
    const T* g = gradient.data<T>();
    T* w = detail::mutable_data<T>(variable);
    T* ag = detail::mutable_data<T>(accumulated_grads_[index]);
    T* ad = detail::mutable_data<T>(accumulated_delta_vars_[index]);
    const T lr = static_cast<T>(p.learning_rate), eps = static_cast<T>(epsilon_);
    const T rho = static_cast<T>(rho_), one_minus_rho = static_cast<T>(1.0 - rho_);
    detail::for_each_element(p, g, w, gradient.size(), [&](int64_t i, auto gi) {
      using V = decltype(gi);
      const V a = rho * detail::load<V>(ag + i) + one_minus_rho * (gi * gi);
      detail::store(ag + i, a);
      const V d_old = detail::load<V>(ad + i);
      // delta = -rms(accumulated_delta_var) * g / rms(accumulated_grad), rms(x) = sqrt(x + eps).
      const V delta = V{} - (detail::vsqrt(d_old + eps) * gi) / detail::vsqrt(a + eps);
      detail::store(ad + i, rho * d_old + one_minus_rho * (delta * delta));
      detail::store(w + i, detail::load<V>(w + i) + lr * delta);
    });
  });
}

void Adadelta::config(ConfigIO& io) {
  Optimizer::config(io);
  io("rho", rho_);
  io("epsilon", epsilon_);
}

}  // namespace keras::optimizers
