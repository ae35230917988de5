// Restoring object-based checkpoints: round trips, TensorFlow-written SavedModel variables loaded
// into equivalent models (values from the independent bundle parser), seed 004's partial
// restores, both optimizer layouts, name-based TF1 checkpoints and bad input.
#include <gtest/gtest.h>

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
using saving::tf_checkpoint::AssertionError;
using saving::tf_checkpoint::LiveObject;
using saving::tf_checkpoint::ObjectTree;
using saving::tf_checkpoint::OptimizerState;
using saving::tf_checkpoint::TrackableObjectGraph;
using tfck_test::corpus;
using tfck_test::TempDir;
using tfck_test::values;

namespace {

Tensor arange(const Shape& shape, double start) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return Tensor::arange(start, start + static_cast<double>(n), 1.0).reshape(shape);
}

void fill(const Model& m, double start) {
  for (auto v : m.weights()) {
    v.assign(arange(v.shape(), start));
    start += 100;
  }
}

// A stand-in optimizer (the real classes live in another module): its state is given to the
// tree through add_optimizer, exactly as describe_optimizer() reports a keras optimizer's.
class FakeOptimizer : public Trackable {
 public:
  std::string class_name() const override { return "Adam"; }
};

struct OptimizerFixture {
  std::shared_ptr<FakeOptimizer> opt = std::make_shared<FakeOptimizer>();
  Variable iterations{Tensor::scalar(7, DType::int64), "iteration", false};
  Variable lr{Tensor::scalar(0.5), "learning_rate", false};
  Variable m, v;
  explicit OptimizerFixture(const Variable& kernel)
      : m(Tensor::full(kernel.shape(), 1.0), "dense_kernel_momentum", false),
        v(Tensor::full(kernel.shape(), 2.0), "dense_kernel_velocity", false) {}
  OptimizerState state() const { return {iterations, lr, {iterations, m, v}}; }
};

}  // namespace

TEST(TfCheckpointRestore, SequentialRoundTripIntoFreshModel) {
  TempDir dir;
  Sequential a({Input({4}), Dense(3, {.name = "dense"}), Dense(2, {.name = "dense_1"})});
  fill(a, 1);
  saving::tf_checkpoint::save_weights(a, dir / "ckpt");
  Sequential b({Input({4}), Dense(3), Dense(2)});  // other layer names: matched by position
  const auto status = saving::tf_checkpoint::load_weights(b, dir / "ckpt");
  EXPECT_NO_THROW(status.assert_consumed());
  EXPECT_EQ(status.restored_count(), 4);
  ASSERT_EQ(a.weights().size(), b.weights().size());
  for (size_t i = 0; i < a.weights().size(); ++i)
    EXPECT_EQ(values(a.weights()[i]), values(b.weights()[i]));
  // The directory form loads the checkpoint the `checkpoint` file names.
  Sequential c({Input({4}), Dense(3), Dense(2)});
  saving::tf_checkpoint::load_weights(c, dir.path.string()).assert_consumed();
  EXPECT_EQ(values(c.weights()[3]), values(a.weights()[3]));
}

