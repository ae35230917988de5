// keras.optimizers.Adagrad.
#include "keras/optimizers/adagrad.hpp"

#include "core/dispatch.hpp"
#include "optimizers/kernels.hpp"

namespace keras::optimizers {

Adagrad::Adagrad(const AdagradOptions& o)
    : Optimizer("Adagrad", "adagrad", o.learning_rate, base_options(o)),
      initial_accumulator_value_(o.initial_accumulator_value),
      epsilon_(o.epsilon) {
  validate();
}

void Adagrad::validate() const { Optimizer::validate(); }

void Adagrad::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables)
    accumulators_.push_back(add_slot(v, "accumulator", initial_accumulator_value_));
}

void Adagrad::update_step(const Tensor& gradient, const Variable& variable, size_t index,
                          const StepParams& p) {
  keras::detail::dispatch_float(variable.dtype(), "Adagrad", [&]<typename T>() {
    const T* g = gradient.data<T>();
    T* w = detail::mutable_data<T>(variable);
    T* acc = detail::mutable_data<T>(accumulators_[index]);
    const T lr = static_cast<T>(p.learning_rate), eps = static_cast<T>(epsilon_);
    detail::for_each_element(p, g, w, gradient.size(), [&](int64_t i, auto gi) {
      using V = decltype(gi);
      const V a = detail::load<V>(acc + i) + gi * gi;
      detail::store(acc + i, a);
      detail::store(w + i, detail::load<V>(w + i) - (lr * gi) / detail::vsqrt(a + eps));
    });
  });
}

void Adagrad::config(ConfigIO& io) {
  Optimizer::config(io);
  io("initial_accumulator_value", initial_accumulator_value_);
  io("epsilon", epsilon_);
}

}  // namespace keras::optimizers
