// SSTable: LevelDB's table format as TensorFlow writes it for a checkpoint's `.index` file
// (tensorflow/core/lib/io/table_builder.cc, format.cc, block.cc).
//
//   file   := [data block][trailer]* [metaindex block][trailer] [index block][trailer] footer
//   block  := entry* restart[num_restarts] (uint32 LE) num_restarts (uint32 LE)
//   entry  := varint32 shared | varint32 unshared | varint32 value_len | key[shared:] | value
//             (key = previous key's first `shared` bytes + the `unshared` bytes; shared = 0 at a
//             restart point; data blocks restart every 16 entries, the index block every entry)
//   trailer:= type (1 byte: 0 none, 1 snappy) | masked crc32c(stored block bytes + type) (LE)
//   index block: key >= every key of a data block and < the next block's, value = BlockHandle
//   BlockHandle := varint64 offset | varint64 size (size excludes the trailer)
//   footer := metaindex handle | index handle | zero padding to 40 bytes |
//             magic 0xdb4775248b80fb57 (LE uint64) — 48 bytes in all
//
// TensorFlow writes no filter block, an empty metaindex block and (for checkpoints)
// uncompressed blocks; the reader also accepts snappy blocks, which TF 1.x SavedModels contain.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keras::io {

inline constexpr uint64_t kTableMagicNumber = 0xdb4775248b80fb57ull;
inline constexpr size_t kTableFooterSize = 48;
inline constexpr size_t kBlockTrailerSize = 5;

enum class BlockCompression : uint8_t { none = 0, snappy = 1 };

// Reads a whole table into memory (checkpoint index files are small: ~100 bytes per tensor)
// and verifies it: footer magic, every block handle against the file size, every block's CRC,
// block structure (restart array, shared-prefix bounds) and strictly increasing keys.
// Tensorflow's table::Table / LevelDB's leveldb::Table.
class TableReader {
 public:
  // Reads the file at `path`. Throws IOError when it cannot be read, FileFormatError naming the
  // file when its bytes are not a valid table.
  static TableReader open(const std::string& path);
  // Parses `bytes`; `name` names the table in error messages.
  TableReader(std::string_view bytes, std::string name);

  // Every key/value pair in key order (bytewise, unsigned).
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  // The value stored under `key`, or nullopt.
  std::optional<std::string_view> get(std::string_view key) const;
  // Compression type of each data block, in file order.
  const std::vector<BlockCompression>& data_block_types() const { return data_block_types_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::vector<std::pair<std::string, std::string>> entries_;
  std::vector<BlockCompression> data_block_types_;
};

// Builds a table in memory with TensorFlow's defaults: uncompressed blocks, 256 KiB data-block
// target, restart interval 16 (index: 1), index keys shortened as TF does (shortest separator
// between adjacent blocks, short successor after the last), empty metaindex, no filter.
// The bytes are identical to what tensorflow::table::TableBuilder writes with those options
// (tests rebuild the corpus' TF-written index files byte for byte).
class TableBuilder {
 public:
  struct Options {
    size_t block_size = 262144;
    int block_restart_interval = 16;
  };

  TableBuilder();
  explicit TableBuilder(Options options);
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;
  ~TableBuilder();

  // REQUIRES: key > every key added before (bytewise); throws ValueError otherwise.
  void add(std::string_view key, std::string_view value);
  // Writes the remaining blocks and the footer and returns the whole file. No add() after.
  std::string finish();
  size_t num_entries() const { return num_entries_; }

 private:
  class BlockBuilder;
  void flush();
  void write_block(BlockBuilder* block, uint64_t* offset, uint64_t* size);

  Options options_;
  std::string out_;
  std::unique_ptr<BlockBuilder> data_block_;
  std::unique_ptr<BlockBuilder> index_block_;
  std::string last_key_;
  size_t num_entries_ = 0;
  bool pending_index_entry_ = false;
  uint64_t pending_offset_ = 0;
  uint64_t pending_size_ = 0;
  bool finished_ = false;
};

}  // namespace keras::io
