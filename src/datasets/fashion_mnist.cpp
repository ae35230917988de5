// keras.datasets.fashion_mnist.load_data over Debian's dataset-fashion-mnist package (Keras's
// keras/src/datasets/fashion_mnist.py downloads the same four gzipped IDX files).
#include <filesystem>

#include "keras/datasets.hpp"

namespace keras::datasets::fashion_mnist {

TrainTest load_data(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw IOError("fashion_mnist.load_data: the folder '" + dir +
                  "' does not exist. Install the Debian package dataset-fashion-mnist "
                  "(apt-get install dataset-fashion-mnist), which puts the data set in " +
                  std::string(kDefaultDir) + ", or pass the folder holding its IDX files.");
  return mnist::load_data(dir);
}

}  // namespace keras::datasets::fashion_mnist
