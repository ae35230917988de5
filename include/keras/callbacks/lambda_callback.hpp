// keras.callbacks.LambdaCallback: a callback made of functions, one per hook (unset ones do
// nothing).
#pragma once

#include <functional>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct LambdaCallbackOptions {
  using LogsFn = std::function<void(Logs&)>;
  using IndexFn = std::function<void(int, Logs&)>;
  IndexFn on_epoch_begin = nullptr;
  IndexFn on_epoch_end = nullptr;
  LogsFn on_train_begin = nullptr;
  LogsFn on_train_end = nullptr;
  IndexFn on_train_batch_begin = nullptr;
  IndexFn on_train_batch_end = nullptr;
  LogsFn on_test_begin = nullptr;
  LogsFn on_test_end = nullptr;
  IndexFn on_test_batch_begin = nullptr;
  IndexFn on_test_batch_end = nullptr;
  LogsFn on_predict_begin = nullptr;
  LogsFn on_predict_end = nullptr;
  IndexFn on_predict_batch_begin = nullptr;
  IndexFn on_predict_batch_end = nullptr;
};

class LambdaCallback : public Callback {
 public:
  explicit LambdaCallback(LambdaCallbackOptions fns) : fns_(std::move(fns)) {}

  void on_train_begin(Logs& logs) override { call(fns_.on_train_begin, logs); }
  void on_train_end(Logs& logs) override { call(fns_.on_train_end, logs); }
  void on_epoch_begin(int epoch, Logs& logs) override { call(fns_.on_epoch_begin, epoch, logs); }
  void on_epoch_end(int epoch, Logs& logs) override { call(fns_.on_epoch_end, epoch, logs); }
  void on_train_batch_begin(int b, Logs& logs) override {
    call(fns_.on_train_batch_begin, b, logs);
  }
  void on_train_batch_end(int b, Logs& logs) override { call(fns_.on_train_batch_end, b, logs); }
  void on_test_begin(Logs& logs) override { call(fns_.on_test_begin, logs); }
  void on_test_end(Logs& logs) override { call(fns_.on_test_end, logs); }
  void on_test_batch_begin(int b, Logs& logs) override { call(fns_.on_test_batch_begin, b, logs); }
  void on_test_batch_end(int b, Logs& logs) override { call(fns_.on_test_batch_end, b, logs); }
  void on_predict_begin(Logs& logs) override { call(fns_.on_predict_begin, logs); }
  void on_predict_end(Logs& logs) override { call(fns_.on_predict_end, logs); }
  void on_predict_batch_begin(int b, Logs& logs) override {
    call(fns_.on_predict_batch_begin, b, logs);
  }
  void on_predict_batch_end(int b, Logs& logs) override {
    call(fns_.on_predict_batch_end, b, logs);
  }

 private:
  template <typename Fn, typename... Args>
  static void call(const Fn& fn, Args&... args) {
    if (fn) fn(args...);
  }
  LambdaCallbackOptions fns_;
};

}  // namespace keras::callbacks
