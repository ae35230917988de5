// TrackableObjectGraph reading and writing, and the object-graph walk: the graphs of the corpus
// SavedModel variable bundles (written by TensorFlow 2.2, 2.3, 2.14) against the key listings of
// corpus/MANIFEST.md and an independent python3-protobuf decoding; the graphs we write for
// FORMATS.md 5.4 (a) and (c) decoded by the same independent decoder.
#include <gtest/gtest.h>

#include <set>

#include "keras/core/errors.hpp"
#include "keras/io/tensor_bundle.hpp"
#include "keras/layers/core/dense.hpp"
#include "keras/models/sequential.hpp"
#include "keras/saving/tf_checkpoint/object_graph.hpp"
#include "keras/saving/tf_checkpoint/tf_checkpoint.hpp"
#include "keras/train/checkpoint.hpp"
#include "test_tf_checkpoint_util.hpp"

using namespace keras;
using keras::layers::Dense;
using Json = nlohmann::json;
using saving::tf_checkpoint::escape_local_name;
using saving::tf_checkpoint::TrackableObjectGraph;
using tfck_test::corpus;
using tfck_test::TempDir;

namespace {

TrackableObjectGraph read_graph(const std::string& prefix) {
  io::BundleReader r(prefix);
  return TrackableObjectGraph::parse(r.read("_CHECKPOINTABLE_OBJECT_GRAPH").data<std::string>()[0],
                                     prefix);
}

// Our parse of a graph against the independent decoder's, node by node.
void expect_same_graph(const TrackableObjectGraph& g, const Json& py) {
  ASSERT_EQ(g.nodes.size(), py["nodes"].size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    SCOPED_TRACE("node " + std::to_string(i));
    const auto& n = g.nodes[i];
    const Json& p = py["nodes"][i];
    ASSERT_EQ(n.children.size(), p["children"].size());
    for (size_t c = 0; c < n.children.size(); ++c) {
      EXPECT_EQ(n.children[c].local_name, p["children"][c][0].get<std::string>());
      EXPECT_EQ(n.children[c].node_id, p["children"][c][1].get<int>());
    }
    ASSERT_EQ(n.attributes.size(), p["attributes"].size());
    for (size_t a = 0; a < n.attributes.size(); ++a) {
      EXPECT_EQ(n.attributes[a].name, p["attributes"][a][0].get<std::string>());
      EXPECT_EQ(n.attributes[a].full_name, p["attributes"][a][1].get<std::string>());
      EXPECT_EQ(n.attributes[a].checkpoint_key, p["attributes"][a][2].get<std::string>());
    }
    ASSERT_EQ(n.slot_variables.size(), p["slot_variables"].size());
    if (p["has_checkpoint_values"].is_null()) {
      EXPECT_FALSE(n.has_checkpoint_values.has_value());
    } else {
      ASSERT_TRUE(n.has_checkpoint_values.has_value());
      EXPECT_EQ(*n.has_checkpoint_values, p["has_checkpoint_values"].get<bool>());
    }
  }
}

std::vector<std::string> attribute_keys(const TrackableObjectGraph& g) {
  std::vector<std::string> keys;
  for (const auto& n : g.nodes)
    for (const auto& a : n.attributes) keys.push_back(a.checkpoint_key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> child_names(const TrackableObjectGraph& g, size_t node, size_t max) {
  std::vector<std::string> out;
  for (const auto& c : g.nodes[node].children)
    if (out.size() < max) out.push_back(c.local_name + "->" + std::to_string(c.node_id));
  return out;
}

}  // namespace

TEST(TfCheckpointGraph, EscapeRules) {
  // FORMATS.md 5.1: "." -> "..", then "/" -> ".S".
  EXPECT_EQ(escape_local_name("kernel"), "kernel");
  EXPECT_EQ(escape_local_name("a.b/c"), "a..b.Sc");
  EXPECT_EQ(escape_local_name("./"), "...S");
  EXPECT_EQ(escape_local_name(".S"), "..S");
}

TEST(TfCheckpointGraph, CorpusSavedModelGraphsMatchManifestAndPythonDecoder) {
  struct Case {
    std::string prefix;
    std::vector<std::string> manifest_keys;  // corpus/MANIFEST.md listing, object graph excluded
  };
  const std::vector<Case> cases = {
      {corpus("sm-tf2.14-half-plus-two-serving/00000123/variables/variables"),
       {"a/.ATTRIBUTES/VARIABLE_VALUE", "b/.ATTRIBUTES/VARIABLE_VALUE",
        "c/.ATTRIBUTES/VARIABLE_VALUE"}},
      {corpus("sm-tf2.2-keras-functional-cppflow/model/variables/variables"),
       {"layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"}},
      {corpus("sm-tf2.3-keras-multi-io-cppflow/model/variables/variables"),
       {"layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-2/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-2/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-3/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-3/kernel/.ATTRIBUTES/VARIABLE_VALUE"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.prefix);
    const TrackableObjectGraph g = read_graph(c.prefix);
    EXPECT_EQ(attribute_keys(g), c.manifest_keys);
    expect_same_graph(g, tfck_test::decode_graph(c.prefix));
  }
  // TF 2.2's functional model: the InputLayer is layer-0 (no weights), then each Dense is
  // layer_with_weights-k before layer-i (Functional._layer_checkpoint_dependencies).
  const auto g = read_graph(cases[1].prefix);
  EXPECT_EQ(child_names(g, 0, 6),
            (std::vector<std::string>{"layer-0->1", "layer_with_weights-0->2", "layer-1->2",
                                      "layer_with_weights-1->3", "layer-2->3", "optimizer->4"}));
  EXPECT_EQ(child_names(g, 2, 2), (std::vector<std::string>{"kernel->11", "bias->12"}));
  EXPECT_EQ(g.nodes[11].attributes[0].full_name, "dense/kernel");
}

TEST(TfCheckpointGraph, SerializeReproducesTensorFlowBytes) {
  // TF 2.2/2.3 wrote fields in field-number order with proto3 defaults omitted, as we do.
  for (const char* rel : {"sm-tf2.2-keras-functional-cppflow/model/variables/variables",
                          "sm-tf2.3-keras-multi-io-cppflow/model/variables/variables"}) {
    io::BundleReader r(corpus(rel));
    const std::string bytes = r.read("_CHECKPOINTABLE_OBJECT_GRAPH").data<std::string>()[0];
    EXPECT_EQ(TrackableObjectGraph::parse(bytes, rel).serialize(), bytes) << rel;
  }
}

TEST(TfCheckpointGraph, CorruptGraphBytesAreFileFormatErrors) {
  // Truncated length-delimited node, unterminated varint, no nodes, child out of range.
  const std::vector<std::string> bad = {std::string("\x0a\x05\x0a\x03", 4),
                                        std::string("\x0a\xff", 2), std::string(),
                                        std::string("\x0a\x04\x0a\x02\x08\x05", 6)};
  for (const auto& b : bad) EXPECT_THROW(TrackableObjectGraph::parse(b, "test"), FileFormatError);
  try {
    TrackableObjectGraph::parse(std::string("\x0a\x04\x0a\x02\x08\x05", 6), "f.index");
    FAIL();
  } catch (const FileFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("f.index"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("5"), std::string::npos) << e.what();
  }
}

TEST(TfCheckpointGraph, SlotVariablesAndBoolValueRoundTrip) {
  TrackableObjectGraph g;
  g.nodes.resize(3);
  g.nodes[0].children = {{1, "v"}, {2, "opt"}};
  g.nodes[0].slot_variables = {{1, "m", 2}};
  g.nodes[0].has_checkpoint_values = true;
  g.nodes[1].attributes = {{"VARIABLE_VALUE", "v", "v/.ATTRIBUTES/VARIABLE_VALUE", true}};
  g.nodes[1].has_checkpoint_values = false;
  g.nodes[2].registered_saver = saving::tf_checkpoint::RegisteredSaver{"saver", "obj"};
  const std::string bytes = g.serialize();
  // has_checkpoint_values false is an empty BoolValue: field 5, length 0 (hand-encoded).
  const std::string node1_tail = std::string("\x2a\x00", 2);
  EXPECT_NE(bytes.find(node1_tail), std::string::npos);
  const auto back = TrackableObjectGraph::parse(bytes, "test");
  ASSERT_EQ(back.nodes.size(), 3u);
  ASSERT_EQ(back.nodes[0].slot_variables.size(), 1u);
  EXPECT_EQ(back.nodes[0].slot_variables[0].slot_name, "m");
  EXPECT_EQ(back.nodes[0].slot_variables[0].slot_variable_node_id, 2);
  EXPECT_TRUE(*back.nodes[0].has_checkpoint_values);
  EXPECT_FALSE(*back.nodes[1].has_checkpoint_values);
  EXPECT_TRUE(back.nodes[1].attributes[0].optional_restore);
  EXPECT_FALSE(back.nodes[2].has_checkpoint_values.has_value());
  EXPECT_EQ(back.nodes[2].registered_saver->object_name, "obj");
  EXPECT_EQ(back.serialize(), bytes);
}

TEST(TfCheckpointGraph, SequentialSaveWeightsKeysAndGraph) {
  // FORMATS.md 5.4 (a) with Sequential([Input((4,)), Dense(3), Dense(2)]).
  TempDir dir;
  Sequential model({Input({4}), Dense(3, {.name = "dense"}), Dense(2, {.name = "dense_1"})});
  const std::string prefix = dir / "ckpt";
  saving::tf_checkpoint::save_weights(model, prefix);

  EXPECT_EQ(dir.files(),
            (std::vector<std::string>{"checkpoint", "ckpt.data-00000-of-00001", "ckpt.index"}));
  EXPECT_EQ(tfck_test::slurp(dir / "checkpoint"),
            "model_checkpoint_path: \"ckpt\"\nall_model_checkpoint_paths: \"ckpt\"\n");

  const Json py = tfck_test::decode_graph(prefix);
  ASSERT_FALSE(py.is_null());
  const Json expected_keys = {
      {"_CHECKPOINTABLE_OBJECT_GRAPH", {"string", Json::array()}},
      {"layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE", {"float32", {3}}},
      {"layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE", {"float32", {4, 3}}},
      {"layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE", {"float32", {2}}},
      {"layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE", {"float32", {3, 2}}}};
  EXPECT_EQ(py["keys"], expected_keys);
  EXPECT_TRUE(py["reserialized_equal"].get<bool>());
  const Json nodes = py["nodes"];
  ASSERT_EQ(nodes.size(), 7u);
  EXPECT_EQ(nodes[0]["children"], Json::parse(R"([["layer_with_weights-0",1],["layer-0",1],
      ["layer_with_weights-1",2],["layer-1",2],["root",0]])"));
  EXPECT_EQ(nodes[1]["children"], Json::parse(R"([["kernel",3],["bias",4]])"));
  EXPECT_EQ(nodes[2]["children"], Json::parse(R"([["kernel",5],["bias",6]])"));
  EXPECT_EQ(nodes[3]["attributes"], Json::parse(R"([["VARIABLE_VALUE","dense/kernel",
      "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"]])"));
  EXPECT_EQ(nodes[6]["attributes"], Json::parse(R"([["VARIABLE_VALUE","dense_1/bias",
      "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE"]])"));
  for (const auto& n : nodes) EXPECT_EQ(n["has_checkpoint_values"], true);

  // The stored values are the model's (read by the independent bundle parser).
  const Json bundle = tfck_test::check_bundle(prefix);
  const auto& d0 = model.get_layer("dense").as<Dense>();
  EXPECT_EQ(
      tfck_test::json_values(
          bundle["entries"]["layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"]["values"]),
      tfck_test::values(d0.kernel()));
}

TEST(TfCheckpointGraph, FunctionalGraphIncludesInputLayerAndNestedModels) {
  TempDir dir;
  auto in = Input({3}, {.name = "in"});
  auto h = Dense(2, {.name = "hidden"})(in);
  Model inner(in, h, {.name = "inner"});
  // Sequential([inner, Dense]) — the inner functional model is a layer with weights.
  Sequential outer({Input({3}), Layer(std::make_shared<Model>(inner)), Dense(1, {.name = "head"})});
  saving::tf_checkpoint::save_weights(outer, dir / "w");
  const Json py = tfck_test::decode_graph(dir / "w");
  ASSERT_FALSE(py.is_null());
  EXPECT_EQ(py["nodes"][0]["children"], Json::parse(R"([["layer_with_weights-0",1],["layer-0",1],
      ["layer_with_weights-1",2],["layer-1",2],["root",0]])"));
  // The inner model: its InputLayer is layer-0 (no weights), hidden is layer_with_weights-0.
  EXPECT_EQ(py["nodes"][1]["children"], Json::parse(R"([["layer-0",3],
      ["layer_with_weights-0",4],["layer-1",4]])"));
  std::set<std::string> keys;
  for (const auto& [k, v] : py["keys"].items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{
                      "_CHECKPOINTABLE_OBJECT_GRAPH",
                      "layer_with_weights-0/layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
                      "layer_with_weights-0/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                      "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
                      "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"}));
  // Only the InputLayer's node has nothing to save.
  EXPECT_EQ(py["nodes"][3]["has_checkpoint_values"], false);
}

