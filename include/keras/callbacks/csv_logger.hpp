// keras.callbacks.CSVLogger: one CSV row per epoch ("epoch" then the logs' keys, sorted),
// written as Python's csv module writes them (excel dialect: "\r\n" line ends, minimal quoting,
// floats in repr form, "NA" for a key missing from a later epoch).
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class CSVLogger : public Callback {
 public:
  // append: continue an existing file (its header is kept when it has one).
  explicit CSVLogger(std::string filename, std::string separator = ",", bool append = false);
  ~CSVLogger() override;
  CSVLogger(const CSVLogger&) = delete;
  CSVLogger& operator=(const CSVLogger&) = delete;

  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

  const std::string& filename() const { return filename_; }

 private:
  void write_row(const std::vector<std::string>& fields);
  void close();

  std::string filename_;
  std::string separator_;
  bool append_;
  bool append_header_ = true;
  std::FILE* file_ = nullptr;
  std::optional<std::vector<std::string>> keys_;
  bool header_done_ = false;
};

}  // namespace keras::callbacks
