// own_variables_of: Trackable::own_variables() through the base class only. Kept apart from
// every header that defines an override inline (optimizer.hpp), so the call is never
// devirtualized into a reference to a symbol this file does not need.
#include "keras/core/trackable.hpp"

namespace keras::saving::tf_checkpoint {

std::vector<Variable> own_variables_of(const Trackable& object) { return object.own_variables(); }

}  // namespace keras::saving::tf_checkpoint
