// keras.callbacks.CSVLogger (keras/src/callbacks/csv_logger.py), writing what Python's
// csv.DictWriter with the excel dialect writes.
#include "keras/callbacks/csv_logger.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "callbacks/format.hpp"

namespace keras::callbacks {

namespace {

// csv.QUOTE_MINIMAL: quote a field holding the separator, a quote or a line break; double the
// quotes inside.
std::string csv_field(const std::string& field, const std::string& separator) {
  const bool needs_quotes = field.find_first_of("\"\r\n") != std::string::npos ||
                            (!separator.empty() && field.find(separator) != std::string::npos);
  if (!needs_quotes) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

CSVLogger::CSVLogger(std::string filename, std::string separator, bool append)
    : filename_(std::move(filename)), separator_(std::move(separator)), append_(append) {
  if (separator_.size() != 1)
    throw TypeError("CSVLogger: \"delimiter\" must be a 1-character string; received separator=\"" +
                    separator_ + "\".");
}

CSVLogger::~CSVLogger() { close(); }

void CSVLogger::close() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

void CSVLogger::on_train_begin(Logs&) {
  append_header_ = true;
  if (append_) {
    // An existing file with a first line already has its header.
    if (std::FILE* f = std::fopen(filename_.c_str(), "rb")) {
      const int c = std::fgetc(f);
      append_header_ = c == EOF;
      std::fclose(f);
    }
  }
  close();
  file_ = std::fopen(filename_.c_str(), append_ ? "ab" : "wb");
  if (!file_)
    throw IOError("CSVLogger: cannot open '" + filename_ +
                  "' for writing: " + std::strerror(errno) + ".");
  keys_.reset();
  header_done_ = false;
}

void CSVLogger::write_row(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line += separator_;
    line += csv_field(fields[i], separator_);
  }
  line += "\r\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0)
    throw IOError("CSVLogger: cannot write to '" + filename_ + "': " + std::strerror(errno) + ".");
}

void CSVLogger::on_epoch_end(int epoch, Logs& logs) {
  if (!file_)
    throw ValueError("CSVLogger: on_epoch_end before on_train_begin ('" + filename_ + "').");
  if (!keys_) {
    // Python's sorted(): by code point, which byte order of UTF-8 preserves.
    std::vector<std::string> keys;
    for (const auto& [name, value] : logs) keys.push_back(name);
    std::sort(keys.begin(), keys.end());
    keys_ = std::move(keys);
  }
  if (!header_done_) {
    if (append_header_) {
      std::vector<std::string> header = {"epoch"};
      header.insert(header.end(), keys_->begin(), keys_->end());
      write_row(header);
    }
    header_done_ = true;
  }
  std::vector<std::string> row = {std::to_string(epoch)};
  for (const auto& key : *keys_) {
    const auto value = logs.get(key);
    row.push_back(value ? internal::py_repr(*value) : "NA");
  }
  write_row(row);
}

void CSVLogger::on_train_end(Logs&) {
  close();
  header_done_ = false;
}

}  // namespace keras::callbacks
