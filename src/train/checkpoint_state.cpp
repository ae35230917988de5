// The `checkpoint` CheckpointState text file and latest_checkpoint (TensorFlow's
// checkpoint_management.py semantics).
#include "keras/train/checkpoint_state.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "keras/core/errors.hpp"

namespace keras::train {
namespace fs = std::filesystem;
namespace {

constexpr const char* kStateFile = "checkpoint";

// Python's repr(float), which protobuf's text_format prints doubles with: the shortest
// round-trip digits, fixed notation for exponents in [-4, 16), a ".0" for integral values.
std::string python_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, r.ptr);  // "-1.2345e+09"
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exp = std::stoi(sci.substr(e + 1));
  std::string out;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
      out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += ebuf;
  }
  return negative ? "-" + out : out;
}

// protobuf's CEscape (text_format with as_utf8=False).
std::string c_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\%03o", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

// A minimal protobuf text-format scanner for CheckpointState's scalar fields.
class TextScanner {
 public:
  TextScanner(const std::string& text, const std::string& what) : s_(text), what_(what) {}

  [[noreturn]] void fail(const std::string& problem) const {
    int line = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) line += s_[i] == '\n';
    throw FileFormatError("Invalid CheckpointState text in " + what_ + " (line " +
                          std::to_string(line) + "): " + problem);
  }
  void skip_space() {
    while (pos_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[pos_]))) {
        ++pos_;
      } else if (s_[pos_] == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }
  bool at_end() {
    skip_space();
    return pos_ >= s_.size();
  }
  bool consume(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string identifier() {
    skip_space();
    const size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
      ++pos_;
    if (start == pos_) fail("expected a field name");
    return s_.substr(start, pos_ - start);
  }
  // One or more adjacent quoted literals.
  std::string string_value() {
    skip_space();
    if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) fail("expected a string");
    std::string out;
    while (pos_ < s_.size() && (s_[pos_] == '"' || s_[pos_] == '\'')) {
      const char quote = s_[pos_++];
      while (true) {
        if (pos_ >= s_.size() || s_[pos_] == '\n') fail("unterminated string");
        char c = s_[pos_++];
        if (c == quote) break;
        if (c != '\\') {
          out += c;
          continue;
        }
        if (pos_ >= s_.size()) fail("unterminated escape");
        c = s_[pos_++];
        switch (c) {
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'a':
            out += '\a';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'v':
            out += '\v';
            break;
          case 'x': {
            int v = 0, n = 0;
            while (n < 2 && pos_ < s_.size() &&
                   std::isxdigit(static_cast<unsigned char>(s_[pos_]))) {
              const char h =
                  static_cast<char>(std::tolower(static_cast<unsigned char>(s_[pos_++])));
              v = v * 16 + (h <= '9' ? h - '0' : h - 'a' + 10);
              ++n;
            }
            if (n == 0) fail("bad \\x escape");
            out += static_cast<char>(v);
            break;
          }
          default:
            if (c >= '0' && c <= '7') {
              int v = c - '0', n = 1;
              while (n < 3 && pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '7') {
                v = v * 8 + (s_[pos_++] - '0');
                ++n;
              }
              out += static_cast<char>(v & 0xff);
            } else {
              out += c;  // \" \' \\ \?
            }
        }
      }
      skip_space();
    }
    return out;
  }
  double number_value() {
    skip_space();
    const size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '.' || s_[pos_] == '-' || s_[pos_] == '+'))
      ++pos_;
    std::string tok = s_.substr(start, pos_ - start);
    if (!tok.empty() && (tok.back() == 'f' || tok.back() == 'F') &&
        tok.find_first_of("nN") == std::string::npos)
      tok.pop_back();
    std::string lower;
    for (char c : tok) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "inf" || lower == "infinity") return HUGE_VAL;
    if (lower == "-inf" || lower == "-infinity") return -HUGE_VAL;
    if (lower == "nan") return std::nan("");
    double v = 0;
    const char* b = tok.data();
    if (!tok.empty() && tok[0] == '+') ++b;
    auto r = std::from_chars(b, tok.data() + tok.size(), v);
    if (tok.empty() || r.ec != std::errc() || r.ptr != tok.data() + tok.size())
      fail("expected a number, found '" + tok + "'");
    return v;
  }

 private:
  const std::string& s_;
  std::string what_;
  size_t pos_ = 0;
};

std::string read_file(const fs::path& path, bool* exists) {
  std::ifstream in(path, std::ios::binary);
  *exists = static_cast<bool>(in);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw IOError("Error reading '" + path.string() + "'.");
  return ss.str();
}

// Writes then renames: readers see the old file or the new one, never a part.
void write_file_atomic(const fs::path& path, const std::string& bytes) {
  static thread_local std::mt19937_64 rng(std::random_device{}() ^ (uint64_t(::getpid()) << 32));
  const fs::path tmp = path.string() + ".tmp" + std::to_string(rng());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw IOError("Unable to create '" + tmp.string() + "': " + std::strerror(errno) + ".");
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() &&
                  std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const int err = errno;
  if (std::fclose(f) != 0 || !ok) {
    std::remove(tmp.c_str());
    throw IOError("Error writing '" + tmp.string() + "': " + std::strerror(ok ? errno : err) + ".");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw IOError("Unable to rename '" + tmp.string() + "' to '" + path.string() +
                  "': " + ec.message() + ".");
  }
}

fs::path dir_path(const std::string& dir) { return dir.empty() ? fs::path(".") : fs::path(dir); }

