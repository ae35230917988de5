// BundleReader on truncated, corrupt and hostile bundles: every failure is a keras exception
// naming the file (and key), raised before any allocation sized by untrusted numbers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/io/crc32c.hpp"
#include "keras/io/protobuf_wire.hpp"
#include "keras/io/sstable.hpp"
#include "keras/io/tensor_bundle.hpp"

namespace fs = std::filesystem;
namespace crc = keras::io::crc32c;
using keras::Shape;
using keras::Tensor;
using keras::io::BundleReader;
using keras::io::BundleWriter;
using keras::io::DataType;
using std::string_literals::operator""s;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("keras_bundle_bad_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void spit(const std::string& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string header_proto(int64_t num_shards, int64_t endianness = 0, int64_t min_consumer = 0,
                         std::string extra = "") {
  keras::io::pb::WireWriter w, version;
  w.write_int64(1, num_shards);
  if (endianness) w.write_int64(2, endianness);
  version.write_int32(1, 1);
  if (min_consumer) version.write_int64(2, min_consumer);
  w.write_bytes(3, version.data() + extra);
  return w.take();
}

struct Entry {
  int dtype = 1;
  Shape shape{};
  int64_t shard_id = 0, offset = 0, size = 0;
  uint32_t crc32c = 0;  // masked
  bool slices = false;
  bool unknown_rank = false;
  std::string extra{};  // appended raw fields
};

std::string entry_proto(const Entry& e) {
  keras::io::pb::WireWriter w, shape;
  w.write_int64(1, e.dtype);
  for (int64_t d : e.shape) {
    keras::io::pb::WireWriter dim;
    dim.write_int64(1, d);
    shape.write_bytes(2, dim.data());
  }
  if (e.unknown_rank) shape.write_bool(3, true);
  w.write_bytes(2, shape.data());
  w.write_int64(3, e.shard_id);
  w.write_int64(4, e.offset);
  w.write_int64(5, e.size);
  w.write_fixed32(6, e.crc32c);
  if (e.slices) w.write_bytes(7, "\x0a\x02\x08\x00"s);
  return w.take() + e.extra;
}

// A bundle from raw parts: index rows (sorted, header first) and shard 0's bytes.
std::string make_bundle(const TempDir& dir, const std::string& header,
                        const std::vector<std::pair<std::string, Entry>>& entries,
                        const std::string& data) {
  const std::string prefix = dir / "b";
  keras::io::TableBuilder t;
  t.add("", header);
  for (const auto& [k, e] : entries) t.add(k, entry_proto(e));
  spit(prefix + ".index", t.finish());
  spit(prefix + ".data-00000-of-00001", data);
  return prefix;
}

uint32_t masked_crc(const std::string& bytes) { return crc::mask(crc::value(bytes)); }

std::string f32_bytes(std::vector<float> v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4);
}

