// EarlyStopping / ReduceLROnPlateau / LearningRateScheduler decisions driven with synthetic
// logs (through their model-free trackers: the layers and optimizers are not linked in every
// build), CSVLogger's file, TerminateOnNaN and LambdaCallback. Expected sequences are worked
// out by hand from Keras 3's callback sources (keras/src/callbacks/*.py); CSV text is what
// Python's csv module writes (excel dialect).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "callbacks/early_stopping_logic.hpp"
#include "callbacks/learning_rate_logic.hpp"
#include "keras/callbacks/callbacks.hpp"

namespace keras::callbacks {
namespace {

// Captures std::cout (Keras's io_utils.print_msg) for the lifetime of the object.
class CaptureStdout {
 public:
  CaptureStdout() : old_(std::cout.rdbuf(buf_.rdbuf())) {}
  ~CaptureStdout() { std::cout.rdbuf(old_); }
  std::string str() const { return buf_.str(); }

 private:
  std::ostringstream buf_;
  std::streambuf* old_;
};

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------- EarlyStopping

using internal::EarlyStoppingTracker;

// Feeds `values` of the monitored quantity; returns the epoch at which stop was requested
// (-1: never), as fit() would stop there.
int run_early_stopping(EarlyStoppingTracker& t, const std::string& monitor,
                       const std::vector<double>& values, std::vector<int>* snapshots = nullptr) {
  t.on_train_begin();
  for (int e = 0; e < static_cast<int>(values.size()); ++e) {
    Logs logs{{"other", 1.0}};
    logs.set(monitor, values[e]);
    auto d = t.on_epoch_end(e, logs);
    if (d.snapshot_weights && snapshots) snapshots->push_back(e);
    if (d.stop) return e;
  }
  return -1;
}

TEST(EarlyStoppingTest, StopsAfterPatienceEpochsWithoutImprovement) {
  EarlyStoppingTracker t({.monitor = "val_loss", .patience = 2});
  // best 0.5 at epoch 1; epochs 2 and 3 do not improve: wait reaches 2 at epoch 3.
  EXPECT_EQ(run_early_stopping(t, "val_loss", {1.0, 0.5, 0.6, 0.5, 0.1}), 3);
  EXPECT_EQ(t.stopped_epoch(), 3);
  EXPECT_EQ(t.best(), 0.5);
  EXPECT_EQ(t.best_epoch(), 1);
  EXPECT_EQ(t.wait(), 2);
  CaptureStdout cap;
  EXPECT_FALSE(t.on_train_end());  // verbose 0: silent; nothing to restore
  EXPECT_EQ(cap.str(), "");
}

TEST(EarlyStoppingTest, PatienceZeroStopsAtTheFirstNonImprovement) {
  EarlyStoppingTracker t({.monitor = "loss"});
  EXPECT_EQ(run_early_stopping(t, "loss", {3.0, 2.0, 2.0}), 2);
}

TEST(EarlyStoppingTest, MinDeltaAndModes) {
  // min: an improvement must beat best by more than min_delta (0.9 vs 1.0 - 0.1: not).
  EarlyStoppingTracker a({.monitor = "val_loss", .min_delta = 0.1, .patience = 1});
  EXPECT_EQ(run_early_stopping(a, "val_loss", {1.0, 0.9, 0.5}), 1);
  // auto on an accuracy maximizes.
  EarlyStoppingTracker b({.monitor = "val_accuracy", .patience = 1});
  EXPECT_EQ(run_early_stopping(b, "val_accuracy", {0.5, 0.6, 0.7, 0.65}), 3);
  EXPECT_EQ(b.best(), 0.7);
  // mode max on a custom name; mode min on an increasing series stops at once.
  EarlyStoppingTracker c({.monitor = "score", .mode = "max"});
  EXPECT_EQ(run_early_stopping(c, "score", {1.0, 2.0, 3.0}), -1);
  EarlyStoppingTracker d({.monitor = "score", .mode = "min"});
  EXPECT_EQ(run_early_stopping(d, "score", {1.0, 2.0}), 1);
  // auto cannot tell the direction of an unknown metric: Keras's ValueError.
  EarlyStoppingTracker e({.monitor = "score"});
  EXPECT_THROW(run_early_stopping(e, "score", {1.0}), ValueError);
}

TEST(EarlyStoppingTest, BaselineKeepsTheWaitRunning) {
  // Improvements that do not beat the baseline 0.5 do not reset wait (1 after epoch 0, 2 after
  // epoch 1), so the first non-improvement (epoch 2, wait 3) stops; without a baseline it would
  // not (wait 1 < patience 2).
  EarlyStoppingTracker t({.monitor = "val_loss", .patience = 2, .baseline = 0.5});
  EXPECT_EQ(run_early_stopping(t, "val_loss", {1.0, 0.9, 0.95}), 2);
  EXPECT_EQ(t.best(), 0.9);
  EarlyStoppingTracker no_baseline({.monitor = "val_loss", .patience = 2});
  EXPECT_EQ(run_early_stopping(no_baseline, "val_loss", {1.0, 0.9, 0.95}), -1);
  // Beating the baseline resets it.
  EarlyStoppingTracker u({.monitor = "val_loss", .patience = 2, .baseline = 0.5});
  EXPECT_EQ(run_early_stopping(u, "val_loss", {1.0, 0.4, 0.45, 0.45}), 3);
}

TEST(EarlyStoppingTest, StartFromEpochAndMissingMonitor) {
  EarlyStoppingTracker t({.monitor = "val_loss", .start_from_epoch = 2});
  // Epochs 0 and 1 are not monitored even though they get worse.
  EXPECT_EQ(run_early_stopping(t, "val_loss", {1.0, 2.0, 3.0, 2.5, 2.6}), 4);
  EXPECT_EQ(t.best_epoch(), 3);
  // A missing monitored value only warns.
  EarlyStoppingTracker m({.monitor = "val_loss"});
  m.on_train_begin();
  Logs logs{{"loss", 1.0}};
  auto d = m.on_epoch_end(0, logs);
  EXPECT_FALSE(d.stop);
  EXPECT_FALSE(d.snapshot_weights);
}

TEST(EarlyStoppingTest, RestoreBestWeightsSnapshotsAndMessages) {
  EarlyStoppingTracker t(
      {.monitor = "val_loss", .patience = 1, .verbose = 1, .restore_best_weights = true});
  std::vector<int> snapshots;
  // Epoch 0: first monitored epoch and an improvement; epoch 1 improves; epoch 2 does not.
  EXPECT_EQ(run_early_stopping(t, "val_loss", {1.0, 0.5, 0.7}, &snapshots), 2);
  EXPECT_EQ(snapshots, (std::vector<int>{0, 1}));
  CaptureStdout cap;
  EXPECT_TRUE(t.on_train_end());
  EXPECT_EQ(cap.str(),
            "Epoch 3: early stopping\n"
            "Restoring model weights from the end of the best epoch: 2.\n");
}

TEST(EarlyStoppingTest, ReusableAcrossFits) {
  EarlyStoppingTracker t({.monitor = "val_loss", .patience = 1});
  EXPECT_EQ(run_early_stopping(t, "val_loss", {0.1, 0.2}), 1);
  // A second fit starts from scratch: 0.5 is an improvement on +inf, not worse than 0.1.
  EXPECT_EQ(run_early_stopping(t, "val_loss", {0.5, 0.4, 0.3}), -1);
  EXPECT_EQ(t.stopped_epoch(), 0);
}

// ---------------------------------------------------------------- ReduceLROnPlateau

TEST(ReduceLROnPlateauTest, ReducesAfterPatienceWithCooldownAndMinLr) {
  internal::PlateauTracker t({.monitor = "val_loss",
                              .factor = 0.5,
                              .patience = 2,
                              .verbose = 1,
                              .cooldown = 1,
                              .min_lr = 0.01});
  double lr = 0.1;
  // Hand-run of Keras's on_epoch_end: (value, expected new lr or 0 for none).
  const std::vector<std::pair<double, double>> steps = {
      {1.0, 0},         // e0: improvement, best 1.0
      {1.0, 0},         // e1: wait 1
      {0.99995, 0.05},  // e2: not better than best - 1e-4: wait 2 -> 0.1 * 0.5
      {2.0, 0},         // e3: cooldown 1 -> 0 and wait 0, then wait 1
      {2.0, 0.025},     // e4: wait 2 -> reduce
      {3.0, 0},         // e5: cooldown
      {3.0, 0.0125},    // e6
      {3.0, 0},         // e7
      {3.0, 0.01},      // e8: 0.00625 clipped to min_lr
      {3.0, 0},         // e9
      {3.0, 0},         // e10: lr == min_lr: no more reductions
      {0.5, 0},         // e11: improvement resets wait
  };
  CaptureStdout cap;
  for (int e = 0; e < static_cast<int>(steps.size()); ++e) {
    Logs logs{{"loss", 1.0}, {"val_loss", steps[e].first}, {"learning_rate", lr}};
    auto new_lr = t.on_epoch_end(e, logs, lr);
    if (steps[e].second == 0) {
      EXPECT_FALSE(new_lr.has_value()) << "epoch " << e;
    } else {
      ASSERT_TRUE(new_lr.has_value()) << "epoch " << e;
      EXPECT_DOUBLE_EQ(*new_lr, steps[e].second) << "epoch " << e;
      lr = *new_lr;
    }
  }
  EXPECT_EQ(t.best(), 0.5);
  EXPECT_EQ(t.wait(), 0);
  EXPECT_EQ(cap.str(),
            "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.05.\n"
            "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.025.\n"
            "\nEpoch 7: ReduceLROnPlateau reducing learning rate to 0.0125.\n"
            "\nEpoch 9: ReduceLROnPlateau reducing learning rate to 0.01.\n");
}

TEST(ReduceLROnPlateauTest, AccuracyIsMaximizedInAutoMode) {
  internal::PlateauTracker t({.monitor = "val_accuracy", .patience = 1, .min_delta = 0.0});
  EXPECT_FALSE(t.on_epoch_end(0, Logs{{"val_accuracy", 0.5}}, 1.0));
  EXPECT_FALSE(t.on_epoch_end(1, Logs{{"val_accuracy", 0.6}}, 1.0));
  auto r = t.on_epoch_end(2, Logs{{"val_accuracy", 0.55}}, 1.0);
  ASSERT_TRUE(r.has_value());
  EXPECT_DOUBLE_EQ(*r, 0.1);
}

TEST(ReduceLROnPlateauTest, MissingMonitorAndBadFactor) {
  internal::PlateauTracker t({.patience = 0});
  EXPECT_FALSE(t.on_epoch_end(0, Logs{{"loss", 1.0}}, 1.0));
  EXPECT_EQ(t.wait(), 0);
  try {
    internal::PlateauTracker bad({.factor = 1.0});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_EQ(std::string(e.what()),
              "ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0");
  }
}

// ---------------------------------------------------------------- LearningRateScheduler

TEST(LearningRateSchedulerTest, ScheduleAndMessage) {
  auto schedule = [](int epoch, double lr) { return epoch < 2 ? lr : lr * 0.5; };
  CaptureStdout cap;
  EXPECT_DOUBLE_EQ(internal::scheduled_learning_rate(schedule, 0, 0.02, 0), 0.02);
  EXPECT_DOUBLE_EQ(internal::scheduled_learning_rate(schedule, 3, 0.02, 1), 0.01);
  EXPECT_EQ(cap.str(), "\nEpoch 4: LearningRateScheduler setting learning rate to 0.01.\n");
}

// ---------------------------------------------------------------- CSVLogger

TEST(CSVLoggerTest, WritesSortedKeysAsPythonsCsvModule) {
  const std::string path = ::testing::TempDir() + "keras_csv_logger_test.csv";
  {
    CSVLogger csv(path);
    Logs none;
    csv.on_train_begin(none);
    Logs e0{{"loss", 0.5}, {"accuracy", 0.25}, {"val_loss", 0.75}};
    Logs e1{{"loss", 0.125}, {"val_loss", 1.0 / 3.0}};  // accuracy missing: "NA"
    csv.on_epoch_end(0, e0);
    csv.on_epoch_end(1, e1);
    csv.on_train_end(none);
  }
  EXPECT_EQ(read_file(path),
            "epoch,accuracy,loss,val_loss\r\n"
            "0,0.25,0.5,0.75\r\n"
            "1,NA,0.125,0.3333333333333333\r\n");
  // append: the existing header is kept and rows follow.
  {
    CSVLogger csv(path, ",", /*append=*/true);
    Logs none;
    csv.on_train_begin(none);
    Logs e{{"loss", 1e-05}, {"accuracy", 1.0}, {"val_loss", 2.0}};
    csv.on_epoch_end(0, e);
    csv.on_train_end(none);
  }
  EXPECT_EQ(read_file(path),
            "epoch,accuracy,loss,val_loss\r\n"
            "0,0.25,0.5,0.75\r\n"
            "1,NA,0.125,0.3333333333333333\r\n"
            "0,1.0,1e-05,2.0\r\n");
  // Without append the file is rewritten.
  {
    CSVLogger csv(path);
    Logs none;
    csv.on_train_begin(none);
    Logs e{{"loss", 2.0}};
    csv.on_epoch_end(4, e);
    csv.on_train_end(none);
  }
  EXPECT_EQ(read_file(path), "epoch,loss\r\n4,2.0\r\n");
  std::remove(path.c_str());
}

TEST(CSVLoggerTest, SeparatorQuotingAndErrors) {
  const std::string path = ::testing::TempDir() + "keras_csv_logger_sep.csv";
  {
    CSVLogger csv(path, ";");
    Logs none;
    csv.on_train_begin(none);
    Logs e{{"b;c", 0.5}, {"a\"q", 1.5}};
    csv.on_epoch_end(0, e);
    csv.on_train_end(none);
  }
  // csv.QUOTE_MINIMAL: fields with the separator or a quote are quoted, quotes doubled.
  EXPECT_EQ(read_file(path), "epoch;\"a\"\"q\";\"b;c\"\r\n0;1.5;0.5\r\n");
  std::remove(path.c_str());
  EXPECT_THROW(CSVLogger(path, ";;"), TypeError);
  CSVLogger bad("/nonexistent-dir-keras/x.csv");
  Logs none;
  try {
    bad.on_train_begin(none);
    FAIL() << "expected IOError";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-keras/x.csv"), std::string::npos);
  }
}

// ---------------------------------------------------------------- TerminateOnNaN, Lambda

TEST(TerminateOnNaNTest, FiniteLossesPassNaNStops) {
  TerminateOnNaN cb;
  Logs ok{{"loss", 0.5}};
  EXPECT_NO_THROW(cb.on_train_batch_end(0, ok));
  Logs no_loss{{"accuracy", NAN}};
  EXPECT_NO_THROW(cb.on_train_batch_end(1, no_loss));
  TerminateOnNaN strict(/*raise_error=*/true);
  Logs bad{{"loss", NAN}};
  try {
    strict.on_train_batch_end(3, bad);
    FAIL() << "expected keras::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "NaN or Inf loss encountered at batch 3. Loss value: nan. Terminating training "
              "immediately.");
  }
  Logs inf{{"loss", INFINITY}};
  EXPECT_THROW(strict.on_train_batch_end(4, inf), Error);
  // Without a model to stop: the message, then a clear error.
  CaptureStdout cap;
  EXPECT_THROW(cb.on_train_batch_end(5, bad), ValueError);
  EXPECT_EQ(cap.str(), "Batch 5: Invalid loss, terminating training\n");
}

TEST(LambdaCallbackTest, CallsTheGivenFunctions) {
  std::vector<std::string> calls;
  LambdaCallback cb({
      .on_epoch_end =
          [&](int e, Logs& l) {
            calls.push_back("epoch_end " + std::to_string(e));
            l.set("extra", 1.0);
          },
      .on_train_begin = [&](Logs&) { calls.push_back("train_begin"); },
      .on_train_batch_end = [&](int b, Logs&) { calls.push_back("batch " + std::to_string(b)); },
      .on_predict_end = [&](Logs&) { calls.push_back("predict_end"); },
  });
  Logs logs;
  cb.on_train_begin(logs);
  cb.on_train_batch_begin(0, logs);  // not given: nothing
  cb.on_train_batch_end(0, logs);
  cb.on_epoch_end(2, logs);
  cb.on_test_end(logs);
  cb.on_predict_end(logs);
  EXPECT_EQ(calls,
            (std::vector<std::string>{"train_begin", "batch 0", "epoch_end 2", "predict_end"}));
  EXPECT_EQ(logs.at("extra"), 1.0);
}

}  // namespace
}  // namespace keras::callbacks
