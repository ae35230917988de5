// Tensor::to_string: hand-written expected strings following numpy's array repr rules, plus a
// comparison with numpy's own arrayprint on the same bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keras/core/random.hpp"
#include "keras/core/tensor.hpp"

namespace keras {
namespace {

TEST(TensorPrint, HandWritten) {
  EXPECT_EQ(Tensor::from_vector<float>({1, 2, 3, 4}, {2, 2}).to_string(),
            "tensor([[1., 2.],\n        [3., 4.]], dtype=float32)");
  EXPECT_EQ(Tensor::from_vector<float>({1.5f, 2, -3.25f}).to_string(),
            "tensor([ 1.5 ,  2.  , -3.25], dtype=float32)");
  EXPECT_EQ(Tensor::from_vector<int32_t>({1, -20, 300}).to_string(),
            "tensor([  1, -20, 300], dtype=int32)");
  EXPECT_EQ(Tensor::from_vector<bool>({true, false}).to_string(),
            "tensor([ True, False], dtype=bool)");
  EXPECT_EQ(Tensor::from_vector<bool>({true}, {}).to_string(), "tensor(True, dtype=bool)");
  EXPECT_EQ(Tensor::scalar(3).to_string(), "tensor(3., dtype=float32)");
  EXPECT_EQ(Tensor::from_strings({"a", "b'c", "\n"}).to_string(),
            "tensor(['a', \"b'c\", '\\n'], dtype=string)");
  EXPECT_EQ(Tensor::zeros({0, 3}).to_string(), "tensor([], shape=(0, 3), dtype=float32)");
  EXPECT_EQ(Tensor::zeros({0}, int32).to_string(), "tensor([], dtype=int32)");
  // 0.1 keeps its shortest digits; 1/3 is cut to 8 decimals; the fraction pads with spaces.
  EXPECT_EQ(Tensor::from_vector<double>({0.1, 1.0 / 3}).to_string(),
            "tensor([0.1       , 0.33333333], dtype=float64)");
  // min < 1e-4 switches to scientific notation with a common number of decimals.
  EXPECT_EQ(Tensor::from_vector<float>({1e-5f, 1.5e10f, -2.5f}).to_string(),
            "tensor([ 1.0e-05,  1.5e+10, -2.5e+00], dtype=float32)");
  // float16 0.1 is 0.0999755859375, whose shortest float16 digits are "0.1".
  EXPECT_EQ(Tensor::from_vector<float>({0.1f, NAN, -INFINITY}).astype(float16).to_string(),
            "tensor([ 0.1,  nan, -inf], dtype=float16)");
  // bfloat16 3.140625: "3.1" would read back as 3.09375, "3.14" reads back exactly.
  EXPECT_EQ(Tensor::from_vector<float>({1.0f, 0.5f, 3.140625f}).astype(bfloat16).to_string(),
            "tensor([1.  , 0.5 , 3.14], dtype=bfloat16)");
  EXPECT_EQ(Tensor::from_vector<float>({-0.0f, 0.0f}).to_string(),
            "tensor([-0.,  0.], dtype=float32)");
  EXPECT_EQ(Tensor::arange(2000, int32).reshape({2, 1000}).to_string(),
            "tensor([[   0,    1,    2, ...,  997,  998,  999],\n"
            "        [1000, 1001, 1002, ..., 1997, 1998, 1999]], dtype=int32)");
  EXPECT_EQ(Tensor::arange(12, uint8).reshape({2, 2, 3}).to_string(),
            "tensor([[[ 0,  1,  2],\n         [ 3,  4,  5]],\n\n"
            "        [[ 6,  7,  8],\n         [ 9, 10, 11]]], dtype=uint8)");
  EXPECT_EQ(Tensor().to_string(), "tensor(undefined)");
  std::ostringstream os;
  os << Tensor::from_vector<int8_t>({-1, 2});
  EXPECT_EQ(os.str(), "tensor([-1,  2], dtype=int8)");
}

// Each case's bytes go to a raw file; numpy reads them with np.fromfile and prints the repr of a
// view of class "tensor" (so the prefix is "tensor(") with dtype_is_implied disabled (so float64,
// int64 and bool also show their dtype, as keras-cpp always does).
TEST(TensorPrint, MatchesNumpyArrayRepr) {
  std::vector<Tensor> cases = {
      random::normal({3, 4}, 0, 1, float32, 1),
      random::normal({5}, 0, 1, float64, 2),
      random::uniform({40, 50}, -1, 1, float32, 3),  // summarised
      random::normal({2000}, 0, 100, float64, 4),    // summarised, 1-d
      Tensor::arange(0.0, 30.0, 1.0, float32),       // wraps lines
      Tensor::arange(0.0, 3.0, 0.25, float64).reshape({3, 4}),
      Tensor::from_vector<float>({1e-5f, 1.5e10f, -2.5f, 0.f, NAN, INFINITY}),
      Tensor::from_vector<double>({1e100, -1e-100, 3.0}),              // 3-digit exponents
      Tensor::from_vector<double>({0.001953125, 1.0, 123.456789012}),  // half-even at 8 digits
      Tensor::from_vector<float>({NAN, INFINITY}),
      random::normal({4, 3}, 0, 1, float16, 5).astype(float16),
      random::randint({6, 7}, -1000, 1000, int32, 6),
      random::randint({3, 400}, -100000, 100000, int64, 7),  // summarised, wraps
      random::randint({2, 3, 4}, 0, 256, uint8, 8),
      random::randint({4, 5, 6, 7}, -128, 128, int8, 9),  // summarised, rank 4
      Tensor::from_vector<bool>({true, false, true, true}, {2, 2}),
      Tensor::scalar(2.5, float64),
      Tensor::scalar(-7, int16),
      random::uniform({30, 40}, 0, 1e-3, float32, 10),  // summarised, scientific
  };
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("keras_print_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream manifest(dir / "manifest.txt");
  for (size_t i = 0; i < cases.size(); ++i) {
    const Tensor& t = cases[i];
    std::ofstream(dir / (std::to_string(i) + ".bin"), std::ios::binary)
        .write(static_cast<const char*>(t.raw_data()), static_cast<std::streamsize>(t.nbytes()));
    manifest << i << " " << dtype_name(t.dtype());
    for (int64_t d : t.shape()) manifest << " " << d;
    manifest << "\n";
  }
  manifest.close();
  const std::string script =
      "import sys, numpy as np\n"
      "import numpy.core.arrayprint as ap\n"
      "ap.dtype_is_implied = lambda d: False\n"
      "class tensor(np.ndarray): pass\n"
      "d = sys.argv[1]\n"
      "out = []\n"
      "for line in open(d + '/manifest.txt'):\n"
      "  f = line.split()\n"
      "  a = np.fromfile(d + '/' + f[0] + '.bin', dtype=f[1]).reshape([int(x) for x in f[2:]])\n"
      "  out.append(repr(a.view(tensor)))\n"
      "open(d + '/out.txt', 'w').write('\\0'.join(out))\n";
  std::ofstream(dir / "script.py") << script;
  const std::string cmd = "/usr/bin/python3 " + (dir / "script.py").string() + " " + dir.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir / "out.txt");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> expected;
  std::stringstream ss(all);
  for (std::string item; std::getline(ss, item, '\0');) expected.push_back(item);
  ASSERT_EQ(expected.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(cases[i].to_string(), expected[i]) << "case " << i;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace keras