TEST(TfCheckpointRestore, TensorFlowSavedModelVariablesIntoEquivalentModels) {
  // cppflow's TF 2.2 functional model: Input(5) -> Dense(5, relu) -> Dense(1, sigmoid); and TF
  // 2.3's two-input/two-output model. Values and variable names checked against the
  // independent parser's reading of the bundle and graph.
  {
    auto in = Input({5});
    auto x = Dense(5, {.activation = "relu", .name = "dense"})(in);
    auto out = Dense(1, {.activation = "sigmoid", .name = "dense_1"})(x);
    Model m(in, out);
    const std::string prefix =
        corpus("sm-tf2.2-keras-functional-cppflow/model/variables/variables");
    saving::tf_checkpoint::load_weights(m, prefix).assert_consumed();
    const Json b = tfck_test::check_bundle(prefix)["entries"];
    const auto& d1 = m.get_layer("dense_1").as<Dense>();
    EXPECT_EQ(values(d1.kernel()),
              tfck_test::json_values(
                  b["layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"]["values"]));
    EXPECT_EQ(values(m.get_layer("dense").as<Dense>().bias()),
              tfck_test::json_values(
                  b["layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE"]["values"]));
  }
  {
    auto in1 = Input({5}, {.name = "my_input_1"});
    auto in2 = Input({5}, {.name = "my_input_2"});
    auto o1 = Dense(1, {.activation = "sigmoid", .name = "my_outputs_1"})(
        Dense(5, {.activation = "relu", .name = "dense"})(in1));
    auto o2 = Dense(1, {.activation = "sigmoid", .name = "my_outputs_2"})(
        Dense(5, {.activation = "relu", .name = "dense_1"})(in2));
    Model m({in1, in2}, {o1, o2});
    const std::string prefix = corpus("sm-tf2.3-keras-multi-io-cppflow/model/variables/variables");
    saving::tf_checkpoint::load_weights(m, prefix).assert_consumed();
    // Every saved attribute landed in the live variable TF named in full_name.
    const Json g = tfck_test::decode_graph(prefix);
    const Json b = tfck_test::check_bundle(prefix)["entries"];
    int checked = 0;
    for (const auto& node : g["nodes"]) {
      for (const auto& a : node["attributes"]) {
        const std::string full = a[1], key = a[2];
        const std::string layer = full.substr(0, full.find('/'));
        const auto& d = m.get_layer(layer).as<Dense>();
        const Variable& v = full.ends_with("kernel") ? d.kernel() : d.bias();
        EXPECT_EQ(values(v), tfck_test::json_values(b[key]["values"])) << key;
        ++checked;
      }
    }
    EXPECT_EQ(checked, 8);
  }
}

TEST(TfCheckpointRestore, Seed004NewHeadLoadsSharedLayers) {
  TempDir dir;
  auto in = Input({8}, {.name = "digits"});
  auto x = Dense(6, {.activation = "relu", .name = "dense_1"})(in);
  x = Dense(6, {.activation = "relu", .name = "dense_2"})(x);
  Model pretrained(in, x, {.name = "pretrained_model"});
  fill(pretrained, 3);
  saving::tf_checkpoint::save_weights(pretrained, dir / "pretrained_ckpt");

  auto in2 = Input({8}, {.name = "digits"});
  auto y = Dense(6, {.activation = "relu", .name = "dense_1"})(in2);
  y = Dense(6, {.activation = "relu", .name = "dense_2"})(y);
  auto out = Dense(5, {.name = "predictions"})(y);
  Model model(in2, out, {.name = "new_model"});
  const Tensor head_before = model.get_layer("predictions").as<Dense>().kernel().value().clone();
  const auto status = saving::tf_checkpoint::load_weights(model, dir / "pretrained_ckpt");
  for (size_t i = 0; i < pretrained.weights().size(); ++i)
    EXPECT_EQ(values(pretrained.weights()[i]), values(model.weights()[i]));
  EXPECT_EQ(values(model.get_layer("predictions").as<Dense>().kernel()), values(head_before));
  EXPECT_THROW(status.assert_consumed(), AssertionError);
  EXPECT_THROW(status.assert_existing_objects_matched(), AssertionError);
  EXPECT_NO_THROW(status.expect_partial().assert_nontrivial_match());
  ASSERT_EQ(status.unmatched_variables().size(), 2u);
  EXPECT_EQ(status.unmatched_variables()[0], "layer_with_weights-2/kernel (predictions/kernel)");
  EXPECT_TRUE(status.unused_checkpoint_keys().empty());
}