TEST(TfCheckpointGraph, CheckpointSaveKeysSortedKeywordsAndSaveCounter) {
  // FORMATS.md 5.4 (c) and seed 004's Checkpoint(dense=..., kernel=..., bias=...).
  TempDir dir;
  Dense first(4, {.name = "dense_1"});
  first(Tensor::ones({1, 3}));
  Variable kernel(Tensor::ones({4, 2}), "kernel"), bias(Tensor::zeros({2}), "bias");
  train::Checkpoint ckpt({{"kernel", kernel}, {"dense", first}, {"bias", bias}});
  const std::string path = ckpt.save(dir / "ckpt");
  EXPECT_EQ(path, dir / "ckpt-1");
  EXPECT_EQ(tfck_test::slurp(dir / "checkpoint"),
            "model_checkpoint_path: \"ckpt-1\"\nall_model_checkpoint_paths: \"ckpt-1\"\n");
  const Json py = tfck_test::decode_graph(path);
  ASSERT_FALSE(py.is_null());
  EXPECT_EQ(py["nodes"][0]["children"], Json::parse(R"([["bias",1],["dense",2],["kernel",3],
      ["save_counter",4]])"));
  EXPECT_EQ(py["nodes"][2]["children"], Json::parse(R"([["kernel",5],["bias",6]])"));
  const Json expected_keys = {
      {"_CHECKPOINTABLE_OBJECT_GRAPH", {"string", Json::array()}},
      {"bias/.ATTRIBUTES/VARIABLE_VALUE", {"float32", {2}}},
      {"dense/bias/.ATTRIBUTES/VARIABLE_VALUE", {"float32", {4}}},
      {"dense/kernel/.ATTRIBUTES/VARIABLE_VALUE", {"float32", {3, 4}}},
      {"kernel/.ATTRIBUTES/VARIABLE_VALUE", {"float32", {4, 2}}},
      {"save_counter/.ATTRIBUTES/VARIABLE_VALUE", {"int64", Json::array()}}};
  EXPECT_EQ(py["keys"], expected_keys);
  const Json bundle = tfck_test::check_bundle(path);
  EXPECT_EQ(bundle["entries"]["save_counter/.ATTRIBUTES/VARIABLE_VALUE"]["values"], Json({1}));
  // write(): no counter bump, no state file change, and no save_counter if never created.
  train::Checkpoint plain({{"w", kernel}});
  plain.write(dir / "plain");
  EXPECT_EQ(tfck_test::decode_graph(dir / "plain")["nodes"][0]["children"],
            Json::parse(R"([["w",1]])"));
  EXPECT_EQ(tfck_test::slurp(dir / "checkpoint"),
            "model_checkpoint_path: \"ckpt-1\"\nall_model_checkpoint_paths: \"ckpt-1\"\n");
}

TEST(TfCheckpointGraph, SharedVariableGetsShortestFirstPath) {
  // A variable reachable as dense/kernel and as kernel is keyed once, by the shorter path; an
  // escaped name keeps its edge spelling in the graph.
  TempDir dir;
  Dense d(2, {.name = "d"});
  d(Tensor::ones({1, 2}));
  train::Checkpoint ckpt({{"a.dense", d}, {"kernel/x", d.kernel()}});
  ckpt.write(dir / "c");
  const Json py = tfck_test::decode_graph(dir / "c");
  std::set<std::string> keys;
  for (const auto& [k, v] : py["keys"].items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"_CHECKPOINTABLE_OBJECT_GRAPH",
                                         "a..dense/bias/.ATTRIBUTES/VARIABLE_VALUE",
                                         "kernel.Sx/.ATTRIBUTES/VARIABLE_VALUE"}));
  EXPECT_EQ(py["nodes"][0]["children"], Json::parse(R"([["a.dense",1],["kernel/x",2]])"));
  EXPECT_EQ(py["nodes"][1]["children"], Json::parse(R"([["kernel",2],["bias",3]])"));
}
