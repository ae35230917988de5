// keras.optimizers.RMSprop.
#include "keras/optimizers/rmsprop.hpp"

#include "core/dispatch.hpp"
#include "optimizers/kernels.hpp"

namespace keras::optimizers {

RMSprop::RMSprop(const RMSpropOptions& o)
    : Optimizer("RMSprop", "rmsprop", o.learning_rate, base_options(o)),
      rho_(o.rho),
      momentum_(o.momentum),
      epsilon_(o.epsilon),
      centered_(o.centered) {
  validate();
}

void RMSprop::validate() const { Optimizer::validate(); }

void RMSprop::build_slots(const std::vector<Variable>& variables) {
  // Three separate passes in Keras, so each kind forms a block in variables().
  for (const auto& v : variables) velocities_.push_back(add_slot(v, "velocity"));
  if (momentum_ > 0)
    for (const auto& v : variables) momentums_.push_back(add_slot(v, "momentum"));
  if (centered_)
    for (const auto& v : variables) average_gradients_.push_back(add_slot(v, "average_gradient"));
}

void RMSprop::update_step(const Tensor& gradient, const Variable& variable, size_t index,
                          const StepParams& p) {
  keras::detail::dispatch_float(variable.dtype(), "RMSprop", [&]<typename T>() {
    const T* g = gradient.data<T>();
    T* w = detail::mutable_data<T>(variable);
    T* vel = detail::mutable_data<T>(velocities_[index]);
    T* mom = momentum_ > 0 ? detail::mutable_data<T>(momentums_[index]) : nullptr;
    T* avg = centered_ ? detail::mutable_data<T>(average_gradients_[index]) : nullptr;
    const T lr = static_cast<T>(p.learning_rate), rho = static_cast<T>(rho_);
    const T one_minus_rho = static_cast<T>(1.0 - rho_), eps = static_cast<T>(epsilon_);
    const T mu = static_cast<T>(momentum_);
    // The two options select among four loop bodies at compile time.
    auto run = [&]<bool kMomentum, bool kCentered>() {
      detail::for_each_element(p, g, w, gradient.size(), [&](int64_t i, auto gi) {
        using V = decltype(gi);
        const V v = rho * detail::load<V>(vel + i) + one_minus_rho * (gi * gi);
        detail::store(vel + i, v);
        V denominator;
        if constexpr (kCentered) {
          const V a = rho * detail::load<V>(avg + i) + one_minus_rho * gi;
          detail::store(avg + i, a);
          denominator = v - a * a + eps;
        } else {
          denominator = v + eps;
        }
        const V increment = (lr * gi) / detail::vsqrt(denominator);
        if constexpr (kMomentum) {
          const V m = mu * detail::load<V>(mom + i) + increment;
          detail::store(mom + i, m);
          detail::store(w + i, detail::load<V>(w + i) - m);
        } else {
          detail::store(w + i, detail::load<V>(w + i) - increment);
        }
      });
    };
    if (mom && avg) {
      run.template operator()<true, true>();
    } else if (mom) {
      run.template operator()<true, false>();
    } else if (avg) {
      run.template operator()<false, true>();
    } else {
      run.template operator()<false, false>();
    }
  });
}

void RMSprop::config(ConfigIO& io) {
  Optimizer::config(io);
  io("rho", rho_);
  io("momentum", momentum_);
  io("epsilon", epsilon_);
  io("centered", centered_);
}

}  // namespace keras::optimizers
