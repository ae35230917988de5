// Seed 001, experiment 2: a subclassed model trained with a custom loop — GradientTape,
// optimizer.apply_gradients, metric objects updated per step, a validation pass per epoch.
#include <cstdio>

#include <keras/keras.hpp>
#include <keras/data/dataset.hpp>
#include <keras/losses/losses.hpp>
#include <keras/metrics/metrics.hpp>
#include <keras/optimizers/optimizers.hpp>

using namespace keras;

// tf.keras.Model subclass: members tracked under their attribute names.
struct MyModel : Model {
  explicit MyModel(int64_t num_classes = 10) : Model({.name = "my_model"}, "MyModel") {
    dense_1 = track("dense_1", layers::Dense(32, {.activation = "relu"}));
    dense_2 = track("dense_2", layers::Dense(num_classes));
  }
  Tensor call(const Tensor& x, bool training) override {
    return (*dense_2)((*dense_1)(x, training), training);
  }
  std::shared_ptr<layers::Dense> dense_1, dense_2;
};

int main() {
  random::set_seed(0);
  Tensor x_train = random::uniform({1000, 32}), x_val = random::uniform({200, 32});
  Tensor y_train = random::randint({1000}, 0, 10), y_val = random::randint({200}, 0, 10);
  auto train_dataset = data::Dataset::from_tensor_slices(x_train, y_train).shuffle(1024).batch(64);
  auto val_dataset = data::Dataset::from_tensor_slices(x_val, y_val).batch(64);

  MyModel model;
  optimizers::SGD optimizer({.learning_rate = 1e-3});
  losses::SparseCategoricalCrossentropy loss_fn({.from_logits = true});
  metrics::SparseCategoricalAccuracy train_acc_metric, val_acc_metric;

  for (int epoch = 0; epoch < 3; ++epoch) {
    std::printf("Start of epoch %d\n", epoch);
    auto it = train_dataset.iterator();
    int step = 0;
    while (auto batch = it->next()) {
      const Tensor& x = (*batch)[0];
      const Tensor& y = (*batch)[1];
      Tensor logits, loss_value;
      std::vector<Tensor> grads;
      {
        GradientTape tape;
        logits = model(x, /*training=*/true);
        loss_value = loss_fn(y, logits);
        grads = tape.gradient(loss_value, model.trainable_weights());
      }
      std::vector<std::pair<Tensor, Variable>> pairs;
      const auto vars = model.trainable_weights();
      for (size_t i = 0; i < vars.size(); ++i) pairs.emplace_back(grads[i], vars[i]);
      optimizer.apply_gradients(pairs);
      train_acc_metric.update_state(y, logits);
      if (step % 200 == 0)
        std::printf("Training loss (for one batch) at step %d: %.4f\nSeen so far: %d samples\n",
                    step, loss_value.item<double>(), (step + 1) * 64);
      ++step;
    }
    std::printf("Training acc over epoch: %.4f\n", train_acc_metric.result().item<double>());
    train_acc_metric.reset_state();
    auto vit = val_dataset.iterator();
    while (auto batch = vit->next()) val_acc_metric.update_state((*batch)[1], model((*batch)[0]));
    std::printf("Validation acc: %.4f\n", val_acc_metric.result().item<double>());
    val_acc_metric.reset_state();
  }
  model.save_weights("custom_loop_ckpt/mannal_checkpoint");  // seed 001's "小注意点"
  model.load_weights("custom_loop_ckpt/mannal_checkpoint").assert_consumed();
  std::printf("saved and restored the subclassed model's weights\n");
  return 0;
}
