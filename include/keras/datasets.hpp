// keras::datasets — Keras's keras.datasets.mnist and keras.datasets.fashion_mnist loaders,
// reading the IDX files of a local folder instead of downloading.
//
//   auto [train, test] = keras::datasets::fashion_mnist::load_data();
//   train.x  // uint8, (60000, 28, 28)      train.y  // uint8, (60000,)
//   test.x   // uint8, (10000, 28, 28)      test.y   // uint8, (10000,)
#pragma once

#include <string>

#include "keras/core/tensor.hpp"

namespace keras::datasets {

// One split of an image-classification data set: Keras's (x, y) tuple.
struct Split {
  Tensor x;  // images, uint8, (N, rows, cols)
  Tensor y;  // labels, uint8, (N,)
};

// load_data()'s result: Keras's ((x_train, y_train), (x_test, y_test)).
struct TrainTest {
  Split train;
  Split test;
};

namespace mnist {
// keras.datasets.mnist.load_data for any folder in the MNIST layout: the files
// {train,t10k}-{images-idx3,labels-idx1}-ubyte, each optionally ".gz", also spelled
// "train-images.idx3-ubyte" (a dot before idx). Throws IOError when the folder or a file is
// missing, FileFormatError when a file is not a valid IDX file of the expected shape.
TrainTest load_data(const std::string& dir);
}  // namespace mnist

namespace fashion_mnist {
// Where Debian's package dataset-fashion-mnist installs the data set.
inline constexpr const char* kDefaultDir = "/usr/share/datasets/fashion-mnist";
// keras.datasets.fashion_mnist.load_data: 60000 training and 10000 test images of 10 clothing
// classes (label 0 T-shirt/top ... 9 ankle boot).
TrainTest load_data(const std::string& dir = kDefaultDir);
}  // namespace fashion_mnist

}  // namespace keras::datasets
