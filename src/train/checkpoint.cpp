// tf.train.Checkpoint and tf.train.CheckpointManager (TensorFlow's checkpoint.py and
// checkpoint_management.py behaviour).
#include "keras/train/checkpoint.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

#include "keras/core/errors.hpp"
#include "keras/io/tensor_bundle.hpp"
#include "keras/saving/tf_checkpoint/tf_checkpoint.hpp"

namespace keras::train {
namespace fs = std::filesystem;
namespace tfc = saving::tf_checkpoint;
namespace {

constexpr const char* kSaveCounter = "save_counter";

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string parent_dir(const std::string& prefix) {
  return fs::path(prefix).parent_path().string();
}

// A prefix, a directory with a `checkpoint` file, or a SavedModel directory.
std::string resolve_restore_path(const std::string& save_path) {
  std::error_code ec;
  if (!fs::is_directory(save_path, ec)) return save_path;
  const fs::path saved_model_vars = fs::path(save_path) / "variables" / "variables";
  if (fs::exists(saved_model_vars.string() + ".index", ec)) return saved_model_vars.string();
  auto latest = latest_checkpoint(save_path);
  if (!latest)
    throw IOError("Checkpoint.restore: no checkpoint found in directory '" + save_path + "'.");
  return *latest;
}

// Files named "{base}.data-?????-of-?????" next to the prefix.
void delete_checkpoint_files(const std::string& prefix) {
  std::error_code ec;
  fs::remove(prefix + ".index", ec);
  const fs::path p(prefix);
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  const std::string base = p.filename().string() + ".data-";
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != base.size() + 14 || name.compare(0, base.size(), base) != 0) continue;
    const std::string tail = name.substr(base.size());  // "00000-of-00001"
    bool ok = tail.compare(5, 4, "-of-") == 0;
    for (size_t i : {0, 1, 2, 3, 4, 9, 10, 11, 12, 13}) ok = ok && std::isdigit(tail[i]);
    if (ok) fs::remove(entry.path(), ec);
  }
}

}  // namespace

// ---------------------------------------------------------------- Checkpoint

Checkpoint::Checkpoint(std::vector<std::pair<std::string, CheckpointValue>> objects) {
  // Sorted through indices: moving the variant-holding pairs trips GCC's -Wmaybe-uninitialized.
  std::vector<size_t> order(objects.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return objects[a].first < objects[b].first; });
  std::set<std::string> names;
  for (size_t i : order) {
    const auto& [name, value] = objects[i];
    if (name.empty()) throw ValueError("Checkpoint: a keyword name is empty.");
    if (name == kSaveCounter)
      throw ValueError("Checkpoint: the name 'save_counter' is reserved for the save counter.");
    if (!names.insert(name).second)
      throw ValueError("Checkpoint: the name '" + name + "' is given twice.");
    const bool defined = std::visit(
        [](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, Variable>) {
            return v.defined();
          } else if constexpr (std::is_same_v<V, TrackablePtr>) {
            return v != nullptr;
          } else {
            return true;
          }
        },
        value.value_);
    if (!defined)
      throw ValueError("Checkpoint: '" + name +
                       "' is undefined; expected a trackable object or a variable.");
    track_child(name, value.value_);
    if (value.optimizer_) optimizers_.push_back(value.optimizer_);
  }
}

const Variable& Checkpoint::save_counter() {
  if (!save_counter_.defined()) {
    save_counter_ = Variable(Tensor::scalar(0, DType::int64), kSaveCounter, /*trainable=*/false);
    track_child(kSaveCounter, save_counter_);
  }
  return save_counter_;
}

tfc::ObjectTree Checkpoint::object_tree() const {
  tfc::ObjectTree tree(*this);
  for (const auto& opt : optimizers_)
    tree.add_optimizer(static_cast<const Trackable*>(opt.get()), tfc::describe_optimizer(*opt));
  return tree;
}

std::string Checkpoint::write(const std::string& file_prefix) const {
  tfc::write_checkpoint(object_tree(), file_prefix);
  return file_prefix;
}

std::string Checkpoint::save(const std::string& file_prefix) {
  Variable counter = save_counter();
  counter.assign_add(Tensor::scalar(1, DType::int64));
  const std::string path = file_prefix + "-" + std::to_string(counter.value().item<int64_t>());
  write(path);
  CheckpointState state;
  state.model_checkpoint_path = path;
  state.all_model_checkpoint_paths = {path};
  update_checkpoint_state(parent_dir(path), state);
  return path;
}

