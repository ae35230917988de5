// SSTable reader and builder: the worked example of spec/FORMATS.md 4.7 byte for byte, the
// corpus' TF-written index files (uncompressed and snappy), round trips over many blocks, and
// corrupt tables.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/io/crc32c.hpp"
#include "keras/io/sstable.hpp"

using keras::io::BlockCompression;
using keras::io::TableBuilder;
using keras::io::TableReader;
using std::string_literals::operator""s;

namespace {

std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size();) {
    if (hex[i] == ' ' || hex[i] == '\n') {
      ++i;
      continue;
    }
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    i += 2;
  }
  return out;
}

// FORMATS.md 4.7: the index of a bundle holding float32 v = [1, 2].
const std::string kHeaderValue = from_hex("08 01 1a 02 08 01");
const std::string kEntryValue = from_hex("08 01 12 04 12 02 08 02 28 08 35 59 3c e5 35");
const std::string kExampleIndex = from_hex(
    "00 00 06 08 01 1a 02 08 01 00 01 0f 76 08 01 12"
    "04 12 02 08 02 28 08 35 59 3c e5 35 00 00 00 00"
    "01 00 00 00 00 30 55 93 58 00 00 00 00 01 00 00"
    "00 00 c0 f2 a1 b0 00 01 02 77 00 24 00 00 00 00"
    "01 00 00 00 00 94 60 b2 cd 29 08 36 0e 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 57 fb 80 8b 24 75 47 db");

std::string corpus(const std::string& rel) { return std::string(KERAS_CORPUS_DIR) + "/" + rel; }

void expect_format_error(const std::string& bytes, const std::string& needle) {
  try {
    TableReader t(bytes, "t.index");
    ADD_FAILURE() << "no error, expected one containing: " << needle;
  } catch (const keras::FileFormatError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("t.index"), std::string::npos) << msg;
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
  }
}

}  // namespace

TEST(SSTable, WritesTheSpecWorkedExampleByteForByte) {
  ASSERT_EQ(kExampleIndex.size(), 121u);
  TableBuilder b;
  b.add("", kHeaderValue);
  b.add("v", kEntryValue);
  EXPECT_EQ(b.finish(), kExampleIndex);
}

TEST(SSTable, ReadsTheSpecWorkedExample) {
  TableReader t(kExampleIndex, "example");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.entries()[0].first, "");
  EXPECT_EQ(t.entries()[0].second, kHeaderValue);
  EXPECT_EQ(t.entries()[1].first, "v");
  EXPECT_EQ(t.entries()[1].second, kEntryValue);
  EXPECT_EQ(t.get("v"), std::optional<std::string_view>(kEntryValue));
  EXPECT_FALSE(t.get("w").has_value());
  EXPECT_EQ(t.data_block_types(), std::vector<BlockCompression>{BlockCompression::none});
}

TEST(SSTable, ReadsCorpusIndexFiles) {
  // Keys and block compression as listed in corpus/MANIFEST.md.
  const TableReader a = TableReader::open(
      corpus("ckpt-tf1.15-saver-float64-mnist-cppflow/checkpoint/train.ckpt.index"));
  std::vector<std::string> keys;
  for (const auto& kv : a.entries()) keys.push_back(kv.first);
  EXPECT_EQ(keys, (std::vector<std::string>{"", "dense/bias", "dense/kernel", "dense_1/bias",
                                            "dense_1/kernel", "dense_2/bias", "dense_2/kernel"}));
  EXPECT_EQ(a.data_block_types(), std::vector<BlockCompression>{BlockCompression::none});

  // TF 1.14 half_plus_two: a snappy-compressed data block.
  const TableReader b =
      TableReader::open(corpus("sm-tf1.14-half-plus-two-serving/00000123/variables/"
                               "variables.index"));
  keys.clear();
  for (const auto& kv : b.entries()) keys.push_back(kv.first);
  EXPECT_EQ(keys, (std::vector<std::string>{"", "a", "a2", "b", "c", "c2"}));
  EXPECT_EQ(b.data_block_types(), std::vector<BlockCompression>{BlockCompression::snappy});
  // The header value as FORMATS.md 4.4 describes TF's writer.
  EXPECT_EQ(b.get("").value(), kHeaderValue);

  const TableReader c =
      TableReader::open(corpus("sm-tf2.14-half-plus-two-serving/00000123/variables/"
                               "variables.index"));
  EXPECT_EQ(c.size(), 5u);
  EXPECT_TRUE(c.get("_CHECKPOINTABLE_OBJECT_GRAPH").has_value());
  EXPECT_EQ(c.data_block_types(), std::vector<BlockCompression>{BlockCompression::snappy});
}

