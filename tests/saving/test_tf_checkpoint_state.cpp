// The `checkpoint` state file, latest_checkpoint, CheckpointManager and load_checkpoint (TF1
// corpus checkpoints: names, dtypes, shapes per corpus/MANIFEST.md, values per expected.json).
#include <gtest/gtest.h>

#include <cmath>

#include "keras/core/errors.hpp"
#include "keras/layers/core/dense.hpp"
#include "keras/train/checkpoint.hpp"
#include "test_tf_checkpoint_util.hpp"

using namespace keras;
using keras::layers::Dense;
using tfck_test::corpus;
using tfck_test::TempDir;
using train::CheckpointState;

TEST(TfCheckpointState, TextFormatAsTensorFlowWritesIt) {
  // FORMATS.md 5.5's example; doubles as Python's repr prints them (hand-derived).
  CheckpointState st;
  st.model_checkpoint_path = "ckpt-3";
  st.all_model_checkpoint_paths = {"ckpt-2", "ckpt-3"};
  st.all_model_checkpoint_timestamps = {1700000010.123456, 1700000020.654321};
  st.last_preserved_timestamp = 1699999999.5;
  EXPECT_EQ(st.to_text(),
            "model_checkpoint_path: \"ckpt-3\"\n"
            "all_model_checkpoint_paths: \"ckpt-2\"\n"
            "all_model_checkpoint_paths: \"ckpt-3\"\n"
            "all_model_checkpoint_timestamps: 1700000010.123456\n"
            "all_model_checkpoint_timestamps: 1700000020.654321\n"
            "last_preserved_timestamp: 1699999999.5\n");
  st.all_model_checkpoint_timestamps = {1700000000.0, 1e16, 1.5e-05, 0.0001};
  st.all_model_checkpoint_paths = {"a\"b\n", "\xc3\xa9", "x", "y"};
  st.last_preserved_timestamp.reset();
  EXPECT_EQ(st.to_text(),
            "model_checkpoint_path: \"ckpt-3\"\n"
            "all_model_checkpoint_paths: \"a\\\"b\\n\"\n"
            "all_model_checkpoint_paths: \"\\303\\251\"\n"
            "all_model_checkpoint_paths: \"x\"\n"
            "all_model_checkpoint_paths: \"y\"\n"
            "all_model_checkpoint_timestamps: 1700000000.0\n"
            "all_model_checkpoint_timestamps: 1e+16\n"
            "all_model_checkpoint_timestamps: 1.5e-05\n"
            "all_model_checkpoint_timestamps: 0.0001\n");
  const CheckpointState back = CheckpointState::parse(st.to_text(), "test");
  EXPECT_EQ(back.model_checkpoint_path, st.model_checkpoint_path);
  EXPECT_EQ(back.all_model_checkpoint_paths, st.all_model_checkpoint_paths);
  EXPECT_EQ(back.all_model_checkpoint_timestamps, st.all_model_checkpoint_timestamps);
  EXPECT_FALSE(back.last_preserved_timestamp.has_value());
}

TEST(TfCheckpointState, ParserAcceptsTextFormatVariants) {
  const auto st = CheckpointState::parse(
      "# comment\nall_model_checkpoint_paths: 'a' \"b\"\n"
      "model_checkpoint_path :\"m\\101\\x42\"; all_model_checkpoint_timestamps: [1, 2.5e3]\n"
      "last_preserved_timestamp: -inf",
      "test");
  EXPECT_EQ(st.model_checkpoint_path, "mAB");
  EXPECT_EQ(st.all_model_checkpoint_paths, std::vector<std::string>{"ab"});
  EXPECT_EQ(st.all_model_checkpoint_timestamps, (std::vector<double>{1, 2500}));
  EXPECT_TRUE(std::isinf(*st.last_preserved_timestamp));
  for (const char* bad :
       {"model_checkpoint_path: ckpt", "foo: \"x\"", "model_checkpoint_path \"x\"",
        "model_checkpoint_path: \"x", "all_model_checkpoint_timestamps: abc",
        "model_checkpoint_path: \"a\" model_checkpoint_path: \"b\""})
    EXPECT_THROW(CheckpointState::parse(bad, "test"), FileFormatError) << bad;
}