LoadStatus Checkpoint::restore(const std::string& save_path) {
  const std::string path = resolve_restore_path(save_path);
  {
    std::error_code ec;
    if (fs::exists(path + ".index", ec)) {
      io::BundleReader reader(path);
      if (reader.contains(std::string(kSaveCounter) + "/.ATTRIBUTES/VARIABLE_VALUE"))
        save_counter();
    }
  }
  return tfc::restore_checkpoint(object_tree(), path);
}

LoadStatus Checkpoint::read(const std::string& save_path) const {
  return tfc::restore_checkpoint(object_tree(), resolve_restore_path(save_path));
}

// ---------------------------------------------------------------- CheckpointManager

CheckpointManager::CheckpointManager(Checkpoint& checkpoint, std::string directory,
                                     std::optional<int> max_to_keep,
                                     std::optional<double> keep_checkpoint_every_n_hours,
                                     std::string checkpoint_name)
    : checkpoint_(&checkpoint),
      directory_(std::move(directory)),
      max_to_keep_(max_to_keep),
      keep_every_n_hours_(keep_checkpoint_every_n_hours),
      prefix_((fs::path(directory_) / checkpoint_name).string()) {
  if (max_to_keep_ && *max_to_keep_ <= 0)
    throw ValueError("Expected a positive integer or `None` for `max_to_keep`, got " +
                     std::to_string(*max_to_keep_) + ".");
  const double now = now_seconds();
  const auto state = get_checkpoint_state(directory_);
  if (!state) {
    // A little in the past, so a manager re-created at once does not preserve the same files.
    last_preserved_timestamp_ = now - 1.0;
    return;
  }
  latest_ = state->model_checkpoint_path;
  last_preserved_timestamp_ = state->last_preserved_timestamp.value_or(0.0);
  std::vector<double> stamps = state->all_model_checkpoint_timestamps;
  if (stamps.empty())
    stamps.assign(state->all_model_checkpoint_paths.size(), last_preserved_timestamp_);
  const size_t n = std::min(stamps.size(), state->all_model_checkpoint_paths.size());
  for (size_t i = 0; i < n; ++i) {
    const double t = std::min(stamps[i], now);
    if (t > last_preserved_timestamp_)
      maybe_delete_.emplace_back(state->all_model_checkpoint_paths[i], t);
  }
}

std::vector<std::string> CheckpointManager::checkpoints() const {
  std::vector<std::string> out;
  for (const auto& [p, t] : maybe_delete_) out.push_back(p);
  return out;
}

void CheckpointManager::record_state() const {
  CheckpointState state;
  state.model_checkpoint_path = *latest_;
  for (const auto& [p, t] : maybe_delete_) {
    state.all_model_checkpoint_paths.push_back(p);
    state.all_model_checkpoint_timestamps.push_back(t);
  }
  state.last_preserved_timestamp = last_preserved_timestamp_;
  update_checkpoint_state(directory_, state);
}

void CheckpointManager::sweep() {
  if (!max_to_keep_) return;  // everything stays in the active set
  while (maybe_delete_.size() > static_cast<size_t>(*max_to_keep_)) {
    const auto [path, stamp] = maybe_delete_.front();
    maybe_delete_.erase(maybe_delete_.begin());
    // Kept on disk for keep_checkpoint_every_n_hours, but no longer listed (the state file
    // would grow without bound otherwise).
    if (keep_every_n_hours_ && stamp - *keep_every_n_hours_ * 3600.0 >= last_preserved_timestamp_) {
      last_preserved_timestamp_ = stamp;
      continue;
    }
    delete_checkpoint_files(path);
  }
}

std::string CheckpointManager::save(std::optional<int64_t> checkpoint_number) {
  Variable counter = checkpoint_->save_counter();
  counter.assign_add(Tensor::scalar(1, DType::int64));
  const int64_t n = checkpoint_number.value_or(counter.value().item<int64_t>());
  const std::string path = prefix_ + "-" + std::to_string(n);
  checkpoint_->write(path);
  const double stamp = now_seconds();
  // A re-written checkpoint moves to the end of the queue.
  maybe_delete_.erase(std::remove_if(maybe_delete_.begin(), maybe_delete_.end(),
                                     [&](const auto& e) { return e.first == path; }),
                      maybe_delete_.end());
  maybe_delete_.emplace_back(path, stamp);
  latest_ = path;
  // Listed before anything is deleted (robust to a crash mid-sweep), then rewritten without the
  // deleted ones.
  record_state();
  sweep();
  record_state();
  return path;
}

std::optional<LoadStatus> CheckpointManager::restore_or_initialize() {
  if (!latest_) return std::nullopt;
  return checkpoint_->restore(*latest_);
}

}  // namespace keras::train
