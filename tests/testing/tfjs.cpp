#include "testing/tfjs.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace keras::testing {
namespace fs = std::filesystem;

namespace {

fs::path harness_dir() { return fs::path(KERAS_SOURCE_DIR) / "tests" / "tfjs"; }

json tensor_json(const Tensor& t) {
  json j;
  j["shape"] = t.shape();
  const bool is_int = is_integer(t.dtype());
  j["dtype"] = is_int ? "int32" : "float32";
  if (is_int) {
    j["data"] = t.to_vector<int64_t>();
  } else {
    j["data"] = t.to_vector<double>();
  }
  return j;
}

Tensor tensor_from_json(const json& j) {
  Shape shape = j.at("shape").get<Shape>();
  std::vector<double> data = j.at("data").get<std::vector<double>>();
  return Tensor::from_vector(data, shape).astype(float32);
}

}  // namespace

bool tfjs_available() {
  return fs::exists(harness_dir() / "node_modules" / "@tensorflow" / "tfjs") &&
         std::system("node --version > /dev/null 2>&1") == 0;
}

std::vector<Tensor> tfjs_predict(const json& model_topology, const std::vector<Tensor>& weights,
                                 const std::vector<Tensor>& inputs, bool training) {
  if (!tfjs_available())
    throw std::runtime_error("TensorFlow.js is not installed: run ./run test (it installs "
                             "@tensorflow/tfjs into tests/tfjs/node_modules).");
  json request;
  request["model"] = model_topology;
  request["weights"] = json::array();
  for (const auto& w : weights) request["weights"].push_back(tensor_json(w));
  request["inputs"] = json::array();
  for (const auto& x : inputs) request["inputs"].push_back(tensor_json(x));
  request["training"] = training;

  const fs::path dir = fs::temp_directory_path() /
                       ("keras_tfjs_" + std::to_string(::getpid()) + "_" +
                        std::to_string(reinterpret_cast<uintptr_t>(&request)));
  fs::create_directories(dir);
  const fs::path req = dir / "request.json", resp = dir / "response.json";
  std::ofstream(req) << request.dump();
  const std::string cmd = "cd '" + harness_dir().string() + "' && node harness.js '" +
                          req.string() + "' '" + resp.string() + "' > '" + (dir / "log.txt").string() +
                          "' 2>&1";
  const int rc = std::system(cmd.c_str());
  std::ifstream in(resp);
  if (rc != 0 || !in) {
    std::stringstream log;
    log << std::ifstream(dir / "log.txt").rdbuf();
    fs::remove_all(dir);
    throw std::runtime_error("TF.js harness failed (exit " + std::to_string(rc) + "): " + log.str());
  }
  json response = json::parse(in);
  fs::remove_all(dir);
  if (response.contains("error"))
    throw std::runtime_error("TF.js: " + response["error"].get<std::string>());
  std::vector<Tensor> out;
  for (const auto& t : response["outputs"]) out.push_back(tensor_from_json(t));
  return out;
}

std::vector<Tensor> tfjs_layer(const json& layer, const std::vector<Shape>& input_shapes,
                               const std::vector<Tensor>& weights,
                               const std::vector<Tensor>& inputs, int num_outputs,
                               const std::vector<std::string>& input_dtypes, bool training) {
  json layers = json::array();
  json input_layers = json::array();
  json inbound = json::array();
  for (size_t i = 0; i < input_shapes.size(); ++i) {
    const std::string name = "input_" + std::to_string(i);
    json batch_shape = json::array({nullptr});
    for (auto d : input_shapes[i]) batch_shape.push_back(d < 0 ? json(nullptr) : json(d));
    const std::string dtype = i < input_dtypes.size() ? input_dtypes[i] : "float32";
    layers.push_back({{"class_name", "InputLayer"},
                      {"name", name},
                      {"config",
                       {{"batch_input_shape", batch_shape},
                        {"dtype", dtype},
                        {"sparse", false},
                        {"name", name}}},
                      {"inbound_nodes", json::array()}});
    input_layers.push_back({name, 0, 0});
    inbound.push_back({name, 0, 0, json::object()});
  }
  json l = layer;
  const std::string lname = "layer_under_test";
  l["config"]["name"] = lname;
  l["name"] = lname;
  l["inbound_nodes"] = json::array({inbound});
  layers.push_back(l);
  json output_layers = json::array();
  for (int k = 0; k < num_outputs; ++k) output_layers.push_back({lname, 0, k});
  json model = {{"class_name", "Model"},
                {"config",
                 {{"name", "harness"},
                  {"layers", layers},
                  {"input_layers", input_layers},
                  {"output_layers", output_layers}}},
                {"keras_version", "2.2.4"},
                {"backend", "tensorflow"}};
  return tfjs_predict(model, weights, inputs, training);
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return std::numeric_limits<double>::infinity();
  const auto va = a.to_vector<double>(), vb = b.to_vector<double>();
  double m = 0;
  for (size_t i = 0; i < va.size(); ++i) m = std::max(m, std::abs(va[i] - vb[i]));
  return m;
}

}  // namespace keras::testing
