// keras.optimizers.SGD.
#include "keras/optimizers/sgd.hpp"

#include "core/dispatch.hpp"
#include "optimizers/kernels.hpp"

namespace keras::optimizers {

SGD::SGD(const SGDOptions& o)
    : Optimizer("SGD", "SGD", o.learning_rate, base_options(o)),
      momentum_(o.momentum),
      nesterov_(o.nesterov) {
  validate();
}

void SGD::validate() const {
  Optimizer::validate();
  if (!(momentum_ >= 0.0 && momentum_ <= 1.0))
    throw ValueError("`momentum` must be a float between [0, 1]. Received: momentum=" +
                     json(momentum_).dump());
}

void SGD::build_slots(const std::vector<Variable>& variables) {
  if (momentum_ != 0.0)
    for (const auto& v : variables) momentums_.push_back(add_slot(v, "momentum"));
}

void SGD::update_step(const Tensor& gradient, const Variable& variable, size_t index,
                      const StepParams& p) {
  keras::detail::dispatch_float(variable.dtype(), "SGD", [&]<typename T>() {
    const T* g = gradient.data<T>();
    T* w = detail::mutable_data<T>(variable);
    const int64_t n = gradient.size();
    const T lr = static_cast<T>(p.learning_rate);
    if (momentum_ == 0.0) {
      detail::for_each_element(p, g, w, n, [&](int64_t i, auto gi) {
        using V = decltype(gi);
        detail::store(w + i, detail::load<V>(w + i) - gi * lr);
      });
      return;
    }
    T* m = detail::mutable_data<T>(momentums_[index]);
    const T mu = static_cast<T>(momentum_);
    if (nesterov_) {
      detail::for_each_element(p, g, w, n, [&](int64_t i, auto gi) {
        using V = decltype(gi);
        const V mi = detail::load<V>(m + i) * mu - gi * lr;
        detail::store(m + i, mi);
        detail::store(w + i, detail::load<V>(w + i) + (mi * mu - gi * lr));
      });
    } else {
      detail::for_each_element(p, g, w, n, [&](int64_t i, auto gi) {
        using V = decltype(gi);
        const V mi = detail::load<V>(m + i) * mu - gi * lr;
        detail::store(m + i, mi);
        detail::store(w + i, detail::load<V>(w + i) + mi);
      });
    }
  });
}

void SGD::config(ConfigIO& io) {
  Optimizer::config(io);
  io("momentum", momentum_);
  io("nesterov", nesterov_);
}

}  // namespace keras::optimizers
