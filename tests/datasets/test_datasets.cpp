// datasets::fashion_mnist / mnist: the real Fashion-MNIST of Debian's dataset-fashion-mnist,
// compared with an independent read by Python (gzip + numpy.frombuffer), and MNIST-layout
// folders in both file-name spellings.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keras/datasets.hpp"

namespace keras {
namespace {

namespace fs = std::filesystem;

TEST(FashionMnist, LoadsTheDebianPackageFiles) {
  if (!fs::is_directory(datasets::fashion_mnist::kDefaultDir))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  auto [train, test] = datasets::fashion_mnist::load_data();
  EXPECT_EQ(train.x.shape(), (Shape{60000, 28, 28}));
  EXPECT_EQ(train.y.shape(), (Shape{60000}));
  EXPECT_EQ(test.x.shape(), (Shape{10000, 28, 28}));
  EXPECT_EQ(test.y.shape(), (Shape{10000}));
  EXPECT_EQ(train.x.dtype(), uint8);
  EXPECT_EQ(train.y.dtype(), uint8);
  // Known values: the first training and test items are both ankle boots (class 9).
  EXPECT_EQ(train.y.at<int>({0}), 9);
  EXPECT_EQ(test.y.at<int>({0}), 9);

  // Independent read: Python's gzip + numpy, skipping the 8/16-byte IDX headers.
  const fs::path out = fs::temp_directory_path() / ("keras_fmnist_" + std::to_string(::getpid()));
  const std::string script =
      "import gzip, sys, numpy as np\n"
      "d = '/usr/share/datasets/fashion-mnist/'\n"
      "ytr = np.frombuffer(gzip.open(d + 'train-labels-idx1-ubyte.gz').read(), np.uint8, "
      "offset=8)\n"
      "yte = np.frombuffer(gzip.open(d + 't10k-labels-idx1-ubyte.gz').read(), np.uint8, "
      "offset=8)\n"
      "xtr = np.frombuffer(gzip.open(d + 'train-images-idx3-ubyte.gz').read(), np.uint8, "
      "offset=16).reshape(-1, 28, 28)\n"
      "xte = np.frombuffer(gzip.open(d + 't10k-images-idx3-ubyte.gz').read(), np.uint8, "
      "offset=16).reshape(-1, 28, 28)\n"
      "vals = list(ytr[:20]) + list(yte[:20]) + [np.bincount(ytr)[k] for k in range(10)]\n"
      "vals += [int(xtr[0].sum()), int(xtr[-1].sum()), int(xte[123].sum()), int(xtr[5, 14, 14])]\n"
      "open(sys.argv[1], 'w').write(' '.join(str(int(v)) for v in vals))\n";
  const std::string cmd =
      "/usr/bin/python3 -c \"$(cat <<'PY'\n" + script + "PY\n)\" " + out.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(out);
  std::vector<int64_t> expected;
  for (int64_t v; in >> v;) expected.push_back(v);
  fs::remove(out);
  ASSERT_EQ(expected.size(), 54u);

  std::vector<int64_t> got;
  for (int i = 0; i < 20; ++i) got.push_back(train.y.at<int64_t>({i}));
  for (int i = 0; i < 20; ++i) got.push_back(test.y.at<int64_t>({i}));
  std::vector<int64_t> counts(10, 0);
  for (uint8_t label : train.y.to_vector<uint8_t>()) ++counts.at(label);
  got.insert(got.end(), counts.begin(), counts.end());
  auto image_sum = [](const Tensor& img) {
    int64_t s = 0;
    for (uint8_t p : img.to_vector<uint8_t>()) s += p;
    return s;
  };
  got.push_back(image_sum(train.x[0]));
  got.push_back(image_sum(train.x[-1]));
  got.push_back(image_sum(test.x[123]));
  got.push_back(train.x.at<int64_t>({5, 14, 14}));
  EXPECT_EQ(got, expected);
}

TEST(FashionMnist, MissingFolderNamesPathAndPackage) {
  try {
    datasets::fashion_mnist::load_data("/nonexistent/fashion");
    FAIL() << "expected IOError";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/fashion"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("dataset-fashion-mnist"), std::string::npos);
  }
  EXPECT_THROW(datasets::mnist::load_data("/nonexistent/mnist"), IOError);
}

// Writes an MNIST-layout folder with n_train/n_test items; `dotted` uses the
// "train-images.idx3-ubyte" spelling (uncompressed), otherwise "-idx3-ubyte.gz".
void make_folder(const fs::path& dir, int n_train, int n_test, int n_test_labels, bool dotted) {
  fs::create_directories(dir);
  std::ostringstream script;
  script << "import gzip, struct, numpy as np\n"
         << "d = '" << dir.string() << "/'\n"
         << "def w(name, code_dims, data):\n"
         << "    raw = struct.pack('>BBBB', 0, 0, 8, len(code_dims)) + "
            "struct.pack('>%dI' % len(code_dims), *code_dims) + data.astype('u1').tobytes()\n"
         << "    if " << (dotted ? "True" : "False") << ":\n"
         << "        open(d + name.replace('-idx', '.idx'), 'wb').write(raw)\n"
         << "    else:\n"
         << "        open(d + name + '.gz', 'wb').write(gzip.compress(raw))\n"
         << "for split, n, nl in [('train', " << n_train << ", " << n_train << "), ('t10k', "
         << n_test << ", " << n_test_labels << ")]:\n"
         << "    w(split + '-images-idx3-ubyte', (n, 28, 28), np.arange(n * 784) % 251)\n"
         << "    w(split + '-labels-idx1-ubyte', (nl,), np.arange(nl) % 10)\n";
  std::ofstream(dir / "make.py") << script.str();
  ASSERT_EQ(std::system(("/usr/bin/python3 " + (dir / "make.py").string()).c_str()), 0);
}

TEST(Mnist, LoadsBothFileNameSpellings) {
  const fs::path root = fs::temp_directory_path() / ("keras_mnist_" + std::to_string(::getpid()));
  for (bool dotted : {false, true}) {
    const fs::path dir = root / (dotted ? "dotted" : "gz");
    make_folder(dir, 12, 5, 5, dotted);
    auto [train, test] = datasets::mnist::load_data(dir.string());
    EXPECT_EQ(train.x.shape(), (Shape{12, 28, 28}));
    EXPECT_EQ(test.x.shape(), (Shape{5, 28, 28}));
    EXPECT_EQ(train.y.to_vector<int>(), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}));
    EXPECT_EQ(train.x.at<int>({1, 0, 0}), 784 % 251);
    EXPECT_EQ(test.x.at<int>({4, 27, 27}), (5 * 784 - 1) % 251);
  }
  const fs::path bad = root / "mismatch";
  make_folder(bad, 3, 4, 2, false);
  EXPECT_THROW(datasets::mnist::load_data(bad.string()), FileFormatError);
  const fs::path partial = root / "partial";
  make_folder(partial, 3, 4, 4, false);
  fs::remove(partial / "t10k-labels-idx1-ubyte.gz");
  try {
    datasets::mnist::load_data(partial.string());
    FAIL() << "expected IOError";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("t10k-labels-idx1-ubyte"), std::string::npos) << e.what();
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace keras