TEST(TfCheckpointRestore, Seed004CheckpointIntoDifferentlyBuiltModel) {
  // Checkpoint(dense=first_dense, kernel=last.kernel, bias=last.bias) restored into a
  // "ContrivedModel": a different model whose pieces carry the same names.
  TempDir dir;
  Dense first(6, {.name = "dense_1"}), last(3, {.name = "predictions"});
  last(first(Tensor::ones({1, 8})));
  Variable(first.kernel()).assign(arange({8, 6}, 0.5));
  Variable(last.bias()).assign(arange({3}, -1));
  const std::string path =
      train::Checkpoint({{"dense", first}, {"kernel", last.kernel()}, {"bias", last.bias()}})
          .save(dir / "ckpt");

  Dense first_dense(6);
  first_dense(Tensor::ones({1, 8}));
  Variable kernel(Tensor::zeros({6, 3}), "kernel"), bias(Tensor::zeros({3}), "bias");
  train::Checkpoint restore_ckpt({{"dense", first_dense}, {"kernel", kernel}, {"bias", bias}});
  restore_ckpt.restore(path).assert_consumed();
  EXPECT_EQ(values(first_dense.kernel()), values(first.kernel()));
  EXPECT_EQ(values(kernel), values(last.kernel()));
  EXPECT_EQ(values(bias), values(last.bias()));
  EXPECT_EQ(restore_ckpt.save_counter().value().item<int64_t>(), 1);
  // The next save continues the numbering.
  EXPECT_EQ(restore_ckpt.save(dir / "ckpt"), dir / "ckpt-2");
}

TEST(TfCheckpointRestore, ShapeMismatchNamesVariableAndBothShapesAndAssignsNothing) {
  TempDir dir;
  Dense a(3, {.name = "dense"});
  a(Tensor::ones({1, 4}));
  Variable(a.bias()).assign(Tensor::full({3}, 9.0));
  train::Checkpoint({{"layer", a}}).write(dir / "c");
  Dense b(3, {.name = "dense"});
  b(Tensor::ones({1, 5}));
  const auto bias_before = values(b.bias());
  try {
    train::Checkpoint({{"layer", b}}).read(dir / "c");
    FAIL() << "no error";
  } catch (const ValueError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("layer/kernel"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(4, 3)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(5, 3)"), std::string::npos) << msg;
  }
  EXPECT_EQ(values(b.bias()), bias_before);  // bias (read first) was not assigned either
  // A dtype mismatch is a TypeError.
  Dense c(3, {.name = "dense", .dtype = "float64"});
  c(Tensor::ones({1, 4}, DType::float64));
  EXPECT_THROW(train::Checkpoint({{"layer", c}}).read(dir / "c"), TypeError);
}

TEST(TfCheckpointRestore, OptimizerStateNewLayoutWrittenAndRestored) {
  TempDir dir;
  Dense d(2, {.name = "dense"});
  d(Tensor::ones({1, 3}));
  OptimizerFixture f(d.kernel());
  train::Checkpoint root({{"model", d}, {"optimizer", f.opt}});
  ObjectTree tree = root.object_tree();
  tree.add_optimizer(f.opt.get(), f.state());
  saving::tf_checkpoint::write_checkpoint(tree, dir / "c");
  const Json py = tfck_test::decode_graph(dir / "c");
  std::vector<std::string> keys;
  for (const auto& [k, v] : py["keys"].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"_CHECKPOINTABLE_OBJECT_GRAPH",
                                            "model/bias/.ATTRIBUTES/VARIABLE_VALUE",
                                            "model/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                                            "optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE",
                                            "optimizer/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE",
                                            "optimizer/_variables/1/.ATTRIBUTES/VARIABLE_VALUE",
                                            "optimizer/_variables/2/.ATTRIBUTES/VARIABLE_VALUE"}));
  EXPECT_EQ(py["keys"]["optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE"][0], "int64");

  OptimizerFixture g(d.kernel());
  g.iterations.assign(Tensor::scalar(0, DType::int64));
  g.m.assign(Tensor::zeros(d.kernel().shape()));
  train::Checkpoint root2({{"model", d}, {"optimizer", g.opt}});
  ObjectTree tree2 = root2.object_tree();
  tree2.add_optimizer(g.opt.get(), g.state());
  saving::tf_checkpoint::restore_checkpoint(tree2, dir / "c").assert_consumed();
  EXPECT_EQ(g.iterations.value().item<int64_t>(), 7);
  EXPECT_EQ(values(g.m), values(f.m));
  EXPECT_EQ(values(g.v), values(f.v));
}

