#include "keras/callbacks/model_checkpoint.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "keras/models/model.hpp"
#include "keras/utils/python_format.hpp"

namespace keras::callbacks {

ModelCheckpoint::ModelCheckpoint(std::string filepath, const ModelCheckpointOptions& options)
    : filepath_(std::move(filepath)), o_(options) {
  if (!o_.save_weights_only)
    throw NotImplementedError(
        "ModelCheckpoint(save_weights_only=false) saves whole models, which keras-cpp cannot "
        "write yet; pass save_weights_only=true.");
  if (o_.mode != "auto" && o_.mode != "min" && o_.mode != "max")
    throw ValueError("ModelCheckpoint mode '" + o_.mode + "' is unknown; expected auto, min or max.");
  if (const auto* s = std::get_if<std::string>(&o_.save_freq); s && *s != "epoch")
    throw ValueError("Unrecognized save_freq: " + *s + ". Expected save_freq are 'epoch' or int.");
  if (o_.period < 1) throw ValueError("ModelCheckpoint period must be >= 1.");
  maximize_ = o_.mode == "max" ||
              (o_.mode == "auto" && (o_.monitor.find("acc") != std::string::npos ||
                                     o_.monitor.rfind("fmeasure", 0) == 0 ||
                                     o_.monitor.find("auc") != std::string::npos));
  best_ = o_.initial_value_threshold.value_or(maximize_ ? -std::numeric_limits<double>::infinity()
                                                        : std::numeric_limits<double>::infinity());
}

void ModelCheckpoint::on_train_begin(Logs&) {
  epochs_since_last_save_ = 0;
  batches_since_last_save_ = 0;
}

void ModelCheckpoint::on_epoch_begin(int epoch, Logs&) { current_epoch_ = epoch; }

void ModelCheckpoint::on_train_batch_end(int batch, Logs& logs) {
  const auto* every = std::get_if<int64_t>(&o_.save_freq);
  if (!every) return;
  if (++batches_since_last_save_ >= *every) {
    batches_since_last_save_ = 0;
    save(current_epoch_, batch, logs);
  }
}

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
  if (!std::holds_alternative<std::string>(o_.save_freq)) return;
  if (++epochs_since_last_save_ < o_.period) return;
  epochs_since_last_save_ = 0;
  save(epoch, std::nullopt, logs);
}

std::string ModelCheckpoint::file_path(int epoch, std::optional<int> batch,
                                       const Logs& logs) const {
  std::map<std::string, utils::FormatValue> values;
  for (const auto& [k, v] : logs) values[k] = v;
  values["epoch"] = int64_t{epoch + 1};
  if (batch) values["batch"] = int64_t{*batch + 1};
  return utils::python_format(filepath_, values);
}

bool ModelCheckpoint::improved(double current) const {
  return maximize_ ? current > best_ : current < best_;
}

void ModelCheckpoint::save(int epoch, std::optional<int> batch, const Logs& logs) {
  if (!model()) throw ValueError("ModelCheckpoint used without a model.");
  const std::string path = file_path(epoch, batch, logs);
  if (o_.save_best_only) {
    const auto current = logs.get(o_.monitor);
    if (!current) {
      std::cerr << "Can save best model only with " << o_.monitor
                << " available, skipping.\n";
      return;
    }
    if (!improved(*current)) {
      if (o_.verbose > 0) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "\nEpoch %d: %s did not improve from %.5f\n", epoch + 1,
                      o_.monitor.c_str(), best_);
        std::cout << buf;
      }
      return;
    }
    if (o_.verbose > 0) {
      char buf[512];
      std::snprintf(buf, sizeof buf, "\nEpoch %d: %s improved from %.5f to %.5f, saving model to %s\n",
                    epoch + 1, o_.monitor.c_str(), best_, *current, path.c_str());
      std::cout << buf;
    }
    best_ = *current;
  } else if (o_.verbose > 0) {
    std::cout << "\nEpoch " << epoch + 1 << ": saving model to " << path << "\n";
  }
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  model()->save_weights(path);
}

}  // namespace keras::callbacks
