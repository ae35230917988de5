// History and ProgbarLogger / utils::Progbar driven by hand with Logs, as fit() and evaluate()
// call them. Expected text follows tf.keras 2.x's Progbar format (tf_keras/utils/
// generic_utils.py: width 30, "=" body, ">" head, 4 decimals, "%.4e" at or below 1e-3, "ETA",
// s/ms/us per step); timings vary and are replaced by "T" before comparing.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "callbacks/format.hpp"
#include "keras/callbacks/callbacks.hpp"

namespace keras::callbacks {
namespace {

std::string normalize(std::string s) {
  s = std::regex_replace(s, std::regex(R"(\d+(s|ms|us)/(step|epoch))"), "T/$2");
  s = std::regex_replace(s, std::regex(R"( - \d+s)"), " - Ts");
  s = std::regex_replace(s, std::regex(R"(ETA: [0-9:]+s?)"), "ETA: T");
  return s;
}

TEST(HistoryTest, RecordsEpochsAndEveryLogValue) {
  History h;
  Logs begin;
  h.on_train_begin(begin);
  Logs e0{{"loss", 0.5}, {"accuracy", 0.75}};
  Logs e1{{"loss", 0.25}, {"accuracy", 0.875}, {"val_loss", 0.3}};
  h.on_epoch_end(0, e0);
  h.on_epoch_end(1, e1);
  EXPECT_EQ(h.epoch, (std::vector<int>{0, 1}));
  EXPECT_EQ(h.history.at("loss"), (std::vector<double>{0.5, 0.25}));
  EXPECT_EQ(h.history.at("accuracy"), (std::vector<double>{0.75, 0.875}));
  EXPECT_EQ(h.history.at("val_loss"), (std::vector<double>{0.3}));
  // A new fit restarts the epoch list; the history keeps accumulating (Keras's History).
  h.on_train_begin(begin);
  EXPECT_TRUE(h.epoch.empty());
  h.on_epoch_end(0, e0);
  EXPECT_EQ(h.epoch, (std::vector<int>{0}));
  EXPECT_EQ(h.history.at("loss").size(), 3u);
}

TEST(PyReprTest, MatchesPythonFloatRepr) {
  using internal::py_repr;
  // Expected strings: Python 3's repr() of the same doubles.
  EXPECT_EQ(py_repr(0.1), "0.1");
  EXPECT_EQ(py_repr(1e-05), "1e-05");
  EXPECT_EQ(py_repr(0.0001), "0.0001");
  EXPECT_EQ(py_repr(1e16), "1e+16");
  EXPECT_EQ(py_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(py_repr(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(py_repr(3.0), "3.0");
  EXPECT_EQ(py_repr(100.0), "100.0");
  EXPECT_EQ(py_repr(-2.5), "-2.5");
  EXPECT_EQ(py_repr(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(py_repr(static_cast<double>(0.001f) * 0.1), "0.00010000000474974513");
  EXPECT_EQ(py_repr(2.5e-7), "2.5e-07");
  EXPECT_EQ(py_repr(1234.5678), "1234.5678");
  EXPECT_EQ(py_repr(1e22), "1e+22");
  EXPECT_EQ(py_repr(0.0), "0.0");
  EXPECT_EQ(py_repr(std::nan("")), "nan");
  EXPECT_EQ(py_repr(-INFINITY), "-inf");
  EXPECT_EQ(internal::py_exp(-0.0002, 4), "-2.0000e-04");
  EXPECT_EQ(internal::py_fixed(-std::nan(""), 4), "nan");
}

// Drives a ProgbarLogger through two epochs of three steps, as fit() does.
std::string run_fit(int verbose, int epochs, const std::vector<Logs>& epoch_logs) {
  std::ostringstream out;
  ProgbarLogger logger(&out, /*dynamic_display=*/false);
  logger.set_params({{"verbose", verbose}, {"epochs", epochs}, {"steps", 3}});
  Logs none;
  logger.on_train_begin(none);
  for (int e = 0; e < epochs; ++e) {
    logger.on_epoch_begin(e, none);
    for (int b = 0; b < 3; ++b) {
      Logs batch_logs{{"loss", 1.0 - 0.1 * b}, {"accuracy", 0.5 + 0.1 * b}};
      logger.on_train_batch_begin(b, none);
      logger.on_train_batch_end(b, batch_logs);
    }
    // Validation inside fit is silent.
    logger.on_test_begin(none);
    Logs vb{{"loss", 9.0}};
    logger.on_test_batch_end(0, vb);
    logger.on_test_end(vb);
    Logs el = epoch_logs[e];
    logger.on_epoch_end(e, el);
  }
  logger.on_train_end(none);
  return out.str();
}

TEST(ProgbarLoggerTest, FitVerbose1WritesOneLinePerEpochOffATerminal) {
  std::vector<Logs> logs = {
      {{"loss", 0.5401}, {"accuracy", 0.81}, {"val_loss", 0.4}, {"val_accuracy", 0.86}},
      {{"loss", 0.0005}, {"accuracy", 0.9}, {"val_loss", -0.5}, {"val_accuracy", 0.0}}};
  EXPECT_EQ(normalize(run_fit(1, 2, logs)),
            "Epoch 1/2\n"
            "3/3 [==============================] - Ts T/step - loss: 0.5401 - accuracy: 0.8100"
            " - val_loss: 0.4000 - val_accuracy: 0.8600\n"
            "Epoch 2/2\n"
            "3/3 [==============================] - Ts T/step - loss: 5.0000e-04 - accuracy: "
            "0.9000 - val_loss: -0.5000 - val_accuracy: 0.0000e+00\n");
}

TEST(ProgbarLoggerTest, FitVerbose2WritesTheEpochSummary) {
  std::vector<Logs> logs = {
      {{"loss", 0.5401}, {"accuracy", 0.81}, {"val_loss", 0.4}, {"val_accuracy", 0.86}},
      {{"loss", 0.25}, {"accuracy", 0.9}, {"val_loss", -0.5}, {"val_accuracy", 0.875}}};
  // verbose=2 tests v > 1e-3 without abs(): a negative value is written as "%.4e" (tf.keras).
  EXPECT_EQ(normalize(run_fit(2, 2, logs)),
            "Epoch 1/2\n"
            "3/3 - Ts - loss: 0.5401 - accuracy: 0.8100 - val_loss: 0.4000 - val_accuracy: 0.8600"
            " - T/epoch - T/step\n"
            "Epoch 2/2\n"
            "3/3 - Ts - loss: 0.2500 - accuracy: 0.9000 - val_loss: -5.0000e-01 - val_accuracy: "
            "0.8750 - T/epoch - T/step\n");
}

TEST(ProgbarLoggerTest, SingleEpochFitPrintsNoEpochLine) {
  // The epoch logs lack "accuracy": the last batch's value stays shown (0.5 + 0.1 * 2), as
  // tf.keras's Progbar keeps every value it has seen.
  std::vector<Logs> logs = {{{"loss", 0.125}}};
  EXPECT_EQ(normalize(run_fit(1, 1, logs)),
            "3/3 [==============================] - Ts T/step - loss: 0.1250 - accuracy: 0.7000\n");
}

TEST(ProgbarLoggerTest, EvaluateVerbose1And2) {
  for (int verbose : {1, 2}) {
    std::ostringstream out;
    ProgbarLogger logger(&out, false);
    logger.set_params({{"verbose", verbose}, {"epochs", 1}, {"steps", 12}});
    Logs none;
    logger.on_test_begin(none);
    for (int b = 0; b < 12; ++b) {
      Logs l{{"loss", 0.3 + b}, {"accuracy", 0.9}};
      logger.on_test_batch_begin(b, none);
      logger.on_test_batch_end(b, l);
    }
    Logs final_logs{{"loss", 0.3}, {"accuracy", 0.9}};
    logger.on_test_end(final_logs);
    if (verbose == 1) {
      EXPECT_EQ(normalize(out.str()),
                "12/12 [==============================] - Ts T/step - loss: 0.3000 - accuracy: "
                "0.9000\n");
    } else {
      EXPECT_EQ(normalize(out.str()),
                "12/12 - Ts - loss: 0.3000 - accuracy: 0.9000 - T/epoch - T/step\n");
    }
  }
}

TEST(ProgbarLoggerTest, VerboseZeroIsSilent) {
  std::ostringstream out;
  ProgbarLogger logger(&out, false);
  logger.set_params({{"verbose", 0}, {"epochs", 3}, {"steps", 2}});
  Logs l{{"loss", 1.0}};
  logger.on_train_begin(l);
  logger.on_epoch_begin(0, l);
  logger.on_train_batch_end(0, l);
  logger.on_epoch_end(0, l);
  EXPECT_EQ(out.str(), "");
}

// On a terminal the bar is redrawn: "\b" x previous width, "\r", the bar with an ETA and the
// running values, padded to the previous width; the final draw ends the line.
TEST(ProgbarTest, DynamicDisplayRedrawsInPlace) {
  std::ostringstream out;
  utils::Progbar bar(
      10, {.interval = 0.0, .stateful_metrics = {"loss"}, .stream = &out, .dynamic_display = true});
  bar.update(3, {{"loss", 0.5}});
  const std::string first = out.str();
  // int(30 * 3/10) = 9: eight "=", the ">" head, 21 ".".
  EXPECT_EQ(normalize(first), "\r 3/10 [========>.....................] - ETA: T - loss: 0.5000");
  out.str("");
  bar.update(10, {{"loss", 0.25}});
  const std::string second = out.str();
  const size_t width = first.size() - 1;  // what the first draw put on the line
  ASSERT_GT(second.size(), width + 1);
  EXPECT_EQ(second.substr(0, width), std::string(width, '\b'));
  std::string rest = normalize(second.substr(width));
  EXPECT_EQ(rest.substr(0, 1), "\r");
  EXPECT_EQ(rest.back(), '\n');
  EXPECT_EQ(rest.substr(0, rest.find(" - ")), "\r10/10 [==============================]");
  EXPECT_NE(rest.find(" T/step - loss: 0.2500"), std::string::npos) << rest;
}

// Values not declared stateful are averaged over steps, weighted by the steps each covers.
TEST(ProgbarTest, AveragesNonStatefulValues) {
  std::ostringstream out;
  utils::Progbar bar(4, {.verbose = 2, .stream = &out, .dynamic_display = false});
  bar.update(2, {{"loss", 1.0}});
  bar.update(4, {{"loss", 4.0}});  // (1 * 2 + 4 * 2) / 4
  EXPECT_EQ(normalize(out.str()), "4/4 - Ts - loss: 2.5000 - T/epoch - T/step\n");
}

}  // namespace
}  // namespace keras::callbacks