TEST(TfCheckpointState, LatestCheckpointSemantics) {
  TempDir dir;
  const std::string d = dir.path.string();
  EXPECT_EQ(train::latest_checkpoint(d), std::nullopt);                    // no file
  EXPECT_EQ(train::latest_checkpoint(dir / "missing_dir"), std::nullopt);  // no directory
  tfck_test::write_text(dir / "checkpoint", "garbage {{{");
  EXPECT_EQ(train::latest_checkpoint(d), std::nullopt);  // unparseable
  tfck_test::write_text(dir / "checkpoint", "all_model_checkpoint_paths: \"x\"\n");
  EXPECT_THROW(train::latest_checkpoint(d), ValueError);  // parses, but no model path
  tfck_test::write_text(dir / "checkpoint", "model_checkpoint_path: \"ckpt-1\"\n");
  EXPECT_EQ(train::latest_checkpoint(d), std::nullopt);  // named files are gone
  tfck_test::write_text(dir / "ckpt-1.index", "");
  EXPECT_EQ(train::latest_checkpoint(d), dir / "ckpt-1");  // V2: PREFIX.index
  tfck_test::write_text(dir / "checkpoint", "model_checkpoint_path: \"v1_ckpt\"\n");
  tfck_test::write_text(dir / "v1_ckpt", "");
  EXPECT_EQ(train::latest_checkpoint(d), dir / "v1_ckpt");  // V1: PREFIX itself
  tfck_test::write_text(dir / "checkpoint",
                        "model_checkpoint_path: \"" + (dir / "ckpt-1") + "\"\n");
  EXPECT_EQ(train::latest_checkpoint(d), dir / "ckpt-1");  // absolute paths kept
  // The corpus' TF1 Saver state files (relative paths).
  EXPECT_EQ(train::latest_checkpoint(corpus("ckpt-tf1.11-saver-regression-tf2onnx/checkpoint")),
            corpus("ckpt-tf1.11-saver-regression-tf2onnx/checkpoint/model"));
  const auto st =
      train::get_checkpoint_state(corpus("ckpt-tf1.15-saver-float64-mnist-cppflow/checkpoint"));
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->all_model_checkpoint_paths,
            std::vector<std::string>{
                corpus("ckpt-tf1.15-saver-float64-mnist-cppflow/checkpoint/train.ckpt")});
}

TEST(TfCheckpointState, UpdateWritesRelativePathsAtomically) {
  TempDir dir;
  CheckpointState st;
  st.model_checkpoint_path = dir / "sub/ckpt-2";
  st.all_model_checkpoint_paths = {dir / "sub/ckpt-1"};
  train::update_checkpoint_state(dir / "sub", st);
  EXPECT_EQ(tfck_test::slurp(dir / "sub/checkpoint"),
            "model_checkpoint_path: \"ckpt-2\"\n"
            "all_model_checkpoint_paths: \"ckpt-1\"\n"
            "all_model_checkpoint_paths: \"ckpt-2\"\n");
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "sub"),
                          std::filesystem::directory_iterator()),
            1);
  st.all_model_checkpoint_timestamps = {1.0, 2.0, 3.0};
  EXPECT_THROW(train::update_checkpoint_state(dir / "sub", st), ValueError);
}

TEST(TfCheckpointState, ManagerKeepsNewestAndSweepsFiles) {
  TempDir dir;
  Variable v(Tensor::zeros({2}), "v");
  train::Checkpoint ckpt({{"v", v}});
  EXPECT_THROW(train::CheckpointManager(ckpt, dir.path.string(), 0), ValueError);
  train::CheckpointManager manager(ckpt, dir.path.string(), 2);
  EXPECT_EQ(manager.latest_checkpoint(), std::nullopt);
  EXPECT_EQ(manager.restore_or_initialize(), std::nullopt);
  for (int i = 1; i <= 4; ++i) {
    v.assign(Tensor::full({2}, i));
    EXPECT_EQ(manager.save(), dir / ("ckpt-" + std::to_string(i)));
  }
  EXPECT_EQ(dir.files(),
            (std::vector<std::string>{"checkpoint", "ckpt-3.data-00000-of-00001", "ckpt-3.index",
                                      "ckpt-4.data-00000-of-00001", "ckpt-4.index"}));
  EXPECT_EQ(manager.checkpoints(), (std::vector<std::string>{dir / "ckpt-3", dir / "ckpt-4"}));
  EXPECT_EQ(manager.latest_checkpoint(), dir / "ckpt-4");
  EXPECT_EQ(train::latest_checkpoint(dir.path.string()), dir / "ckpt-4");
  const auto st = CheckpointState::parse(tfck_test::slurp(dir / "checkpoint"), "checkpoint");
  EXPECT_EQ(st.model_checkpoint_path, "ckpt-4");
  EXPECT_EQ(st.all_model_checkpoint_paths, (std::vector<std::string>{"ckpt-3", "ckpt-4"}));
  ASSERT_EQ(st.all_model_checkpoint_timestamps.size(), 2u);
  EXPECT_LE(st.all_model_checkpoint_timestamps[0], st.all_model_checkpoint_timestamps[1]);
  ASSERT_TRUE(st.last_preserved_timestamp.has_value());
  EXPECT_LT(*st.last_preserved_timestamp, st.all_model_checkpoint_timestamps[0]);

  // A new manager on the directory takes over the list; the counter restored from ckpt-4
  // continues the numbering.
  Variable w(Tensor::zeros({2}), "v");
  train::Checkpoint ckpt2({{"v", w}});
  train::CheckpointManager manager2(ckpt2, dir.path.string(), 2);
  EXPECT_EQ(manager2.checkpoints(), manager.checkpoints());
  auto status = manager2.restore_or_initialize();
  ASSERT_TRUE(status.has_value());
  status->assert_consumed();
  EXPECT_EQ(tfck_test::values(w), (std::vector<double>{4, 4}));
  EXPECT_EQ(manager2.save(), dir / "ckpt-5");
  EXPECT_EQ(manager2.checkpoints(), (std::vector<std::string>{dir / "ckpt-4", dir / "ckpt-5"}));
  EXPECT_FALSE(std::filesystem::exists(dir / "ckpt-3.index"));
  // An explicit number; max_to_keep nullopt keeps everything.
  TempDir all;
  train::CheckpointManager keep_all(ckpt, all.path.string(), std::nullopt, std::nullopt, "model");
  keep_all.save();
  keep_all.save(int64_t{100});
  EXPECT_EQ(keep_all.checkpoints(), (std::vector<std::string>{all / "model-5", all / "model-100"}));
}

