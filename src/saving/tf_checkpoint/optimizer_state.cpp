// describe_optimizer: an optimizer's state as the checkpoint lays it out (TF >= 2.11 scheme).
#include "keras/core/errors.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/saving/tf_checkpoint/object_tree.hpp"

namespace keras::saving::tf_checkpoint {

// Defined in trackable_variables.cpp, a translation unit that cannot see Optimizer's inline
// own_variables(): the call stays a plain virtual call (no devirtualized reference to
// Optimizer::variables from this file).
std::vector<Variable> own_variables_of(const Trackable& object);

OptimizerState describe_optimizer(const optimizers::Optimizer& optimizer) {
  OptimizerState state;
  state.iterations = optimizer.iterations();
  // variables(): iteration, learning_rate (constant learning rates only), then the slots.
  const std::vector<Variable> all = own_variables_of(static_cast<const Trackable&>(optimizer));
  size_t first_slot = 0;
  if (!all.empty() && state.iterations.defined() && all[0] == state.iterations) first_slot = 1;
  if (!optimizer.learning_rate_setting().is_schedule() && all.size() > first_slot &&
      all[first_slot].name() == "learning_rate") {
    state.learning_rate = all[first_slot];
    ++first_slot;
  }
  if (state.iterations.defined()) state.variables.push_back(state.iterations);
  for (size_t i = first_slot; i < all.size(); ++i) state.variables.push_back(all[i]);
  return state;
}

}  // namespace keras::saving::tf_checkpoint