TEST(TfCheckpointRestore, OptimizerStateLegacySlotLayoutRestored) {
  // An OptimizerV2-style checkpoint (FORMATS.md 5.4 (b)), assembled by hand: `iter`,
  // `learning_rate`, `beta_1` children and slot variables m/v of dense/kernel.
  TempDir dir;
  TrackableObjectGraph g;
  g.nodes.resize(8);
  auto attr = [](const std::string& key, const std::string& full) {
    return saving::tf_checkpoint::SerializedTensor{"VARIABLE_VALUE", full, key, false};
  };
  g.nodes[0].children = {{1, "model"}, {2, "optimizer"}};
  g.nodes[1].children = {{3, "kernel"}};
  g.nodes[2].children = {{4, "iter"}, {5, "learning_rate"}};
  g.nodes[2].slot_variables = {{3, "m", 6}, {3, "v", 7}};
  const std::string k = "model/kernel/.ATTRIBUTES/VARIABLE_VALUE";
  const std::string slot = "model/kernel/.OPTIMIZER_SLOT/optimizer/";
  g.nodes[3].attributes = {attr(k, "dense/kernel")};
  g.nodes[4].attributes = {attr("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE", "Adam/iter")};
  g.nodes[5].attributes = {attr("optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE", "lr")};
  g.nodes[6].attributes = {attr(slot + "m/.ATTRIBUTES/VARIABLE_VALUE", "dense/kernel/m")};
  g.nodes[7].attributes = {attr(slot + "v/.ATTRIBUTES/VARIABLE_VALUE", "dense/kernel/v")};
  {
    io::BundleWriter w(dir / "legacy");
    w.add("_CHECKPOINTABLE_OBJECT_GRAPH", Tensor::from_strings({g.serialize()}));
    w.add(k, arange({3, 2}, 1));
    w.add(slot + "m/.ATTRIBUTES/VARIABLE_VALUE", arange({3, 2}, 10));
    w.add(slot + "v/.ATTRIBUTES/VARIABLE_VALUE", arange({3, 2}, 20));
    w.add("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE", Tensor::scalar(42, DType::int64));
    w.add("optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE", Tensor::scalar(0.25));
    w.finish();
  }
  Dense d(2, {.name = "dense"});
  d(Tensor::ones({1, 3}));
  OptimizerFixture f(d.kernel());
  train::Checkpoint root({{"model", d}, {"optimizer", f.opt}});
  ObjectTree tree = root.object_tree();
  tree.add_optimizer(f.opt.get(), f.state());
  const auto status = saving::tf_checkpoint::restore_checkpoint(tree, dir / "legacy");
  EXPECT_EQ(values(d.kernel()), values(arange({3, 2}, 1)));
  EXPECT_EQ(values(f.m), values(arange({3, 2}, 10)));
  EXPECT_EQ(values(f.v), values(arange({3, 2}, 20)));
  EXPECT_EQ(f.iterations.value().item<int64_t>(), 42);
  EXPECT_EQ(f.lr.value().item<float>(), 0.25f);
  // Only the layer's bias has no value in this checkpoint.
  EXPECT_EQ(status.unmatched_variables(), std::vector<std::string>{"model/bias (dense/bias)"});
  EXPECT_TRUE(status.unused_checkpoint_keys().empty());
}