TEST(TfCheckpointState, ManagerKeepEveryNHoursPreservesFilesButDropsThemFromTheList) {
  // With a period far below the time between saves, a swept checkpoint is always preserved.
  TempDir dir;
  Variable v(Tensor::zeros({1}), "v");
  train::Checkpoint ckpt({{"v", v}});
  train::CheckpointManager manager(ckpt, dir.path.string(), 1, 1e-9);
  manager.save();
  manager.save();
  EXPECT_EQ(manager.checkpoints(), std::vector<std::string>{dir / "ckpt-2"});
  EXPECT_TRUE(std::filesystem::exists(dir / "ckpt-1.index"));
  const auto st = CheckpointState::parse(tfck_test::slurp(dir / "checkpoint"), "checkpoint");
  EXPECT_EQ(st.all_model_checkpoint_paths, std::vector<std::string>{"ckpt-2"});
}

TEST(TfCheckpointState, LoadCheckpointReadsTf1Checkpoints) {
  // corpus/MANIFEST.md listings; values from the regression checkpoint's expected.json.
  const auto r = train::load_checkpoint(corpus("ckpt-tf1.11-saver-regression-tf2onnx/checkpoint"));
  EXPECT_EQ(r.get_variable_to_dtype_map(),
            (std::map<std::string, io::DataType>{{"W", io::DataType::DT_FLOAT},
                                                 {"b", io::DataType::DT_FLOAT}}));
  EXPECT_EQ(r.get_variable_to_shape_map(), (std::map<std::string, Shape>{{"W", {}}, {"b", {}}}));
  EXPECT_FLOAT_EQ(r.get_tensor("W").item<float>(), 0.21396178f);
  EXPECT_FLOAT_EQ(r.get_tensor("b").item<float>(), 1.0495254f);
  EXPECT_THROW(r.get_tensor("c"), ValueError);

  const auto m = train::load_checkpoint(
      corpus("ckpt-tf1.15-saver-float64-mnist-cppflow/checkpoint/train.ckpt"));
  const std::map<std::string, Shape> shapes = {
      {"dense/bias", {128}},          {"dense/kernel", {784, 128}}, {"dense_1/bias", {128}},
      {"dense_1/kernel", {128, 128}}, {"dense_2/bias", {10}},       {"dense_2/kernel", {128, 10}}};
  EXPECT_EQ(m.get_variable_to_shape_map(), shapes);
  for (const auto& [k, dt] : m.get_variable_to_dtype_map()) EXPECT_EQ(dt, io::DataType::DT_DOUBLE);
  EXPECT_EQ(m.get_tensor("dense/kernel").dtype(), DType::float64);

  EXPECT_THROW(train::load_checkpoint(corpus("no_such_checkpoint")), IOError);
  TempDir empty;
  EXPECT_THROW(train::load_checkpoint(empty.path.string()), ValueError);
}

TEST(TfCheckpointState, LoadCheckpointListsObjectBasedKeysLikeTensorFlow) {
  // Seed 004: Checkpoint(layer=...).save(...) then load_checkpoint(...).get_variable_to_dtype_map()
  // lists the graph, the layer's variable and save_counter.
  TempDir dir;
  Dense layer(1, {.name = "custom"});
  layer(Tensor::ones({1, 1}));
  const std::string path = train::Checkpoint({{"layer", layer}}).save(dir / "custom_layer");
  const auto r = train::load_checkpoint(path);
  EXPECT_EQ(r.get_variable_to_dtype_map(),
            (std::map<std::string, io::DataType>{
                {"_CHECKPOINTABLE_OBJECT_GRAPH", io::DataType::DT_STRING},
                {"layer/bias/.ATTRIBUTES/VARIABLE_VALUE", io::DataType::DT_FLOAT},
                {"layer/kernel/.ATTRIBUTES/VARIABLE_VALUE", io::DataType::DT_FLOAT},
                {"save_counter/.ATTRIBUTES/VARIABLE_VALUE", io::DataType::DT_INT64}}));
  EXPECT_EQ(train::load_checkpoint(dir.path.string()).prefix(), path);
}
