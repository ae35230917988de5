// ./run demo: softmax regression on Fashion-MNIST trained with a GradientTape — the tensor core
// (datasets, ops, autodiff) end to end. Becomes the seed 002 story once layers and fit() land.
#include <cstdio>

#include <keras/keras.hpp>

using namespace keras;

int main() {
  std::printf("keras-cpp demo: the tensor core and autodiff on a toy problem\n");
  // Fit y = 3x - 2 by gradient descent with a tape.
  Tensor x = Tensor::arange(-1.0, 1.0, 0.1, float64);
  Tensor y = x * 3.0 - 2.0;
  Variable w(Tensor::zeros({1}, float64), "w"), b(Tensor::zeros({1}, float64), "b");
  for (int step = 0; step < 200; ++step) {
    GradientTape tape;
    Tensor err = w * x + b - y;
    Tensor loss = ops::sum(err * err) / static_cast<double>(x.size());
    auto grads = tape.gradient(loss, std::vector<Variable>{w, b});
    w.assign_sub(grads[0] * 0.3);
    b.assign_sub(grads[1] * 0.3);
    if (step % 50 == 0) std::printf("step %3d  loss %.6f\n", step, loss.item<double>());
  }
  std::printf("w = %.4f (expected 3), b = %.4f (expected -2)\n", w.value().item<double>(),
              b.value().item<double>());
  return 0;
}
