// io::load_idx: files written by Python (struct + numpy big-endian bytes, gzip module) read back
// equal; truncated, corrupt and hostile files fail with FileFormatError naming the file.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "keras/io/idx.hpp"

namespace keras {
namespace {

namespace fs = std::filesystem;

class IdxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("keras_idx_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  void write(const std::string& name, const std::vector<uint8_t>& bytes, bool gz) {
    if (gz) {
      gzFile f = gzopen(path(name).c_str(), "wb");
      ASSERT_NE(f, nullptr);
      if (!bytes.empty()) gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
      gzclose(f);
    } else {
      std::ofstream(path(name), std::ios::binary)
          .write(reinterpret_cast<const char*>(bytes.data()),
                 static_cast<std::streamsize>(bytes.size()));
    }
  }
  std::vector<uint8_t> read(const std::string& name) {
    std::ifstream in(path(name), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  void expect_bad(const std::string& name, const std::string& what) {
    try {
      io::load_idx(path(name));
      ADD_FAILURE() << name << ": no error, expected " << what;
    } catch (const FileFormatError& e) {
      EXPECT_NE(std::string(e.what()).find(path(name)), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  }

  fs::path dir_;
};

// An IDX header: magic 0 0 type rank, then big-endian uint32 dims.
std::vector<uint8_t> header(uint8_t type, const std::vector<uint32_t>& dims) {
  std::vector<uint8_t> h = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) h.push_back(static_cast<uint8_t>(d >> s));
  return h;
}

TEST_F(IdxTest, ReadsEveryTypeWrittenByPython) {
  const std::string script = R"(
import sys, gzip, struct, numpy as np
D = sys.argv[1]
v = np.arange(24).reshape(2, 3, 4) * 1.5 - 7
for code, dt in [(8, 'u1'), (9, 'i1'), (11, '>i2'), (12, '>i4'), (13, '>f4'), (14, '>f8')]:
    a = v.astype(dt) if dt != 'u1' else (np.arange(24).reshape(2, 3, 4) * 10).astype('u1')
    raw = struct.pack('>BBBB', 0, 0, code, 3) + struct.pack('>3I', 2, 3, 4) + a.tobytes()
    open('%s/t%d.idx' % (D, code), 'wb').write(raw)
    open('%s/t%d.idx.gz' % (D, code), 'wb').write(gzip.compress(raw))
)";
  std::ofstream(dir_ / "w.py") << script;
  ASSERT_EQ(
      std::system(("/usr/bin/python3 " + (dir_ / "w.py").string() + " " + dir_.string()).c_str()),
      0);
  const std::vector<std::pair<int, DType>> types = {{8, uint8},  {9, int8},     {11, int16},
                                                    {12, int32}, {13, float32}, {14, float64}};
  for (auto [code, dtype] : types) {
    for (const char* ext : {".idx", ".idx.gz"}) {
      std::string name = "t";
      name += std::to_string(code);
      name += ext;
      Tensor t = io::load_idx(path(name));
      EXPECT_EQ(t.dtype(), dtype) << code << ext;
      EXPECT_EQ(t.shape(), (Shape{2, 3, 4}));
      std::vector<double> got = t.to_vector<double>();
      for (int i = 0; i < 24; ++i) {
        double want = code == 8 ? i * 10 : i * 1.5 - 7;
        if (code != 13 && code != 14) want = std::trunc(want);  // numpy astype truncates
        ASSERT_EQ(got[i], want) << code << ext << " element " << i;
      }
    }
  }
}

TEST_F(IdxTest, RejectsBadFiles) {
  std::vector<uint8_t> good = header(0x08, {2, 3});
  good.insert(good.end(), {1, 2, 3, 4, 5, 6});
  write("good.gz", good, true);
  EXPECT_EQ(io::load_idx(path("good.gz")).to_vector<int64_t>(),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));

  EXPECT_THROW(io::load_idx(path("missing.gz")), IOError);
  write("empty", {}, false);
  expect_bad("empty", "shorter than the 4-byte magic");
  write("magic", {0x1f, 0x00, 0x08, 0x01, 0, 0, 0, 0}, false);
  expect_bad("magic", "bad magic");
  write("type", header(0x0A, {1}), false);
  expect_bad("type", "unknown type code 10");
  write("rank0", header(0x08, {}), false);
  expect_bad("rank0", "rank 0");
  std::vector<uint8_t> rank200 = {0, 0, 8, 200};
  write("rank200", rank200, false);
  expect_bad("rank200", "rank 200");
  write("dims_cut", {0, 0, 8, 3, 0, 0, 0, 5}, true);
  expect_bad("dims_cut", "ends inside the 3 dimension sizes");

  // Dims claiming far more data than present: fails without allocating what they claim.
  std::vector<uint8_t> lying = header(0x08, {60000, 28, 28});
  lying.insert(lying.end(), 100, 7);
  write("lying.gz", lying, true);
  expect_bad("lying.gz", "truncated");
  write("lying", lying, false);
  expect_bad("lying", "truncated");
  write("huge", header(0x0E, {0xffffffff, 0xffffffff, 0xffffffff}), true);
  expect_bad("huge", "bytes of data");
  write("big_but_short", header(0x0D, {0x7fffffff}), true);
  expect_bad("big_but_short", "truncated");

  std::vector<uint8_t> extra = good;
  extra.push_back(9);
  write("extra.gz", extra, true);
  expect_bad("extra.gz", "more data than dims");

  // A gzip stream cut in the middle, and one with a flipped byte (deflate or CRC error).
  std::vector<uint8_t> big = header(0x08, {4000});
  for (int i = 0; i < 4000; ++i) big.push_back(static_cast<uint8_t>((i * 7919) >> 3));
  write("big.gz", big, true);
  std::vector<uint8_t> gz = read("big.gz");
  write("cut.gz", std::vector<uint8_t>(gz.begin(), gz.begin() + static_cast<long>(gz.size() / 2)),
        false);
  expect_bad("cut.gz", "truncated");
  std::vector<uint8_t> flipped = gz;
  flipped[gz.size() - 6] ^= 0xff;  // inside the CRC32 trailer
  write("crc.gz", flipped, false);
  expect_bad("crc.gz", "corrupt gzip data");
}

}  // namespace
}  // namespace keras
