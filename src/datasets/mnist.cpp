// keras.datasets.mnist.load_data over a local folder of IDX files (Keras's
// keras/src/datasets/mnist.py downloads mnist.npz instead; the arrays are the same).
#include <filesystem>

#include "keras/datasets.hpp"
#include "keras/io/idx.hpp"

namespace keras::datasets::mnist {
namespace {

namespace fs = std::filesystem;

// The first of the spellings MNIST mirrors use that exists in dir:
// "train-images-idx3-ubyte[.gz]" (LeCun's site) or "train-images.idx3-ubyte[.gz]" (Kaggle).
fs::path find_file(const fs::path& dir, const std::string& stem, const std::string& idx) {
  const std::string names[] = {stem + "-" + idx + "-ubyte.gz", stem + "-" + idx + "-ubyte",
                               stem + "." + idx + "-ubyte", stem + "." + idx + "-ubyte.gz"};
  for (const std::string& name : names) {
    std::error_code ec;
    if (fs::is_regular_file(dir / name, ec)) return dir / name;
  }
  throw IOError("mnist.load_data: '" + dir.string() + "' has no " + names[0] + " (nor " + names[1] +
                ", " + names[2] + ", " + names[3] + ").");
}

Split load_split(const fs::path& dir, const std::string& prefix) {
  const fs::path images_path = find_file(dir, prefix + "-images", "idx3");
  const fs::path labels_path = find_file(dir, prefix + "-labels", "idx1");
  Split split{io::load_idx(images_path.string()), io::load_idx(labels_path.string())};
  if (split.x.dtype() != DType::uint8 || split.x.ndim() != 3)
    throw FileFormatError("mnist.load_data: '" + images_path.string() +
                          "': expected uint8 images of shape (N, rows, cols), received " +
                          std::string(dtype_name(split.x.dtype())) + " of shape " +
                          shape_str(split.x.shape()) + ".");
  if (split.y.dtype() != DType::uint8 || split.y.ndim() != 1)
    throw FileFormatError("mnist.load_data: '" + labels_path.string() +
                          "': expected uint8 labels of shape (N,), received " +
                          std::string(dtype_name(split.y.dtype())) + " of shape " +
                          shape_str(split.y.shape()) + ".");
  if (split.x.dim(0) != split.y.dim(0))
    throw FileFormatError("mnist.load_data: '" + images_path.string() + "' holds " +
                          std::to_string(split.x.dim(0)) + " images but '" + labels_path.string() +
                          "' holds " + std::to_string(split.y.dim(0)) + " labels.");
  return split;
}

}  // namespace

TrainTest load_data(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw IOError("mnist.load_data: the folder '" + dir +
                  "' does not exist. Pass a folder holding the four MNIST IDX files "
                  "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                  "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz).");
  return {load_split(dir, "train"), load_split(dir, "t10k")};
}

}  // namespace keras::datasets::mnist
