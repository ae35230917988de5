// keras.callbacks.Callback: hooks into fit / evaluate / predict.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keras/callbacks/logs.hpp"
#include "keras/core/config.hpp"

namespace keras {
class Model;
}

namespace keras::callbacks {

class Callback {
 public:
  virtual ~Callback() = default;

  // Set by fit/evaluate/predict before the first hook.
  void set_model(Model* model) { model_ = model; }
  Model* model() const { return model_; }
  // {"verbose": v, "epochs": n, "steps": steps per epoch}
  void set_params(const json& params) { params_ = params; }
  const json& params() const { return params_; }

  virtual void on_train_begin(Logs& logs) { (void)logs; }
  virtual void on_train_end(Logs& logs) { (void)logs; }
  virtual void on_epoch_begin(int epoch, Logs& logs) { (void)epoch, (void)logs; }
  virtual void on_epoch_end(int epoch, Logs& logs) { (void)epoch, (void)logs; }
  virtual void on_train_batch_begin(int batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_train_batch_end(int batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_test_begin(Logs& logs) { (void)logs; }
  virtual void on_test_end(Logs& logs) { (void)logs; }
  virtual void on_test_batch_begin(int batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_test_batch_end(int batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_predict_begin(Logs& logs) { (void)logs; }
  virtual void on_predict_end(Logs& logs) { (void)logs; }
  virtual void on_predict_batch_begin(int batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_predict_batch_end(int batch, Logs& logs) { (void)batch, (void)logs; }

 private:
  Model* model_ = nullptr;
  json params_ = json::object();
};

using CallbackPtr = std::shared_ptr<Callback>;

// keras.callbacks.History: every epoch's logs; fit() returns it.
class History : public Callback {
 public:
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  std::vector<int> epoch;
  std::map<std::string, std::vector<double>> history;
};

}  // namespace keras::callbacks

namespace keras {
using callbacks::History;
}
