// keras.callbacks.History.
#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

// As Keras: a new fit() restarts the epoch list, while `history` keeps accumulating (Keras
// creates it in __init__, and fit() builds a fresh History each time anyway).
void History::on_train_begin(Logs& logs) {
  (void)logs;
  epoch.clear();
}

void History::on_epoch_end(int epoch_index, Logs& logs) {
  epoch.push_back(epoch_index);
  for (const auto& [name, value] : logs) history[name].push_back(value);
}

}  // namespace keras::callbacks
