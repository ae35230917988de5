// Model::save_weights / load_weights: the entry points that pick a format from the path, as
// Keras's saving_api does. Models stay format-free; this file maps them onto saving/.
#include <string>

#include "keras/models/model.hpp"
#include "keras/saving/tf_checkpoint/tf_checkpoint.hpp"

namespace keras {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// HDF5 and .keras weights are not written yet (issue 5): say so instead of writing a checkpoint
// under a misleading name.
void reject_unimplemented(const std::string& path, const char* what) {
  for (const char* suffix : {".weights.h5", ".h5", ".hdf5", ".keras", ".weights.json"})
    if (ends_with(path, suffix))
      throw NotImplementedError(std::string(what) + " '" + path + "': the " + suffix +
                                " format is not supported yet; use a TF checkpoint prefix "
                                "(a path without a suffix).");
}

}  // namespace

void Model::save_weights(const std::string& path) {
  reject_unimplemented(path, "save_weights");
  saving::tf_checkpoint::save_weights(*this, path);
}

saving::tf_checkpoint::LoadStatus Model::load_weights(const std::string& path) {
  reject_unimplemented(path, "load_weights");
  return saving::tf_checkpoint::load_weights(*this, path);
}

}  // namespace keras
