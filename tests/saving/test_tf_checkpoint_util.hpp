// Shared helpers of the TF checkpoint tests: temporary directories, the independent Python
// decoders (tests/io/check_bundle.py, tests/saving/check_object_graph.py) and value access.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"

namespace tfck_test {

namespace fs = std::filesystem;

inline std::string corpus(const std::string& rel) {
  return std::string(KERAS_CORPUS_DIR) + "/" + rel;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

inline void write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("keras_tfck_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  // Sorted file names in the directory.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

// Runs a Python checker on a prefix; its JSON output, or null (with a test failure) on error.
inline nlohmann::json run_python(const std::string& script, const std::string& prefix,
                                 const std::string& extra = "") {
  const std::string out = prefix + ".py.json";
  const std::string cmd = "/usr/bin/python3 " KERAS_SOURCE_DIR "/" + script + " '" + prefix + "' " +
                          extra + " > '" + out + "'";
  const int rc = std::system(cmd.c_str());
  const std::string text = slurp(out);
  fs::remove(out);
  EXPECT_EQ(rc, 0) << script << " rejected " << prefix;
  if (rc != 0) return nullptr;
  return nlohmann::json::parse(text);
}

// tests/saving/check_object_graph.py: {"nodes": [...], "keys": {...}, "reserialized_equal"}.
inline nlohmann::json decode_graph(const std::string& prefix) {
  return run_python("tests/saving/check_object_graph.py", prefix);
}

// tests/io/check_bundle.py: {"entries": {key: {"values": [...], ...}}}.
inline nlohmann::json check_bundle(const std::string& prefix) {
  return run_python("tests/io/check_bundle.py", prefix);
}

inline std::vector<double> values(const keras::Tensor& t) {
  keras::Tensor d = t.astype(keras::DType::float64);
  const double* p = d.data<double>();
  return std::vector<double>(p, p + d.size());
}

inline std::vector<double> json_values(const nlohmann::json& j) {
  std::vector<double> out;
  for (const auto& v : j) out.push_back(v.get<double>());
  return out;
}

}  // namespace tfck_test