// Opens (and optionally reads `key` of) the bundle; expects exception E whose message holds
// every needle.
template <typename E>
void expect_error(const std::string& prefix, const std::string& key,
                  const std::vector<std::string>& needles) {
  try {
    BundleReader r(prefix);
    if (!key.empty()) r.read(key);
    ADD_FAILURE() << "no error; expected " << needles.front();
  } catch (const E& e) {
    const std::string msg = e.what();
    for (const auto& n : needles) EXPECT_NE(msg.find(n), std::string::npos) << msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

// A copy of the corpus' smallest checkpoint (W, b: two float32 scalars).
std::string copy_regression(const TempDir& dir) {
  const std::string src =
      std::string(KERAS_CORPUS_DIR) + "/ckpt-tf1.11-saver-regression-tf2onnx/checkpoint/model";
  fs::copy_file(src + ".index", dir / "model.index");
  fs::copy_file(src + ".data-00000-of-00001", dir / "model.data-00000-of-00001");
  fs::permissions(dir.path / "model.index", fs::perms::owner_all, fs::perm_options::add);
  fs::permissions(dir.path / "model.data-00000-of-00001", fs::perms::owner_all,
                  fs::perm_options::add);
  return dir / "model";
}

}  // namespace

TEST(TensorBundleCorrupt, DamagedCorpusFiles) {
  TempDir dir;
  const std::string p = copy_regression(dir);
  const std::string index = slurp(p + ".index");
  const std::string data = slurp(p + ".data-00000-of-00001");
  ASSERT_EQ(BundleReader(p).read("W").item<float>(), 0.21396178f);

  spit(p + ".index", index.substr(0, index.size() / 2));  // truncated index
  expect_error<keras::FileFormatError>(p, "", {"model.index"});
  spit(p + ".index", index.substr(0, 40));
  expect_error<keras::FileFormatError>(p, "", {"model.index", "footer"});

  std::string magic = index;
  magic.back() ^= 0x40;
  spit(p + ".index", magic);
  expect_error<keras::FileFormatError>(p, "", {"model.index", "bad magic number"});

  std::string flipped = index;
  flipped[5] ^= 0x01;  // inside the first data block
  spit(p + ".index", flipped);
  expect_error<keras::FileFormatError>(p, "", {"model.index", "checksum"});
  spit(p + ".index", index);

  std::string bad_data = data;
  bad_data[1] ^= 0x01;  // a bit of W
  spit(p + ".data-00000-of-00001", bad_data);
  expect_error<keras::FileFormatError>(p, "W",
                                       {"model.data-00000-of-00001", "'W'", "checksum mismatch"});
  EXPECT_EQ(BundleReader(p).read("b").item<float>(), 1.0495254f);  // b is intact
  EXPECT_THROW(BundleReader(p).read_raw("W"), keras::FileFormatError);

  spit(p + ".data-00000-of-00001", data.substr(0, 6));  // b's bytes cut short
  expect_error<keras::FileFormatError>(p, "", {"model.data-00000-of-00001", "'b'", "past the end"});

  fs::remove(p + ".data-00000-of-00001");  // missing shard
  expect_error<keras::IOError>(p, "", {"model.data-00000-of-00001"});
  fs::remove(p + ".index");
  expect_error<keras::IOError>(p, "", {"model.index"});
}

TEST(TensorBundleCorrupt, EntryRangesAndShapes) {
  TempDir dir;
  const std::string data = f32_bytes({1, 2});
  const uint32_t c = masked_crc(data);
  const auto one = [&](Entry e) { return make_bundle(dir, header_proto(1), {{"x", e}}, data); };
  const auto bad = [](const std::string& prefix, const std::vector<std::string>& needles) {
    expect_error<keras::FileFormatError>(prefix, "", needles);
  };

  bad(one({.shape = {2}, .offset = 1000, .size = 8, .crc32c = c}),
      {"b.data-00000-of-00001", "'x'", "past the end"});
  bad(one({.shape = {2}, .offset = 4, .size = 8, .crc32c = c}), {"'x'", "past the end"});
  bad(one({.shape = {int64_t{1} << 40, int64_t{1} << 40}, .size = 8, .crc32c = c}),
      {"b.index", "'x'", "overflows"});
  bad(one({.shape = {int64_t{1} << 31, int64_t{1} << 31}, .size = 8, .crc32c = c}),
      {"'x'", "needs"});
  bad(one({.shape = {int64_t{1} << 20, int64_t{1} << 20}, .size = 8, .crc32c = c}),
      {"'x'", "needs 1099511627776 x 4 bytes"});
  bad(one({.shape = {3}, .size = 8, .crc32c = c}), {"'x'", "needs 3 x 4"});
  bad(one({.dtype = 7, .shape = {int64_t{1} << 40}, .size = 8, .crc32c = c}),
      {"'x'", "DT_STRING", "cannot fit"});
  bad(one({.dtype = 21, .shape = {int64_t{1} << 40}, .size = 8, .crc32c = c}),
      {"'x'", "DT_VARIANT", "cannot fit"});
  bad(one({.shape = {-2}, .size = 8, .crc32c = c}), {"'x'", "negative dim"});
  bad(one({.shape = {2}, .size = 8, .crc32c = c, .unknown_rank = true}), {"'x'", "unknown rank"});
  bad(one({.shape = {2}, .offset = -4, .size = 8, .crc32c = c}), {"'x'", "negative offset"});
  bad(one({.shape = {2}, .shard_id = 1, .size = 8, .crc32c = c}), {"'x'", "shard_id 1"});
  bad(one({.shape = Shape(300, 1), .size = 4, .crc32c = c}), {"'x'", "254 dims"});
  // Malformed proto bytes in the entry: a length-delimited field running off the end.
  bad(one({.shape = {2}, .size = 8, .crc32c = c, .extra = "\x3a\x10"s}),
      {"BundleEntryProto of key 'x'", "b.index", "overruns"});
  // Unknown fields of every wire type are skipped.
  const std::string ok =
      one({.shape = {2},
           .size = 8,
           .crc32c = c,
           .extra = "\x78\x05\x81\x01\x01\x02\x03\x04\x05\x06\x07\x08"
                    "\x8a\x01\x01z\x8b\x01\x08\x01\x8c\x01\x95\x01\x00\x00\x00\x00"s});
  EXPECT_EQ(BundleReader(ok).read("x").to_vector<float>(), (std::vector<float>{1, 2}));
}

TEST(TensorBundleCorrupt, HeaderChecks) {
  TempDir dir;
  const std::string data = f32_bytes({1});
  const Entry e{.shape = {}, .size = 4, .crc32c = masked_crc(data)};
  expect_error<keras::FileFormatError>(make_bundle(dir, header_proto(0), {{"x", e}}, data), "",
                                       {"b.index", "num_shards is 0"});
  expect_error<keras::FileFormatError>(make_bundle(dir, header_proto(1000000), {{"x", e}}, data),
                                       "", {"num_shards is 1000000"});
  expect_error<keras::FileFormatError>(make_bundle(dir, header_proto(1, 7), {{"x", e}}, data), "",
                                       {"endianness 7"});
  expect_error<keras::FileFormatError>(make_bundle(dir, header_proto(1, 0, 2), {{"x", e}}, data),
                                       "", {"version 2 or later"});
  expect_error<keras::FileFormatError>(
      make_bundle(dir, header_proto(1, 0, 0, "\x18\x01"s), {{"x", e}}, data), "",
      {"disallows reader version 1"});
  expect_error<keras::FileFormatError>(
      make_bundle(dir, header_proto(1, 0, 0, "\x1a\x02\x05\x01"s), {{"x", e}}, data), "",
      {"disallows reader version 1"});  // packed bad_consumers
  // No header entry at all.
  keras::io::TableBuilder t;
  t.add("x", entry_proto(e));
  spit(dir / "nohdr.index", t.finish());
  spit(dir / "nohdr.data-00000-of-00001", data);
  expect_error<keras::FileFormatError>(dir / "nohdr", "", {"nohdr.index", "header"});
  // Two shards, the second referenced and missing.
  Entry e1 = e;
  e1.shard_id = 1;
  const std::string p = make_bundle(dir, header_proto(2), {{"x", e1}}, data);
  expect_error<keras::IOError>(p, "", {"b.data-00001-of-00002", "'x'"});
}

TEST(TensorBundleCorrupt, UnsupportedEntries) {
  TempDir dir;
  const std::string data = "\x01\x00\x00\x00\x02\x00\x00\x00"s;
  const uint32_t c = masked_crc(data);
  const std::string p = make_bundle(dir, header_proto(1),
                                    {{"part", {.shape = {4}, .slices = true}},
                                     {"u32", {.dtype = 22, .shape = {2}, .size = 8, .crc32c = c}}},
                                    data);
  const BundleReader r(p);
  EXPECT_TRUE(r.entry("part").has_slices);
  EXPECT_THROW(r.read("part"), keras::NotImplementedError);
  EXPECT_THROW(r.read_raw("part"), keras::NotImplementedError);
  EXPECT_THROW(r.read("u32"), keras::NotImplementedError);
  EXPECT_EQ(r.read_raw("u32"), data);
  EXPECT_THROW(r.read_variant("u32"), keras::TypeError);
}

TEST(TensorBundleCorrupt, StringLayoutChecks) {
  TempDir dir;
  // "ab", "c": lengths 02 01, masked CRC of uint32 LE 2, 1, then "abc" (FORMATS.md 4.6).
  const std::string len_bytes = "\x02\x00\x00\x00\x01\x00\x00\x00"s;
  const uint32_t c1 = crc::value(len_bytes);
  std::string m(4, '\0');
  const uint32_t masked1 = crc::mask(c1);
  std::memcpy(m.data(), &masked1, 4);
  const std::string good = "\x02\x01"s + m + "abc";
  const uint32_t entry_crc = crc::mask(crc::extend(crc::extend(c1, m), "abc"));
  const auto bundle = [&](const std::string& data, uint32_t crc32c) {
    return make_bundle(
        dir, header_proto(1),
        {{"s", {.dtype = 7, .shape = {2}, .size = int64_t(data.size()), .crc32c = crc32c}}}, data);
  };
  EXPECT_EQ(BundleReader(bundle(good, entry_crc)).read("s").to_vector<std::string>(),
            (std::vector<std::string>{"ab", "c"}));
  std::string bad_len_crc = good;
  bad_len_crc[3] ^= 1;
  expect_error<keras::FileFormatError>(bundle(bad_len_crc, entry_crc), "s",
                                       {"'s'", "lengths checksum mismatch"});
  std::string long_len = good;
  long_len[0] = 3;  // lengths no longer add up (and their CRC changes: recompute it)
  {
    const uint32_t c = crc::value("\x03\x00\x00\x00\x01\x00\x00\x00"s);
    const uint32_t mc = crc::mask(c);
    std::memcpy(long_len.data() + 2, &mc, 4);
  }
  expect_error<keras::FileFormatError>(bundle(long_len + "d", entry_crc), "s", {"'s'", "checksum"});
  expect_error<keras::FileFormatError>(bundle(long_len, entry_crc), "s", {"'s'", "add up"});
  expect_error<keras::FileFormatError>(bundle(good, entry_crc ^ 1), "s", {"checksum mismatch"});
  expect_error<keras::FileFormatError>(bundle("\x80\x80\x80\x80\x80\x80"s, 0), "s",
                                       {"malformed length"});
}

TEST(TensorBundleCorrupt, BoolBytesAreNormalised) {
  TempDir dir;
  const std::string data = "\x00\x02\xff"s;
  const std::string p = make_bundle(
      dir, header_proto(1),
      {{"b", {.dtype = 10, .shape = {3}, .size = 3, .crc32c = masked_crc(data)}}}, data);
  EXPECT_EQ(BundleReader(p).read("b").to_vector<bool>(), (std::vector<bool>{false, true, true}));
}

TEST(TensorBundleCorrupt, BigEndianBundles) {
  // A big-endian writer: element bytes reversed, string lengths CRC'd as big-endian uint32.
  TempDir dir;
  const std::string f = "\x3f\x80\x00\x00\x40\x00\x00\x00"s;  // 1.0f, 2.0f big-endian
  const uint32_t c1 = crc::value("\x00\x00\x00\x02"s);
  const uint32_t masked1 = crc::mask(c1);
  std::string m(4, '\0');
  for (int i = 0; i < 4; ++i) m[i] = static_cast<char>(masked1 >> (8 * i));  // stored LE
  const std::string s = "\x02"s + m + "hi";
  const uint32_t scrc = crc::mask(crc::extend(crc::extend(c1, m), "hi"));
  const std::string p = make_bundle(
      dir, header_proto(1, 1),
      {{"f", {.shape = {2}, .size = 8, .crc32c = masked_crc(f)}},
       {"s", {.dtype = 7, .shape = {}, .offset = 8, .size = int64_t(s.size()), .crc32c = scrc}}},
      f + s);
  const BundleReader r(p);
  EXPECT_TRUE(r.big_endian());
  EXPECT_EQ(r.read("f").to_vector<float>(), (std::vector<float>{1, 2}));
  EXPECT_EQ(r.read_raw("f"), f);  // raw bytes stay as stored
  EXPECT_EQ(r.read("s").item<std::string>(), "hi");
}

TEST(TensorBundleCorrupt, EveryFlippedByteIsCaughtOrHarmless) {
  TempDir dir;
  const std::string p = dir / "fz";
  {
    BundleWriter w(p);
    w.add("a", Tensor::from_vector<float>({1, 2, 3}));
    w.add("s", Tensor::from_strings({"xy", ""}, {2}));
    w.add("i", Tensor::from_vector<int64_t>({7}, {}));
    w.add_variant("v", {1}, {"var"});
    w.finish();
  }
  const std::string index = slurp(p + ".index");
  const std::string data = slurp(p + ".data-00000-of-00001");
  const auto read_all = [&] {
    BundleReader r(p);
    for (const auto& k : r.keys()) {
      if (r.entry(k).dtype == DataType::DT_VARIANT) {
        r.read_variant(k);
      } else {
        r.read(k);
      }
    }
  };
  read_all();
  for (size_t i = 0; i < index.size(); ++i) {
    std::string c = index;
    c[i] ^= 0x41;
    spit(p + ".index", c);
    try {
      read_all();
    } catch (const keras::Error&) {
    }
  }
  spit(p + ".index", index);
  for (size_t i = 0; i < data.size(); ++i) {
    std::string c = data;
    c[i] ^= 0x04;
    spit(p + ".data-00000-of-00001", c);
    EXPECT_THROW(read_all(), keras::FileFormatError) << "data byte " << i;
  }
}
