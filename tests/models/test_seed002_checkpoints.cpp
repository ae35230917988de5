// Seed 002's story: ModelCheckpoint saving TF checkpoints during fit, latest_checkpoint, and a
// fresh model that evaluates exactly like the trained one after load_weights.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <keras/callbacks/callbacks.hpp>
#include <keras/keras.hpp>
#include <keras/layers/core_layers.hpp>
#include <keras/losses/losses.hpp>
#include <keras/train/train.hpp>

using namespace keras;
namespace fs = std::filesystem;

namespace {

Sequential create_model() {
  Sequential model({Input({784}), layers::Dense(256, {.activation = "relu"}),
                    layers::Dropout(0.5), layers::Dense(10)});
  model.compile({.optimizer = "adam",
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                 .metrics = {"sparse_categorical_accuracy"}});
  return model;
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("keras_seed002_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST(Seed002, CheckpointEvery10EpochsThenLatestCheckpointRestoresTheModel) {
  random::set_seed(5);
  auto [train, test] = datasets::fashion_mnist::load_data();
  // As the seed: the first 1000 images, flattened and scaled.
  Tensor x_train = train.x.slice(0, 1000).reshape({-1, 784}).astype(float32) / 255.0;
  Tensor y_train = train.y.slice(0, 1000);
  Tensor x_test = test.x.slice(0, 1000).reshape({-1, 784}).astype(float32) / 255.0;
  Tensor y_test = test.y.slice(0, 1000);

  TempDir tmp;
  const std::string weights_path = (tmp.path / "training_weights2" / "cp-{epoch:04d}.ckpt").string();
  auto cp = std::make_shared<callbacks::ModelCheckpoint>(
      weights_path, callbacks::ModelCheckpointOptions{.verbose = 1, .save_weights_only = true,
                                                      .period = 10});
  Sequential model = create_model();
  fs::create_directories(tmp.path / "training_weights2");
  model.save_weights((tmp.path / "training_weights2" / "cp-0001.ckpt").string());
  ::testing::internal::CaptureStdout();
  model.fit(x_train, y_train, {.batch_size = 64, .epochs = 30, .verbose = 0, .callbacks = {cp},
                               .validation_data = {{{x_test}, {y_test}}}});
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("Epoch 10: saving model to " + (tmp.path / "training_weights2").string() +
                     "/cp-0010.ckpt"),
            std::string::npos)
      << out;

  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(tmp.path / "training_weights2"))
    files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"checkpoint", "cp-0001.ckpt.data-00000-of-00001",
                                          "cp-0001.ckpt.index", "cp-0010.ckpt.data-00000-of-00001",
                                          "cp-0010.ckpt.index", "cp-0020.ckpt.data-00000-of-00001",
                                          "cp-0020.ckpt.index", "cp-0030.ckpt.data-00000-of-00001",
                                          "cp-0030.ckpt.index"}));
  auto latest = train::latest_checkpoint((tmp.path / "training_weights2").string());
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(*latest, (tmp.path / "training_weights2" / "cp-0030.ckpt").string());

  Logs trained = model.evaluate(x_test, y_test, {.verbose = 0});
  Sequential fresh = create_model();
  Logs untrained = fresh.evaluate(x_test, y_test, {.verbose = 0});
  EXPECT_LT(untrained[1], 0.3);
  fresh.load_weights(*latest).assert_existing_objects_matched();
  Logs restored = fresh.evaluate(x_test, y_test, {.verbose = 0});
  EXPECT_DOUBLE_EQ(restored[0], trained[0]);
  EXPECT_DOUBLE_EQ(restored[1], trained[1]);
  EXPECT_GT(restored[1], 0.7);
}

TEST(Seed002, TemplatesWithLogValuesAndSaveBestOnly) {
  random::set_seed(6);
  Tensor x = random::uniform({64, 784});
  Tensor y = random::randint({64}, 0, 10, int32);
  TempDir tmp;
  auto cp = std::make_shared<callbacks::ModelCheckpoint>(
      (tmp.path / "w-{epoch:02d}-{loss:.2f}").string(),
      callbacks::ModelCheckpointOptions{.monitor = "loss", .save_best_only = true,
                                        .save_weights_only = true});
  Sequential model = create_model();
  model.fit(x, y, {.batch_size = 16, .epochs = 3, .verbose = 0, .callbacks = {cp}});
  int saved = 0;
  for (const auto& e : fs::directory_iterator(tmp.path))
    if (e.path().extension() == ".index") ++saved;
  EXPECT_GE(saved, 1);
  EXPECT_LT(cp->best(), 1e9);
  EXPECT_THROW(callbacks::ModelCheckpoint("x", {.save_weights_only = false}), NotImplementedError);
  EXPECT_THROW(model.save_weights((tmp.path / "w.h5").string()), NotImplementedError);
}