TEST(TfCheckpointRestore, NameBasedTf1CheckpointLoadsByVariablePath) {
  // cppflow's TF 1.15 Saver checkpoint of 784 -> 128 -> 128 -> 10 float64 Dense layers, keys
  // dense/kernel ... dense_2/bias: restored by name into layers of those names.
  const std::string prefix =
      corpus("ckpt-tf1.15-saver-float64-mnist-cppflow/checkpoint/train.ckpt");
  Sequential m({Input({784}, {.dtype = "float64"}),
                Dense(128, {.name = "dense", .dtype = "float64"}),
                Dense(128, {.name = "dense_1", .dtype = "float64"}),
                Dense(10, {.name = "dense_2", .dtype = "float64"})});
  const auto status = saving::tf_checkpoint::load_weights(m, prefix);
  EXPECT_TRUE(status.name_based());
  EXPECT_NO_THROW(status.assert_consumed());
  EXPECT_EQ(status.restored_count(), 6);
  const Json b = tfck_test::check_bundle(prefix)["entries"];
  EXPECT_EQ(values(m.get_layer("dense_2").as<Dense>().bias()),
            tfck_test::json_values(b["dense_2/bias"]["values"]));
  EXPECT_EQ(values(m.get_layer("dense_2").as<Dense>().kernel()),
            tfck_test::json_values(b["dense_2/kernel"]["values"]));
  // The object-based API refuses it with a clear message.
  EXPECT_THROW(train::Checkpoint({{"m", m}}).restore(prefix), FileFormatError);
}

TEST(TfCheckpointRestore, BadInputIsAClearError) {
  TempDir dir;
  Dense d(2, {.name = "dense"});
  d(Tensor::ones({1, 2}));
  train::Checkpoint ckpt({{"layer", d}});
  // Missing files.
  EXPECT_THROW(ckpt.restore(dir / "nothing"), IOError);
  Sequential s({Input({2}), Dense(2)});
  EXPECT_THROW(saving::tf_checkpoint::load_weights(s, dir / "nothing"), IOError);
  EXPECT_THROW(saving::tf_checkpoint::load_weights(s, dir.path.string()), IOError);
  auto write_with_graph = [&](const std::string& name, const Tensor& graph,
                              bool with_kernel = true) {
    io::BundleWriter w(dir / name);
    w.add("_CHECKPOINTABLE_OBJECT_GRAPH", graph);
    if (with_kernel) w.add("layer/kernel/.ATTRIBUTES/VARIABLE_VALUE", Tensor::ones({2, 2}));
    w.finish();
    return dir / name;
  };
  auto expect_format_error = [&](const std::string& prefix, const std::string& fragment) {
    try {
      ckpt.read(prefix);
      ADD_FAILURE() << "no error for " << prefix;
    } catch (const FileFormatError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  // Corrupted graph protobuf; graph of the wrong dtype.
  expect_format_error(write_with_graph("garbage", Tensor::from_strings({"\x0a\x7f\x01"})),
                      "garbage.index");
  expect_format_error(write_with_graph("float_graph", Tensor::ones({})), "DT_FLOAT");
  // A graph naming a key the bundle does not hold.
  TrackableObjectGraph g;
  g.nodes.resize(3);
  g.nodes[0].children = {{1, "layer"}};
  g.nodes[1].children = {{2, "bias"}};
  g.nodes[2].attributes = {
      {"VARIABLE_VALUE", "dense/bias", "layer/bias/.ATTRIBUTES/VARIABLE_VALUE", false}};
  expect_format_error(write_with_graph("missing_key", Tensor::from_strings({g.serialize()})),
                      "layer/bias/.ATTRIBUTES/VARIABLE_VALUE");
  // A child id past the node list.
  g.nodes[1].children = {{9, "bias"}};
  expect_format_error(write_with_graph("bad_id", Tensor::from_strings({g.serialize()})),
                      "a child node_id 9");
}
