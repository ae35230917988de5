// The README's short example, compiled so that it stays correct.
#include <keras/keras.hpp>
#include <keras/losses/losses.hpp>
#include <keras/train/train.hpp>
using namespace keras;
using layers::Dense;

int main() {
  auto [train, test] = datasets::fashion_mnist::load_data();
  Tensor x = train.x.reshape({-1, 784}).astype(float32) / 255.0;

  auto inputs = Input({784}, {.name = "digits"});
  auto h = Dense(64, {.activation = "relu", .name = "dense_1"})(inputs);
  auto outputs = Dense(10, {.name = "predictions"})(h);
  Model model(inputs, outputs, {.name = "3_layer_mlp"});
  model.print_summary();                      // Keras's table

  model.compile({.optimizer = "adam",
                 .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                 .metrics = {"accuracy"}});
  model.fit(x, train.y, {.batch_size = 32, .epochs = 5});
  model.save_weights("ckpt/my_cp");           // TF checkpoint: my_cp.index, my_cp.data-..., checkpoint
  model.load_weights(*train::latest_checkpoint("ckpt")).assert_consumed();
}
