// LoadStatus assertions, worded as TensorFlow's CheckpointLoadStatus.
#include "keras/saving/tf_checkpoint/load_status.hpp"

namespace keras::saving::tf_checkpoint {
namespace {

// At most 20 names, then a count: messages stay readable for large models.
std::string name_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size() && i < 20; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 20) out += ", ... (" + std::to_string(names.size() - 20) + " more)";
  return out + "]";
}

}  // namespace

const LoadStatus& LoadStatus::assert_existing_objects_matched() const {
  if (!unmatched_variables_.empty())
    throw AssertionError("Some objects had attributes which were not restored from checkpoint '" +
                         path_ + "': " + name_list(unmatched_variables_) +
                         " (likely the model changed since the checkpoint was written).");
  return *this;
}

const LoadStatus& LoadStatus::assert_consumed() const {
  if (!unused_keys_.empty())
    throw AssertionError("Unresolved object in checkpoint '" + path_ +
                         "': no live object took the values " + name_list(unused_keys_) + ".");
  if (!unmatched_variables_.empty())
    throw AssertionError(
        "Some objects were not bound to checkpointed values from '" + path_ +
        "', likely due to changes in the program: " + name_list(unmatched_variables_) + ".");
  return *this;
}

const LoadStatus& LoadStatus::assert_nontrivial_match() const {
  if (restored_ == 0)
    throw AssertionError("No checkpoint values from '" + path_ +
                         "' were matched to the objects being restored.");
  return *this;
}

}  // namespace keras::saving::tf_checkpoint
