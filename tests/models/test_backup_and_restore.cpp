// BackupAndRestore: a fit() interrupted after epoch 2 of 4 and run again resumes at epoch 3, and
// (no shuffling, no dropout) ends with exactly the weights of an uninterrupted 4-epoch run — the
// optimizer state travels through the TF checkpoint too.
#include <gtest/gtest.h>

#include <filesystem>

#include <keras/callbacks/callbacks.hpp>
#include <keras/keras.hpp>
#include <keras/losses/losses.hpp>

using namespace keras;
namespace fs = std::filesystem;

namespace {

Sequential make_model() {
  random::set_seed(21);
  Sequential model({Input({6}), layers::Dense(8, {.activation = "tanh"}), layers::Dense(3)});
  model.compile({.optimizer = "adam",
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true})});
  return model;
}

}  // namespace

TEST(BackupAndRestore, InterruptedFitResumesFromTheLastEpoch) {
  Tensor x = random::uniform({96, 6}, -1, 1, float32, 3);
  Tensor y = random::randint({96}, 0, 3, int32, 4);
  const FitOptions base{.batch_size = 16, .epochs = 4, .verbose = 0, .shuffle = false};

  Sequential reference = make_model();
  reference.fit(x, y, base);

  const fs::path dir = fs::temp_directory_path() / ("keras_backup_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto backup = std::make_shared<callbacks::BackupAndRestore>(dir.string());
  std::vector<int> epochs_run;
  auto crash = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_epoch_end = [&](int epoch, Logs&) {
        epochs_run.push_back(epoch);
        if (epoch == 1) throw std::runtime_error("simulated crash");
      }});
  Sequential first = make_model();
  FitOptions o = base;
  o.callbacks = {backup, crash};
  EXPECT_THROW(first.fit(x, y, o), std::runtime_error);
  EXPECT_TRUE(fs::exists(dir / "training_metadata.json"));

  Sequential second = make_model();  // a new process would build the same untrained model
  second.fit(x, y, o);
  EXPECT_EQ(epochs_run, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_FALSE(fs::exists(dir));  // deleted after a completed run
  auto a = reference.get_weights(), b = second.get_weights();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    auto va = a[i].to_vector<float>(), vb = b[i].to_vector<float>();
    for (size_t k = 0; k < va.size(); ++k) EXPECT_NEAR(va[k], vb[k], 1e-6) << i << "," << k;
  }
  EXPECT_EQ(second.optimizer()->iterations().value().item<int64_t>(), 4 * 6);
}
