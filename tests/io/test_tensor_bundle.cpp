// BundleReader/BundleWriter: every bundle of the corpus (listing as in corpus/MANIFEST.md,
// values from expected.json, every CRC verified), the FORMATS.md 4.7 worked example byte for
// byte, and round trips of every dtype checked by an independent parser (check_bundle.py).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/io/tensor_bundle.hpp"

namespace fs = std::filesystem;
using keras::Shape;
using keras::Tensor;
using keras::io::BundleReader;
using keras::io::BundleWriter;
using keras::io::DataType;
using std::string_literals::operator""s;

namespace {

std::string corpus(const std::string& rel) { return std::string(KERAS_CORPUS_DIR) + "/" + rel; }

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("keras_bundle_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

// Runs tests/io/check_bundle.py on a prefix; the parsed JSON summary, or null on failure.
nlohmann::json run_checker(const std::string& prefix, bool ours) {
  const std::string out = prefix + ".check.json";
  const std::string cmd = "/usr/bin/python3 " KERAS_SOURCE_DIR "/tests/io/check_bundle.py '" +
                          prefix + "'" + (ours ? " --keras-cpp" : "") + " > '" + out + "'";
  const int rc = std::system(cmd.c_str());
  const std::string text = slurp(out);
  fs::remove(out);
  EXPECT_EQ(rc, 0) << "check_bundle.py rejected " << prefix;
  if (rc != 0) return nullptr;
  return nlohmann::json::parse(text);
}

std::string to_hex(const std::string& s) {
  static const char* d = "0123456789abcdef";
  std::string h;
  for (unsigned char c : s) {
    h.push_back(d[c >> 4]);
    h.push_back(d[c & 15]);
  }
  return h;
}

// Compares our reading of every entry with the independent checker's.
void expect_reader_matches_checker(const BundleReader& r, const nlohmann::json& summary) {
  const auto& entries = summary["entries"];
  ASSERT_EQ(entries.size(), r.entries().size());
  for (const auto& [key, e] : r.entries()) {
    SCOPED_TRACE(key);
    ASSERT_TRUE(entries.contains(key));
    const auto& j = entries[key];
    EXPECT_EQ(j["dtype"].get<int>(), static_cast<int>(e.dtype));
    EXPECT_EQ(j["shape"].get<Shape>(), e.shape);
    EXPECT_EQ(j["offset"].get<int64_t>(), e.offset);
    EXPECT_EQ(j["size"].get<int64_t>(), e.size);
    EXPECT_EQ(j["crc32c"].get<uint32_t>(), e.crc32c);
    const auto& values = j["values"];
    if (e.dtype == DataType::DT_VARIANT) {
      const auto elems = r.read_variant(key);
      ASSERT_EQ(values.size(), elems.size());
      for (size_t i = 0; i < elems.size(); ++i) EXPECT_EQ(values[i], to_hex(elems[i]));
      continue;
    }
    const Tensor t = r.read(key);
    ASSERT_EQ(static_cast<int64_t>(values.size()), t.size());
    if (e.dtype == DataType::DT_STRING) {
      const auto strings = t.to_vector<std::string>();
      for (size_t i = 0; i < strings.size(); ++i) EXPECT_EQ(values[i], to_hex(strings[i]));
    } else if (e.dtype == DataType::DT_INT64) {
      EXPECT_EQ(values.get<std::vector<int64_t>>(), t.to_vector<int64_t>());
    } else if (e.dtype == DataType::DT_BOOL) {
      EXPECT_EQ(values.get<std::vector<bool>>(), t.to_vector<bool>());
    } else {
      EXPECT_EQ(values.get<std::vector<double>>(), t.to_vector<double>());
    }
  }
}

using Listing = std::vector<std::tuple<std::string, DataType, Shape, int64_t, int64_t>>;

// Listings transcribed from corpus/MANIFEST.md.
const std::vector<std::pair<std::string, Listing>>& corpus_bundles() {
  static const std::vector<std::pair<std::string, Listing>> bundles = {
      {"ckpt-tf1.11-saver-regression-tf2onnx/checkpoint/model",
       {{"W", DataType::DT_FLOAT, {}, 0, 4}, {"b", DataType::DT_FLOAT, {}, 4, 4}}},
      {"ckpt-tf1.15-saver-float64-mnist-cppflow/checkpoint/train.ckpt",
       {{"dense/bias", DataType::DT_DOUBLE, {128}, 0, 1024},
        {"dense/kernel", DataType::DT_DOUBLE, {784, 128}, 1024, 802816},
        {"dense_1/bias", DataType::DT_DOUBLE, {128}, 803840, 1024},
        {"dense_1/kernel", DataType::DT_DOUBLE, {128, 128}, 804864, 131072},
        {"dense_2/bias", DataType::DT_DOUBLE, {10}, 935936, 80},
        {"dense_2/kernel", DataType::DT_DOUBLE, {128, 10}, 936016, 10240}}},
      {"sm-tf1.11-regression-tf2onnx/saved_model/variables/variables",
       {{"W", DataType::DT_FLOAT, {}, 0, 4}, {"b", DataType::DT_FLOAT, {}, 4, 4}}},
      {"sm-tf1.14-half-plus-two-serving/00000123/variables/variables",
       {{"a", DataType::DT_FLOAT, {}, 0, 4},
        {"a2", DataType::DT_FLOAT, {}, 4, 4},
        {"b", DataType::DT_FLOAT, {}, 8, 4},
        {"c", DataType::DT_FLOAT, {}, 12, 4},
        {"c2", DataType::DT_FLOAT, {}, 16, 4}}},
      {"sm-tf2.14-half-plus-two-serving/00000123/variables/variables",
       {{"_CHECKPOINTABLE_OBJECT_GRAPH", DataType::DT_STRING, {}, 12, 619},
        {"a/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {}, 0, 4},
        {"b/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {}, 4, 4},
        {"c/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {}, 8, 4}}},
      {"sm-tf2.2-keras-functional-cppflow/model/variables/variables",
       {{"_CHECKPOINTABLE_OBJECT_GRAPH", DataType::DT_STRING, {}, 144, 1508},
        {"layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {5}, 100, 20},
        {"layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
         DataType::DT_FLOAT,
         {5, 5},
         0,
         100},
        {"layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {1}, 140, 4},
        {"layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
         DataType::DT_FLOAT,
         {5, 1},
         120,
         20}}},
      {"sm-tf2.3-keras-multi-io-cppflow/model/variables/variables",
       {{"_CHECKPOINTABLE_OBJECT_GRAPH", DataType::DT_STRING, {}, 288, 2710},
        {"layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {5}, 100, 20},
        {"layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
         DataType::DT_FLOAT,
         {5, 5},
         0,
         100},
        {"layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {5}, 220, 20},
        {"layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
         DataType::DT_FLOAT,
         {5, 5},
         120,
         100},
        {"layer_with_weights-2/bias/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {1}, 260, 4},
        {"layer_with_weights-2/kernel/.ATTRIBUTES/VARIABLE_VALUE",
         DataType::DT_FLOAT,
         {5, 1},
         240,
         20},
        {"layer_with_weights-3/bias/.ATTRIBUTES/VARIABLE_VALUE", DataType::DT_FLOAT, {1}, 284, 4},
        {"layer_with_weights-3/kernel/.ATTRIBUTES/VARIABLE_VALUE",
         DataType::DT_FLOAT,
         {5, 1},
         264,
         20}}},
  };
  return bundles;
}

}  // namespace

TEST(TensorBundle, CorpusListingsMatchManifestAndEveryTensorVerifies) {
  for (const auto& [rel, listing] : corpus_bundles()) {
    SCOPED_TRACE(rel);
    const BundleReader r(corpus(rel));
    EXPECT_EQ(r.num_shards(), 1);
    EXPECT_FALSE(r.big_endian());
    Listing got;
    for (const auto& [key, e] : r.entries()) {
      EXPECT_EQ(e.shard_id, 0);
      EXPECT_FALSE(e.has_slices);
      got.emplace_back(key, e.dtype, e.shape, e.offset, e.size);
      // Every read verifies the entry's CRC (and for strings the lengths' CRC too).
      const Tensor t = r.read(key);
      EXPECT_EQ(t.shape(), e.shape);
      EXPECT_EQ(t.dtype(), *keras::io::to_keras_dtype(e.dtype));
      EXPECT_EQ(r.read_raw(key).size(), static_cast<size_t>(e.size));
    }
    EXPECT_EQ(got, listing);
  }
}

TEST(TensorBundle, CorpusValuesMatchExpectedJson) {
  // regression (expected.json: W = 0.21396178, b = 1.0495254).
  for (const char* rel : {"ckpt-tf1.11-saver-regression-tf2onnx/checkpoint/model",
                          "sm-tf1.11-regression-tf2onnx/saved_model/variables/variables"}) {
    const BundleReader r(corpus(rel));
    EXPECT_EQ(r.read("W").item<float>(), 0.21396178f);
    EXPECT_EQ(r.read("b").item<float>(), 1.0495254f);
  }
  // half_plus_two (expected.json: a = 0.5, b = 2, c = 3, a2 = 0.5, c2 = 3).
  const BundleReader tf1(corpus("sm-tf1.14-half-plus-two-serving/00000123/variables/variables"));
  EXPECT_EQ(tf1.read("a").item<float>(), 0.5f);
  EXPECT_EQ(tf1.read("b").item<float>(), 2.0f);
  EXPECT_EQ(tf1.read("c").item<float>(), 3.0f);
  EXPECT_EQ(tf1.read("a2").item<float>(), 0.5f);
  EXPECT_EQ(tf1.read("c2").item<float>(), 3.0f);
  const BundleReader tf2(corpus("sm-tf2.14-half-plus-two-serving/00000123/variables/variables"));
  EXPECT_EQ(tf2.read("a/.ATTRIBUTES/VARIABLE_VALUE").item<float>(), 0.5f);
  EXPECT_EQ(tf2.read("b/.ATTRIBUTES/VARIABLE_VALUE").item<float>(), 2.0f);
  EXPECT_EQ(tf2.read("c/.ATTRIBUTES/VARIABLE_VALUE").item<float>(), 3.0f);
  // The object graph: a scalar string of 619 - 2 (varint 613) - 4 (checksum) bytes holding a
  // TrackableObjectGraph, whose first field is `nodes` (field 1, length-delimited: 0x0a).
  const Tensor graph = tf2.read("_CHECKPOINTABLE_OBJECT_GRAPH");
  EXPECT_EQ(graph.shape(), Shape{});
  const std::string g = graph.item<std::string>();
  EXPECT_EQ(g.size(), 613u);
  EXPECT_EQ(g[0], '\x0a');
}

TEST(TensorBundle, CorpusReadingMatchesIndependentChecker) {
  for (const auto& [rel, listing] : corpus_bundles()) {
    SCOPED_TRACE(rel);
    const nlohmann::json summary = run_checker(corpus(rel), false);
    ASSERT_FALSE(summary.is_null());
    expect_reader_matches_checker(BundleReader(corpus(rel)), summary);
  }
}

TEST(TensorBundle, WritesTheSpecWorkedExampleByteForByte) {
  TempDir dir;
  {
    BundleWriter w(dir / "ckpt");
    w.add("v", Tensor::from_vector<float>({1.0f, 2.0f}));
    w.finish();
  }
  EXPECT_EQ(to_hex(slurp(dir / "ckpt.data-00000-of-00001")), "0000803f00000040");
  // FORMATS.md 4.7 index listing, row by row.
  std::string listing =
      "00 00 06 08 01 1a 02 08 01 00 01 0f 76 08 01 12"
      "04 12 02 08 02 28 08 35 59 3c e5 35 00 00 00 00"
      "01 00 00 00 00 30 55 93 58 00 00 00 00 01 00 00"
      "00 00 c0 f2 a1 b0 00 01 02 77 00 24 00 00 00 00"
      "01 00 00 00 00 94 60 b2 cd 29 08 36 0e 00 00 00"
      "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
      "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
      "00 57 fb 80 8b 24 75 47 db";
  std::erase(listing, ' ');
  EXPECT_EQ(to_hex(slurp(dir / "ckpt.index")), listing);
  // FORMATS.md 4.7 string example: scalar "abc".
  {
    BundleWriter w(dir / "str");
    w.add("s", Tensor::from_strings({"abc"}, {}));
    w.finish();
  }
  EXPECT_EQ(to_hex(slurp(dir / "str.data-00000-of-00001")), "03633f7f28616263");
  EXPECT_EQ(BundleReader(dir / "str").entry("s").crc32c, 0x199AD1C3u);
}

TEST(TensorBundle, RoundTripsEveryDtypeAndPassesTheIndependentChecker) {
  TempDir dir;
  const std::string prefix = dir / "sub/dir/ckpt-1";  // the writer creates the directories
  std::vector<std::pair<std::string, Tensor>> tensors = {
      {"f32", Tensor::from_vector<float>({1.5f, -0.0f, 3.25e-8f, -1e30f, 1e-45f, 7}, {2, 3})},
      {"f64", Tensor::from_vector<double>({1.0 / 3, -2.5e300, 0.0, 5e-324}, {4})},
      {"i8", Tensor::from_vector<int8_t>({-128, 127, 0}, {3})},
      {"i16", Tensor::from_vector<int16_t>({-32768, 32767, 5}, {3, 1})},
      {"i32", Tensor::from_vector<int32_t>({INT32_MIN, INT32_MAX}, {1, 2})},
      {"i64", Tensor::from_vector<int64_t>({INT64_MIN, INT64_MAX, -1}, {3})},
      {"u8", Tensor::from_vector<uint8_t>({0, 255, 128}, {3})},
      {"bool", Tensor::from_vector<bool>({true, false, true, true}, {2, 2})},
      {"step", Tensor::scalar(42, keras::int64)},
      {"empty", Tensor::zeros({0, 3})},
      {"strings",
       Tensor::from_strings({"", "hello", "\0\xff\x01"s, std::string(300, 'z')}, {2, 2})},
      {"str_scalar", Tensor::from_strings({"abc"}, {})},
      {"str_empty", Tensor::from_strings({}, {0})},
  };
  // float16 1.0, -2.0, 65504 and bfloat16 1.0, -3.0 as raw bit patterns.
  Tensor h = Tensor::empty({3}, keras::float16);
  const uint16_t hbits[3] = {0x3C00, 0xC000, 0x7BFF};
  std::memcpy(h.raw_data(), hbits, 6);
  tensors.emplace_back("f16", h);
  Tensor bf = Tensor::empty({2}, keras::bfloat16);
  const uint16_t bbits[2] = {0x3F80, 0xC040};
  std::memcpy(bf.raw_data(), bbits, 4);
  tensors.emplace_back("bf16", bf);
  {
    BundleWriter w(prefix);
    for (const auto& [k, t] : tensors) w.add(k, t);
    w.add_variant("variant", {2},
                  {"\x0a\x03"
                   "abc"s,
                   ""});
    w.finish();
  }

  const BundleReader r(prefix);
  EXPECT_EQ(r.keys().size(), tensors.size() + 1);
  for (const auto& [k, t] : tensors) {
    SCOPED_TRACE(k);
    const Tensor got = r.read(k);
    ASSERT_EQ(got.dtype(), t.dtype());
    ASSERT_EQ(got.shape(), t.shape());
    if (t.dtype() == keras::string) {
      EXPECT_EQ(got.to_vector<std::string>(), t.to_vector<std::string>());
    } else {
      EXPECT_EQ(std::memcmp(got.raw_data(), t.raw_data(), t.nbytes()), 0);
    }
  }
  EXPECT_EQ(r.read_variant("variant"), (std::vector<std::string>{"\x0a\x03"
                                                                 "abc"s,
                                                                 ""}));
  EXPECT_EQ(r.entry("str_empty").size, 4);  // just the lengths' checksum, as TF writes it

  // The independent parser agrees on every key, dtype, shape, offset, CRC and value, and on
  // the layout choices (header bytes, restart interval 16, uncompressed, densely packed).
  const nlohmann::json summary = run_checker(prefix, true);
  ASSERT_FALSE(summary.is_null());
  expect_reader_matches_checker(r, summary);
  const auto& e = summary["entries"];
  EXPECT_EQ(e["f16"]["values"].get<std::vector<double>>(), (std::vector<double>{1, -2, 65504}));
  EXPECT_EQ(e["bf16"]["values"].get<std::vector<double>>(), (std::vector<double>{1, -3}));
  EXPECT_EQ(e["i64"]["values"].get<std::vector<int64_t>>(),
            (std::vector<int64_t>{INT64_MIN, INT64_MAX, -1}));
  EXPECT_EQ(e["strings"]["values"][2], "00ff01");
  EXPECT_EQ(e["f32"]["dtype"], 1);
  EXPECT_EQ(e["f16"]["dtype"], 19);
  EXPECT_EQ(e["bf16"]["dtype"], 14);
  EXPECT_EQ(e["bool"]["dtype"], 10);
  EXPECT_EQ(e["variant"]["dtype"], 21);
  EXPECT_EQ(e["empty"]["shape"], (std::vector<int64_t>{0, 3}));
  // A zero dim is an empty Dim message: `12 00` inside the shape.
  EXPECT_EQ(e["empty"]["shape_bytes"],
            "12001202"
            "0803");
}

TEST(TensorBundle, NanBitsSurvive) {
  TempDir dir;
  // Quiet NaN with payload, signalling NaN, -inf: bits pass through untouched.
  Tensor t = Tensor::empty({3}, keras::float32);
  const uint32_t bits[3] = {0x7fc00001, 0xffbfffff, 0xff800000};
  std::memcpy(t.raw_data(), bits, 12);
  {
    BundleWriter w(dir / "nan");
    w.add("x", t);
    w.finish();
  }
  EXPECT_EQ(std::memcmp(BundleReader(dir / "nan").read("x").raw_data(), bits, 12), 0);
}

TEST(TensorBundle, ManyKeysSpanSeveralIndexBlocks) {
  // ~5000 entries of ~100 bytes exceed TF's 256 KiB block size: several data blocks, index
  // separators, checked by the independent parser.
  TempDir dir;
  {
    BundleWriter w(dir / "big");
    for (int i = 4999; i >= 0; --i)  // added out of order: the index is sorted, data is not
      w.add("model/layer_with_weights-" + std::to_string(i) + "/kernel/.ATTRIBUTES/VARIABLE_VALUE",
            Tensor::full({2}, i, keras::float32));
    w.finish();
  }
  const nlohmann::json summary = run_checker(dir / "big", true);
  ASSERT_FALSE(summary.is_null());
  EXPECT_GE(summary["data_block_types"].size(), 2u);
  const BundleReader r(dir / "big");
  EXPECT_EQ(r.keys().size(), 5000u);
  const std::string k = "model/layer_with_weights-1234/kernel/.ATTRIBUTES/VARIABLE_VALUE";
  EXPECT_EQ(r.read(k).to_vector<float>(), (std::vector<float>{1234, 1234}));
  EXPECT_EQ(r.entry(k).offset, (4999 - 1234) * 8);
  EXPECT_EQ(summary["entries"][k]["values"], (std::vector<double>{1234, 1234}));
}

TEST(TensorBundle, WriterReplacesAtomicallyAndCleansUp) {
  TempDir dir;
  const std::string p = dir / "ckpt";
  {
    BundleWriter w(p);
    w.add("x", Tensor::scalar(1));
    w.finish();
  }
  {
    BundleWriter w(p);
    w.add("y", Tensor::scalar(2));
    // Not finished: the old bundle must stay whole and no temporary file remain.
  }
  EXPECT_EQ(BundleReader(p).keys(), std::vector<std::string>{"x"});
  {
    BundleWriter w(p);
    w.add("y", Tensor::scalar(2));
    w.finish();
  }
  const BundleReader r(p);
  EXPECT_EQ(r.keys(), std::vector<std::string>{"y"});
  EXPECT_EQ(r.read("y").item<float>(), 2.0f);
  std::vector<std::string> files;
  for (const auto& f : fs::directory_iterator(dir.path)) files.push_back(f.path().filename());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"ckpt.data-00000-of-00001", "ckpt.index"}));
}

TEST(TensorBundle, WriterRejectsBadKeys) {
  TempDir dir;
  BundleWriter w(dir / "k");
  EXPECT_THROW(w.add("", Tensor::scalar(1)), keras::ValueError);
  w.add("a", Tensor::scalar(1));
  EXPECT_THROW(w.add("a", Tensor::scalar(2)), keras::ValueError);
  EXPECT_THROW(w.add("u", Tensor()), keras::ValueError);
  EXPECT_THROW(w.add_variant("v", {3}, {"x"}), keras::ValueError);
  w.finish();
  EXPECT_THROW(w.finish(), keras::ValueError);
  EXPECT_THROW(w.add("b", Tensor::scalar(1)), keras::ValueError);
}

TEST(TensorBundle, ReaderErrorsForKeysAndDtypes) {
  const BundleReader r(corpus("sm-tf2.14-half-plus-two-serving/00000123/variables/variables"));
  EXPECT_THROW(r.read("nope"), keras::ValueError);
  EXPECT_THROW(r.read_variant("a/.ATTRIBUTES/VARIABLE_VALUE"), keras::TypeError);
  EXPECT_EQ(keras::io::data_type_name(DataType::DT_HALF), "DT_HALF");
  EXPECT_EQ(keras::io::data_type_name(static_cast<DataType>(77)), "DataType(77)");
  EXPECT_EQ(keras::io::data_type_size(DataType::DT_COMPLEX128), 16u);
  EXPECT_FALSE(keras::io::to_keras_dtype(DataType::DT_UINT32).has_value());
  EXPECT_EQ(keras::io::from_keras_dtype(keras::bfloat16), DataType::DT_BFLOAT16);
}

TEST(TensorBundle, RewritingCorpusBundlesReproducesTensorFlowsBytes) {
  // Adding each bundle's tensors in their data-file order must give TF's exact data file, and
  // for the bundles TF wrote uncompressed (MANIFEST: "none=2"), TF's exact index file.
  TempDir dir;
  int identical_indexes = 0, n = 0;
  for (const auto& [rel, listing] : corpus_bundles()) {
    SCOPED_TRACE(rel);
    const BundleReader r(corpus(rel));
    std::vector<std::pair<int64_t, std::string>> order;
    for (const auto& [key, e] : r.entries()) order.emplace_back(e.offset, key);
    std::sort(order.begin(), order.end());
    const std::string out = dir / ("rewrite" + std::to_string(n++));
    {
      BundleWriter w(out);
      for (const auto& [offset, key] : order) w.add(key, r.read(key));
      w.finish();
    }
    EXPECT_EQ(slurp(out + ".data-00000-of-00001"), slurp(corpus(rel) + ".data-00000-of-00001"));
    if (rel.find("half-plus-two") == std::string::npos) {  // those two have a snappy block
      EXPECT_EQ(to_hex(slurp(out + ".index")), to_hex(slurp(corpus(rel) + ".index")));
      ++identical_indexes;
    }
  }
  EXPECT_EQ(identical_indexes, 5);
}
