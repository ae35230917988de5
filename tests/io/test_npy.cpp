// io::load_npy / save_npy against numpy itself (files written by numpy read here; files
// written here read and byte-compared by numpy), plus truncated, corrupt and hostile files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "keras/io/npy.hpp"

namespace keras {
namespace {

namespace fs = std::filesystem;

class NpyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("keras_npy_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs a Python snippet with numpy imported as np and D set to the temp dir; returns its
  // exit status (numpy's own asserts fail it).
  int python(const std::string& body) {
    const fs::path script = dir_ / "script.py";
    std::ofstream(script) << "import sys, numpy as np\nD = sys.argv[1]\n" << body;
    const std::string cmd = "/usr/bin/python3 " + script.string() + " " + dir_.string();
    return std::system(cmd.c_str());
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

template <typename T>
std::vector<T> values(const Tensor& t) {
  return t.to_vector<T>();
}

TEST_F(NpyTest, ReadsFilesWrittenByNumpy) {
  ASSERT_EQ(python(R"(
v = np.arange(24).reshape(2, 3, 4) * 0.5 - 3
np.save(D + '/f4.npy', v.astype('<f4'))
np.save(D + '/f8_big.npy', v.astype('>f8'))
np.save(D + '/f2.npy', v.astype('<f2'))
np.save(D + '/i1.npy', (np.arange(10) - 5).astype('i1'))
np.save(D + '/i2_big.npy', (np.arange(10) * 1000 - 5000).astype('>i2'))
np.save(D + '/i4.npy', (np.arange(10) * 100000 - 7).astype('<i4'))
np.save(D + '/i8_big.npy', (np.arange(10) * 10**15 - 3).astype('>i8'))
np.save(D + '/u1.npy', np.arange(250, 256).astype('u1'))
np.save(D + '/u2.npy', np.array([0, 65535, 7], dtype='<u2'))
np.save(D + '/u4_big.npy', np.array([0, 4294967295, 7], dtype='>u4'))
np.save(D + '/b1.npy', np.array([[True, False], [False, True]]))
np.save(D + '/U.npy', np.array([['a', 'héllo'], ['', 'z😀']]))
np.save(D + '/S.npy', np.array([b'ab', b'', b'xyz']))
np.save(D + '/fortran.npy', np.asfortranarray(v.astype('<f4')))
np.save(D + '/fortran_U.npy', np.asfortranarray(np.array([['a', 'bb', 'c'], ['d', 'e', 'ff']])))
np.save(D + '/scalar.npy', np.float64(2.5))
np.save(D + '/empty.npy', np.zeros((0, 3), dtype='<i4'))
with open(D + '/v2.npy', 'wb') as f:
    np.lib.format.write_array(f, v.astype('<f4'), version=(2, 0))
with open(D + '/v3.npy', 'wb') as f:
    np.lib.format.write_array(f, np.array(['π']), version=(3, 0))
)"),
            0);
  std::vector<double> v(24);
  for (int i = 0; i < 24; ++i) v[i] = i * 0.5 - 3;

  Tensor f4 = io::load_npy(path("f4.npy"));
  EXPECT_EQ(f4.dtype(), float32);
  EXPECT_EQ(f4.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(values<double>(f4), v);
  Tensor f8 = io::load_npy(path("f8_big.npy"));
  EXPECT_EQ(f8.dtype(), float64);
  EXPECT_EQ(values<double>(f8), v);
  Tensor f2 = io::load_npy(path("f2.npy"));
  EXPECT_EQ(f2.dtype(), float16);
  EXPECT_EQ(values<double>(f2), v);  // halves of multiples of 0.5 are exact
  EXPECT_EQ(values<int64_t>(io::load_npy(path("i1.npy"))),
            (std::vector<int64_t>{-5, -4, -3, -2, -1, 0, 1, 2, 3, 4}));
  Tensor i2 = io::load_npy(path("i2_big.npy"));
  EXPECT_EQ(i2.dtype(), int16);
  EXPECT_EQ(i2.at<int64_t>({9}), 4000);
  EXPECT_EQ(i2.at<int64_t>({0}), -5000);
  Tensor i4 = io::load_npy(path("i4.npy"));
  EXPECT_EQ(i4.dtype(), int32);
  EXPECT_EQ(i4.at<int64_t>({9}), 899993);
  Tensor i8 = io::load_npy(path("i8_big.npy"));
  EXPECT_EQ(i8.dtype(), int64);
  EXPECT_EQ(i8.at<int64_t>({9}), 9000000000000000 - 3);
  EXPECT_EQ(values<int64_t>(io::load_npy(path("u1.npy"))),
            (std::vector<int64_t>{250, 251, 252, 253, 254, 255}));
  Tensor u2 = io::load_npy(path("u2.npy"));
  EXPECT_EQ(u2.dtype(), int32);
  EXPECT_EQ(values<int64_t>(u2), (std::vector<int64_t>{0, 65535, 7}));
  Tensor u4 = io::load_npy(path("u4_big.npy"));
  EXPECT_EQ(u4.dtype(), int64);
  EXPECT_EQ(values<int64_t>(u4), (std::vector<int64_t>{0, 4294967295LL, 7}));
  Tensor b1 = io::load_npy(path("b1.npy"));
  EXPECT_EQ(b1.dtype(), bool_);
  EXPECT_EQ(values<bool>(b1), (std::vector<bool>{true, false, false, true}));
  Tensor u = io::load_npy(path("U.npy"));
  EXPECT_EQ(u.dtype(), DType::string);
  EXPECT_EQ(u.shape(), (Shape{2, 2}));
  EXPECT_EQ(values<std::string>(u),
            (std::vector<std::string>{"a", "h\xc3\xa9llo", "", "z\xf0\x9f\x98\x80"}));
  EXPECT_EQ(values<std::string>(io::load_npy(path("S.npy"))),
            (std::vector<std::string>{"ab", "", "xyz"}));
  Tensor fortran = io::load_npy(path("fortran.npy"));
  EXPECT_EQ(fortran.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(values<double>(fortran), v);
  EXPECT_EQ(values<std::string>(io::load_npy(path("fortran_U.npy"))),
            (std::vector<std::string>{"a", "bb", "c", "d", "e", "ff"}));
  Tensor scalar = io::load_npy(path("scalar.npy"));
  EXPECT_EQ(scalar.ndim(), 0);
  EXPECT_EQ(scalar.item<double>(), 2.5);
  Tensor empty = io::load_npy(path("empty.npy"));
  EXPECT_EQ(empty.shape(), (Shape{0, 3}));
  EXPECT_EQ(empty.dtype(), int32);
  EXPECT_EQ(values<double>(io::load_npy(path("v2.npy"))), v);
  EXPECT_EQ(values<std::string>(io::load_npy(path("v3.npy"))),
            (std::vector<std::string>{"\xcf\x80"}));

  // The same bytes through the in-memory reader.
  std::ifstream in(path("f4.npy"), std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  EXPECT_EQ(values<double>(io::load_npy(std::span<const uint8_t>(bytes))), v);
}

TEST_F(NpyTest, NumpyReadsOurFilesByteForByte) {
  std::vector<float> f(24);
  for (int i = 0; i < 24; ++i) f[i] = static_cast<float>(i * 0.5 - 3);
  io::save_npy(path("f4.npy"), Tensor::from_vector(f, {2, 3, 4}));
  io::save_npy(path("f8.npy"), Tensor::from_vector(f, {2, 3, 4}).astype(float64));
  io::save_npy(path("f2.npy"), Tensor::from_vector(f, {24}).astype(float16));
  io::save_npy(path("i1.npy"), Tensor::from_vector<int8_t>({-128, 0, 127}));
  io::save_npy(path("i2.npy"), Tensor::from_vector<int16_t>({-32768, 1, 32767}));
  io::save_npy(path("i4.npy"), Tensor::from_vector<int32_t>({-7, 0, 2147483647}));
  io::save_npy(path("i8.npy"), Tensor::from_vector<int64_t>({INT64_MIN, 5, INT64_MAX}));
  io::save_npy(path("u1.npy"), Tensor::from_vector<uint8_t>({0, 128, 255}, {3, 1}));
  io::save_npy(path("b1.npy"), Tensor::from_vector<bool>({true, false, true}));
  io::save_npy(path("U.npy"),
               Tensor::from_strings({"a", "h\xc3\xa9llo", "", "z\xf0\x9f\x98\x80"}, {2, 2}));
  io::save_npy(path("scalar.npy"), Tensor::scalar(2.5, float64));
  io::save_npy(path("empty.npy"), Tensor::zeros({0, 3}, int32));
  io::save_npy(path("empty_U.npy"), Tensor::from_strings({}, {0}));
  io::save_npy(path("long_shape.npy"), Tensor::zeros({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                                      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}));
  ASSERT_EQ(python(R"(
import io
def check(name, expected):
    a = np.load(D + '/' + name)
    assert a.dtype == expected.dtype, (name, a.dtype, expected.dtype)
    assert a.shape == expected.shape, (name, a.shape, expected.shape)
    assert np.array_equal(a, expected), (name, a, expected)
    buf = io.BytesIO()
    np.save(buf, expected)
    mine = open(D + '/' + name, 'rb').read()
    assert mine == buf.getvalue(), (name, mine[:128], buf.getvalue()[:128])
v = np.arange(24).reshape(2, 3, 4) * 0.5 - 3
check('f4.npy', v.astype('<f4'))
check('f8.npy', v.astype('<f8'))
check('f2.npy', v.reshape(24).astype('<f2'))
check('i1.npy', np.array([-128, 0, 127], 'i1'))
check('i2.npy', np.array([-32768, 1, 32767], '<i2'))
check('i4.npy', np.array([-7, 0, 2147483647], '<i4'))
check('i8.npy', np.array([-2**63, 5, 2**63 - 1], '<i8'))
check('u1.npy', np.array([[0], [128], [255]], 'u1'))
check('b1.npy', np.array([True, False, True]))
check('U.npy', np.array([['a', 'héllo'], ['', 'z😀']]))
check('scalar.npy', np.array(2.5))
check('empty.npy', np.zeros((0, 3), '<i4'))
check('empty_U.npy', np.zeros((0,), '<U1'))
check('long_shape.npy', np.zeros([1] * 28 + [2], '<f4'))
)"),
            0);
}

TEST_F(NpyTest, RoundTripsEveryDtypeInMemory) {
  std::vector<Tensor> cases = {Tensor::from_vector<float>({1.5f, -2, NAN}, {3}),
                               Tensor::from_vector<double>({1e300, -0.0}),
                               Tensor::from_vector<float>({0.25f, 65504}).astype(float16),
                               Tensor::from_vector<int8_t>({-1, 1}),
                               Tensor::from_vector<int16_t>({-300, 300}),
                               Tensor::from_vector<int32_t>({-70000, 1}),
                               Tensor::from_vector<int64_t>({1LL << 40}),
                               Tensor::from_vector<uint8_t>({0, 255}, {1, 2, 1}),
                               Tensor::from_vector<bool>({false, true}),
                               Tensor::from_strings({"x", "", "yy z"}),
                               Tensor::scalar(7, int32)};
  for (const Tensor& t : cases) {
    const std::vector<uint8_t> bytes = io::save_npy_bytes(t);
    if (t.dtype() != DType::string) {
      EXPECT_EQ((bytes.size() - t.nbytes()) % 64, 0u);  // data aligned as numpy aligns it
    }
    Tensor back = io::load_npy(std::span<const uint8_t>(bytes));
    EXPECT_EQ(back.dtype(), t.dtype());
    EXPECT_EQ(back.shape(), t.shape());
    EXPECT_EQ(back.to_string(), t.to_string());
  }
  EXPECT_THROW(io::save_npy_bytes(Tensor::zeros({2}, bfloat16)), TypeError);
  try {
    io::save_npy_bytes(Tensor::zeros({2}, bfloat16));
  } catch (const TypeError& e) {
    EXPECT_NE(std::string(e.what()).find("astype(float32)"), std::string::npos);
  }
  EXPECT_THROW(io::save_npy_bytes(Tensor::from_strings({"ok", "\xff"})), ValueError);
}

TEST_F(NpyTest, SavingIsAtomicAndReportsFailures) {
  const std::string target = path("x.npy");
  io::save_npy(target, Tensor::from_vector<float>({1, 2, 3}));
  io::save_npy(target, Tensor::from_vector<int32_t>({4, 5}));  // replaces the old file
  EXPECT_EQ(values<int64_t>(io::load_npy(target)), (std::vector<int64_t>{4, 5}));
  int entries = 0;
  for (auto& e : fs::directory_iterator(dir_)) entries += e.path().filename() != "script.py";
  EXPECT_EQ(entries, 1);  // no temporary left behind
  EXPECT_THROW(io::save_npy(path("missing_dir/x.npy"), Tensor::zeros({1})), IOError);
  EXPECT_THROW(io::load_npy(path("nope.npy")), IOError);
  EXPECT_THROW(io::load_npy(dir_.string()), IOError);
}

// A .npy file built by hand: preamble of the given version, the header text as given (padded
// to 64 bytes as numpy does unless `raw`), then data.
std::vector<uint8_t> make_npy(const std::string& dict, size_t data_bytes, int major = 1,
                              int64_t header_len_override = -1) {
  std::string header = dict;
  const size_t pre = major == 1 ? 10 : 12;
  header.append(64 - (pre + header.size() + 1) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  const uint64_t hlen =
      header_len_override >= 0 ? static_cast<uint64_t>(header_len_override) : header.size();
  for (size_t k = 0; k < pre - 8; ++k) out.push_back(static_cast<uint8_t>(hlen >> (8 * k)));
  out.insert(out.end(), header.begin(), header.end());
  out.resize(out.size() + data_bytes, 1);
  return out;
}

// Expects FileFormatError naming the file and containing `what`.
void expect_bad(const std::vector<uint8_t>& bytes, const std::string& what,
                const std::string& dir) {
  const std::string file = dir + "/bad.npy";
  std::ofstream(file, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  try {
    io::load_npy(file);
    ADD_FAILURE() << "no error for a file that should fail with: " << what;
  } catch (const FileFormatError& e) {
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
  try {
    io::load_npy(std::span<const uint8_t>(bytes), "buffer.npy");
    ADD_FAILURE() << "no error from memory for: " << what;
  } catch (const FileFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("buffer.npy"), std::string::npos) << e.what();
  }
}

TEST_F(NpyTest, RejectsTruncatedCorruptAndHostileFiles) {
  const std::string d = dir_.string();
  const std::string ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  ASSERT_NO_THROW(io::load_npy(std::span<const uint8_t>(make_npy(ok, 24))));
  expect_bad({}, "too short", d);
  expect_bad({0x93, 'N', 'U'}, "too short", d);
  std::vector<uint8_t> magic = make_npy(ok, 24);
  magic[1] = 'X';
  expect_bad(magic, "bad magic", d);
  expect_bad(make_npy(ok, 24, 4), "version 4.0", d);
  expect_bad(make_npy(ok, 23), "truncated", d);
  expect_bad(make_npy(ok, 0), "truncated", d);
  expect_bad(make_npy(ok, 25), "unexpected bytes after", d);
  expect_bad(make_npy(ok, 24, 1, 60000), "runs past the end", d);
  expect_bad(make_npy(ok, 24, 2, 1LL << 31), "exceeds the limit", d);
  std::vector<uint8_t> cut = make_npy(ok, 24);
  cut.resize(30);
  expect_bad(cut, "runs past the end", d);
  expect_bad(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, "
                      "1099511627776), }",
                      0),
             "overflows", d);
  expect_bad(
      make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }", 0),
      "overflows", d);
  expect_bad(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), }", 8),
             "truncated", d);
  expect_bad(
      make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0),
      "overflows int64", d);
  expect_bad(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", 0),
             "negative dimension", d);
  expect_bad(make_npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 16),
             "object arrays", d);
  expect_bad(make_npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16),
             "unsupported dtype", d);
  expect_bad(make_npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8),
             "structured", d);
  expect_bad(make_npy("{'descr': '<U1000000000', 'fortran_order': False, 'shape': (3,), }", 12),
             "truncated", d);
  expect_bad(
      make_npy("{'descr': '<U0', 'fortran_order': False, 'shape': (4611686018427387904,), }", 0),
      "zero-width", d);
  expect_bad(make_npy("{'descr': '<f4', 'shape': (2,), }", 8), "lacks", d);
  expect_bad(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", 8),
             "unexpected header key", d);
  expect_bad(make_npy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 8),
             "repeats", d);
  expect_bad(make_npy("{'descr': '<f4', 'fortran_order': 1, 'shape': (2,), }", 8), "True or False",
             d);
  expect_bad(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", 8), "not a tuple",
             d);
  expect_bad(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk", 8),
             "after the header", d);
  expect_bad(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", 8), "malformed", d);
  expect_bad(make_npy("{'descr': '<f4, 'fortran_order': False, 'shape': (2,), }", 8), "", d);
  std::string deep = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (int i = 0; i < 100; ++i) deep += "1, ";
  expect_bad(make_npy(deep + "), }", 4), "dimensions", d);
  // A big-endian '<U' with an invalid code point.
  std::vector<uint8_t> bad_cp =
      make_npy("{'descr': '<U1', 'fortran_order': False, 'shape': (1,), }", 0);
  for (uint8_t b : {0x00, 0x00, 0x11, 0x00}) bad_cp.push_back(b);  // U+110000
  expect_bad(bad_cp, "invalid code point", d);
}

}  // namespace
}  // namespace keras
