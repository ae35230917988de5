// keras.optimizers.Adamax.
#include "keras/optimizers/adamax.hpp"

#include <cmath>

#include "core/dispatch.hpp"
#include "optimizers/kernels.hpp"

namespace keras::optimizers {

Adamax::Adamax(const AdamaxOptions& o)
    : Optimizer("Adamax", "adamax", o.learning_rate, base_options(o)),
      beta_1_(o.beta_1),
      beta_2_(o.beta_2),
      epsilon_(o.epsilon) {
  validate();
}

void Adamax::validate() const { Optimizer::validate(); }

void Adamax::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    m_.push_back(add_slot(v, "momentum"));
    u_.push_back(add_slot(v, "norm"));
  }
}

void Adamax::update_step(const Tensor& gradient, const Variable& variable, size_t index,
                         const StepParams& p) {
  // var -= lr * m / ((1 - beta_1^t) * (u + epsilon)), with the bias correction folded into lr.
  const double step_size = p.learning_rate / (1.0 - std::pow(beta_1_, p.step));
  keras::detail::dispatch_float(variable.dtype(), "Adamax", [&]<typename T>() {
    const T* g = gradient.data<T>();
    T* w = detail::mutable_data<T>(variable);
    T* m = detail::mutable_data<T>(m_[index]);
    T* u = detail::mutable_data<T>(u_[index]);
    const T s = static_cast<T>(step_size), eps = static_cast<T>(epsilon_);
    const T c1 = static_cast<T>(1.0 - beta_1_), b2 = static_cast<T>(beta_2_);
    detail::for_each_element(p, g, w, gradient.size(), [&](int64_t i, auto gi) {
      using V = decltype(gi);
      V mi = detail::load<V>(m + i);
      mi = mi + (gi - mi) * c1;
      const V ui = detail::vmax(b2 * detail::load<V>(u + i), detail::vabs(gi));
      detail::store(m + i, mi);
      detail::store(u + i, ui);
      detail::store(w + i, detail::load<V>(w + i) - (s * mi) / (ui + eps));
    });
  });
}

void Adamax::config(ConfigIO& io) {
  Optimizer::config(io);
  io("beta_1", beta_1_);
  io("beta_2", beta_2_);
  io("epsilon", epsilon_);
}

}  // namespace keras::optimizers
