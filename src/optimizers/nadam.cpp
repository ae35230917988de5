// keras.optimizers.Nadam.
#include "keras/optimizers/nadam.hpp"

#include <cmath>

#include "core/dispatch.hpp"
#include "optimizers/kernels.hpp"

namespace keras::optimizers {

Nadam::Nadam(const NadamOptions& o)
    : Optimizer("Nadam", "nadam", o.learning_rate, base_options(o)),
      beta_1_(o.beta_1),
      beta_2_(o.beta_2),
      epsilon_(o.epsilon) {
  validate();
}

void Nadam::validate() const { Optimizer::validate(); }

void Nadam::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    momentums_.push_back(add_slot(v, "momentum"));
    velocities_.push_back(add_slot(v, "velocity"));
  }
  // Keras creates it as backend.Variable(1.0, dtype=var_list[0].dtype) with no name, so it gets
  // Keras's automatic name "variable".
  u_product_ =
      add_variable({}, variables.empty() ? DType::float32 : variables[0].dtype(), "variable", 1.0);
}

namespace {
double read_scalar(const Variable& v) {
  return keras::detail::dispatch_float(v.dtype(), "Nadam", [&]<typename T>() {
    return static_cast<double>(v.value().data<T>()[0]);
  });
}
}  // namespace

void Nadam::before_update_steps(const StepParams& p) {
  // u_product *= beta_1 * (1 - 0.5 * 0.96^t), once per step before the variable updates.
  const double u_t = beta_1_ * (1.0 - 0.5 * std::pow(0.96, p.step));
  keras::detail::dispatch_float(u_product_.dtype(), "Nadam", [&]<typename T>() {
    T* up = detail::mutable_data<T>(u_product_);
    up[0] = static_cast<T>(up[0] * u_t);
  });
}

void Nadam::update_step(const Tensor& gradient, const Variable& variable, size_t index,
                        const StepParams& p) {
  const double u_t = beta_1_ * (1.0 - 0.5 * std::pow(0.96, p.step));
  const double u_t_1 = beta_1_ * (1.0 - 0.5 * std::pow(0.96, p.step + 1.0));
  const double u_product_t = read_scalar(u_product_);
  const double u_product_t_1 = u_product_t * u_t_1;
  const double beta_2_power = std::pow(beta_2_, p.step);
  // m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product_t);
  // var -= lr * m_hat / (sqrt(v / (1 - beta_2^t)) + epsilon).
  const double cm = u_t_1 / (1.0 - u_product_t_1), cg = (1.0 - u_t) / (1.0 - u_product_t);
  const double inv_bias_2 = 1.0 / (1.0 - beta_2_power);
  keras::detail::dispatch_float(variable.dtype(), "Nadam", [&]<typename T>() {
    const T* g = gradient.data<T>();
    T* w = detail::mutable_data<T>(variable);
    T* m = detail::mutable_data<T>(momentums_[index]);
    T* v = detail::mutable_data<T>(velocities_[index]);
    const T lr = static_cast<T>(p.learning_rate), eps = static_cast<T>(epsilon_);
    const T c1 = static_cast<T>(1.0 - beta_1_), c2 = static_cast<T>(1.0 - beta_2_);
    const T km = static_cast<T>(cm), kg = static_cast<T>(cg), kv = static_cast<T>(inv_bias_2);
    detail::for_each_element(p, g, w, gradient.size(), [&](int64_t i, auto gi) {
      using V = decltype(gi);
      V mi = detail::load<V>(m + i), vi = detail::load<V>(v + i);
      mi = mi + (gi - mi) * c1;
      vi = vi + (gi * gi - vi) * c2;
      detail::store(m + i, mi);
      detail::store(v + i, vi);
      const V m_hat = km * mi + kg * gi;
      detail::store(w + i, detail::load<V>(w + i) - (m_hat * lr) / (detail::vsqrt(vi * kv) + eps));
    });
  });
}

void Nadam::config(ConfigIO& io) {
  Optimizer::config(io);
  io("beta_1", beta_1_);
  io("beta_2", beta_2_);
  io("epsilon", epsilon_);
}

}  // namespace keras::optimizers