// os.path.join(dir, p): p itself when absolute.
std::string join(const std::string& dir, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute() || dir.empty()) return p;
  return (fs::path(dir) / p).string();
}

// p relative to dir (both taken from the working directory when relative), as TF's
// os.path.relpath; p unchanged when no relative path exists.
std::string relative_to(const std::string& p, const std::string& dir) {
  std::error_code ec;
  const fs::path ap = fs::absolute(p, ec).lexically_normal();
  const fs::path ad = fs::absolute(dir_path(dir), ec).lexically_normal();
  if (ec) return p;
  fs::path rel = ap.lexically_relative(ad);
  return rel.empty() ? p : rel.string();
}

}  // namespace

std::string CheckpointState::to_text() const {
  std::string out;
  if (!model_checkpoint_path.empty())
    out += "model_checkpoint_path: \"" + c_escape(model_checkpoint_path) + "\"\n";
  for (const auto& p : all_model_checkpoint_paths)
    out += "all_model_checkpoint_paths: \"" + c_escape(p) + "\"\n";
  for (double t : all_model_checkpoint_timestamps)
    out += "all_model_checkpoint_timestamps: " + python_float_repr(t) + "\n";
  if (last_preserved_timestamp && *last_preserved_timestamp != 0.0)
    out += "last_preserved_timestamp: " + python_float_repr(*last_preserved_timestamp) + "\n";
  return out;
}

CheckpointState CheckpointState::parse(const std::string& text, const std::string& what) {
  CheckpointState st;
  TextScanner sc(text, what);
  bool seen_path = false, seen_preserved = false;
  while (!sc.at_end()) {
    const std::string field = sc.identifier();
    if (!sc.consume(':')) sc.fail("expected ':' after " + field);
    auto values = [&](auto&& one) {
      if (sc.consume('[')) {
        if (!sc.consume(']')) {
          do one();
          while (sc.consume(','));
          if (!sc.consume(']')) sc.fail("expected ']'");
        }
      } else {
        one();
      }
    };
    if (field == "model_checkpoint_path") {
      if (seen_path) sc.fail("model_checkpoint_path given twice");
      seen_path = true;
      st.model_checkpoint_path = sc.string_value();
    } else if (field == "all_model_checkpoint_paths") {
      values([&] { st.all_model_checkpoint_paths.push_back(sc.string_value()); });
    } else if (field == "all_model_checkpoint_timestamps") {
      values([&] { st.all_model_checkpoint_timestamps.push_back(sc.number_value()); });
    } else if (field == "last_preserved_timestamp") {
      if (seen_preserved) sc.fail("last_preserved_timestamp given twice");
      seen_preserved = true;
      st.last_preserved_timestamp = sc.number_value();
    } else {
      sc.fail("unknown field '" + field + "' of tensorflow.CheckpointState");
    }
    if (!sc.consume(';')) sc.consume(',');
  }
  return st;
}

std::optional<CheckpointState> get_checkpoint_state(const std::string& checkpoint_dir) {
  const fs::path file = dir_path(checkpoint_dir) / kStateFile;
  bool exists = false;
  std::string text;
  try {
    text = read_file(file, &exists);
  } catch (const IOError&) {
    return std::nullopt;
  }
  if (!exists) return std::nullopt;
  CheckpointState st;
  try {
    st = CheckpointState::parse(text, "'" + file.string() + "'");
  } catch (const FileFormatError&) {
    return std::nullopt;  // TensorFlow logs "...: Checkpoint ignored" and returns None
  }
  if (st.model_checkpoint_path.empty())
    throw ValueError("Invalid checkpoint state loaded from " + checkpoint_dir);
  st.model_checkpoint_path = join(checkpoint_dir, st.model_checkpoint_path);
  for (auto& p : st.all_model_checkpoint_paths) p = join(checkpoint_dir, p);
  return st;
}

std::optional<std::string> latest_checkpoint(const std::string& checkpoint_dir) {
  const auto st = get_checkpoint_state(checkpoint_dir);
  if (!st) return std::nullopt;
  std::error_code ec;
  const std::string& p = st->model_checkpoint_path;
  if (fs::exists(p + ".index", ec) || fs::is_regular_file(p, ec)) return p;
  return std::nullopt;
}

void update_checkpoint_state(const std::string& checkpoint_dir, const CheckpointState& state) {
  if (state.model_checkpoint_path.empty())
    throw ValueError("update_checkpoint_state: model_checkpoint_path is empty.");
  CheckpointState out = state;
  if (out.all_model_checkpoint_paths.empty() ||
      out.all_model_checkpoint_paths.back() != out.model_checkpoint_path)
    out.all_model_checkpoint_paths.push_back(out.model_checkpoint_path);
  if (!out.all_model_checkpoint_timestamps.empty() &&
      out.all_model_checkpoint_timestamps.size() != out.all_model_checkpoint_paths.size())
    throw ValueError("Checkpoint timestamps, if provided, must match checkpoint paths (" +
                     std::to_string(out.all_model_checkpoint_timestamps.size()) + " vs " +
                     std::to_string(out.all_model_checkpoint_paths.size()) + ").");
  out.model_checkpoint_path = relative_to(out.model_checkpoint_path, checkpoint_dir);
  for (auto& p : out.all_model_checkpoint_paths) p = relative_to(p, checkpoint_dir);
  const fs::path dir = dir_path(checkpoint_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  write_file_atomic(dir / kStateFile, out.to_text());
}

}  // namespace keras::train