TEST(SSTable, RoundTripsManyBlocks) {
  // A small block size forces many data blocks, multi-entry index blocks, separators and
  // restart points (interval 4) inside blocks.
  TableBuilder b({.block_size = 200, .block_restart_interval = 4});
  std::vector<std::pair<std::string, std::string>> rows;
  for (int i = 0; i < 2000; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "layer_%04d/kernel", i);
    rows.emplace_back(key, std::string(i % 50, static_cast<char>('a' + i % 26)));
  }
  rows.emplace_back("zz_big", std::string(1000, 'B'));  // >= 2 x block size: its own block
  rows.emplace_back("zz_big2", std::string(10, 'C'));
  rows.emplace_back("\xff\xff", "all-ones key");  // short successor leaves it as is
  for (const auto& [k, v] : rows) b.add(k, v);
  EXPECT_EQ(b.num_entries(), rows.size());
  const std::string bytes = b.finish();

  TableReader t(bytes, "roundtrip");
  EXPECT_EQ(t.entries(), rows);
  EXPECT_GT(t.data_block_types().size(), 100u);
  for (const auto& [k, v] : rows) EXPECT_EQ(t.get(k), std::optional<std::string_view>(v)) << k;
  EXPECT_FALSE(t.get("layer_").has_value());
  EXPECT_FALSE(t.get("layer_0000/kernel0").has_value());
}

TEST(SSTable, IndexKeysUseTheShortestSeparator) {
  // Blocks end after every entry; the index holds "b" between "apple" and "cherry" (bumped
  // byte), "cherry" before "cherryx" (a prefix is not shortened), and "d" after the last key.
  TableBuilder b({.block_size = 1, .block_restart_interval = 16});
  b.add("apple", "1");
  b.add("cherry", "2");
  b.add("cherryx", "3");
  const std::string bytes = b.finish();
  // Index entries (restart interval 1: shared 0): 00 | key len | handle len (2) | key.
  EXPECT_NE(bytes.find("\x00\x01\x02"
                       "b"s),
            std::string::npos);
  EXPECT_NE(bytes.find("\x00\x06\x02"
                       "cherry"s),
            std::string::npos);
  EXPECT_NE(bytes.find("\x00\x01\x02"
                       "d"s),
            std::string::npos);
  EXPECT_EQ(TableReader(bytes, "sep").size(), 3u);
}

TEST(SSTable, BuilderRejectsUnsortedKeys) {
  TableBuilder b;
  b.add("b", "");
  EXPECT_THROW(b.add("a", ""), keras::ValueError);
  EXPECT_THROW(b.add("b", ""), keras::ValueError);
  b.finish();
  EXPECT_THROW(b.add("c", ""), keras::ValueError);
}

TEST(SSTable, EmptyTable) {
  TableBuilder b;
  TableReader t(b.finish(), "empty");
  EXPECT_EQ(t.size(), 0u);
}

TEST(SSTable, RejectsCorruptTables) {
  expect_format_error("", "shorter than the 48-byte footer");
  expect_format_error(kExampleIndex.substr(0, 47), "shorter than the 48-byte footer");
  expect_format_error(kExampleIndex.substr(0, 100), "magic");
  expect_format_error(kExampleIndex.substr(20), "lies outside");  // footer intact, blocks gone
  std::string bad_magic = kExampleIndex;
  bad_magic[120] ^= 1;
  expect_format_error(bad_magic, "bad magic number");

  std::string flipped = kExampleIndex;
  flipped[12] ^= 0x20;  // the key "v" inside the data block
  expect_format_error(flipped, "data block at offset 0 has checksum");
  std::string flipped_index = kExampleIndex;
  flipped_index[58] ^= 1;  // the index block's key "w"
  expect_format_error(flipped_index, "index block at offset 54 has checksum");

  std::string handle = kExampleIndex;
  handle[73 + 2] = 0x7f;  // index handle size 14 -> 127: past the footer
  expect_format_error(handle, "lies outside");

  // A block with a valid CRC whose restart count claims more than it holds.
  std::string block = from_hex("00 00 00 00 ff 00 00 00");
  const char type = 0;
  std::string table = block;
  table.push_back(type);
  const uint32_t crc =
      keras::io::crc32c::mask(keras::io::crc32c::extend(keras::io::crc32c::value(block), &type, 1));
  for (int i = 0; i < 4; ++i) table.push_back(static_cast<char>(crc >> (8 * i)));
  std::string footer = from_hex("00 08 00 08");  // metaindex and index: the same block
  footer.resize(40, '\0');
  footer += kExampleIndex.substr(113);
  expect_format_error(table + footer, "restart points");
}

TEST(SSTable, EveryFlippedByteOrTruncationIsCaught) {
  // The CRCs catch any single corrupted byte in a block; footer damage is caught by the magic
  // or the handle checks — or yields a table that still parses (zero padding).
  for (size_t i = 0; i < kExampleIndex.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80}) {
      std::string c = kExampleIndex;
      c[i] = static_cast<char>(c[i] ^ flip);
      try {
        TableReader t(c, "t.index");
        EXPECT_GE(i, 73u) << "corruption at byte " << i << " went unnoticed";
      } catch (const keras::FileFormatError&) {
      }
    }
  }
  for (size_t n = 0; n < kExampleIndex.size(); ++n)
    EXPECT_THROW(TableReader(kExampleIndex.substr(0, n), "t"), keras::FileFormatError);
}
