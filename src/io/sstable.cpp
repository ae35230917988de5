// SSTable reader and builder (layout in keras/io/sstable.hpp).
#include "keras/io/sstable.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "keras/core/errors.hpp"
#include "keras/io/crc32c.hpp"
#include "keras/io/protobuf_wire.hpp"
#include "keras/io/snappy.hpp"

namespace keras::io {
namespace {

// Snappy blocks are expanded in memory; a block bigger than this is not a checkpoint index.
constexpr size_t kMaxUncompressedBlock = size_t{1} << 30;

uint32_t load_le32(const char* p) {
  const auto* b = reinterpret_cast<const uint8_t*>(p);
  return b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
}

void put_le32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

struct Handle {
  uint64_t offset = 0;
  uint64_t size = 0;
};

class Parser {
 public:
  Parser(std::string_view file, const std::string& name) : file_(file), name_(name) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw FileFormatError("Corrupt SSTable '" + name_ + "': " + problem + ".");
  }

  Handle decode_handle(std::string_view* in, const char* which) const {
    Handle h;
    if (!pb::get_varint(in, &h.offset) || !pb::get_varint(in, &h.size))
      fail(std::string("malformed ") + which + " block handle");
    // Blocks lie before the footer; checked without overflow.
    const uint64_t limit = file_.size() - kTableFooterSize;
    if (h.offset > limit || h.size > limit - h.offset ||
        kBlockTrailerSize > limit - h.offset - h.size)
      fail(std::string(which) + " block handle (offset " + std::to_string(h.offset) + ", size " +
           std::to_string(h.size) + ") lies outside the " + std::to_string(file_.size()) +
           "-byte file");
    return h;
  }

  // The block's contents after checking its CRC and decompressing it.
  std::string read_block(const Handle& h, const char* which, BlockCompression* type_out) const {
    const char* p = file_.data() + h.offset;
    std::string_view stored(p, h.size);
    const uint8_t type = static_cast<uint8_t>(p[h.size]);
    const uint32_t expected = crc32c::unmask(load_le32(p + h.size + 1));
    const uint32_t actual = crc32c::extend(crc32c::value(stored), p + h.size, 1);
    if (actual != expected)
      fail(std::string(which) + " block at offset " + std::to_string(h.offset) + " has checksum " +
           hex32(actual) + ", expected " + hex32(expected));
    if (type_out) *type_out = static_cast<BlockCompression>(type);
    if (type == 0) return std::string(stored);
    if (type == 1)
      return snappy::uncompress(
          stored, kMaxUncompressedBlock,
          "SSTable '" + name_ + "' " + which + " block at offset " + std::to_string(h.offset));
    fail(std::string(which) + " block at offset " + std::to_string(h.offset) +
         " has unknown compression type " + std::to_string(type));
  }

  // Calls fn(key, value) for every entry of a block, checking its structure.
  template <typename Fn>
  void for_each_entry(std::string_view block, const char* which, Fn&& fn) const {
    const std::string where = std::string(which) + " block";
    if (block.size() < 4) fail(where + " is shorter than its restart count");
    const uint64_t num_restarts = load_le32(block.data() + block.size() - 4);
    if (num_restarts > (block.size() - 4) / 4)
      fail(where + " claims " + std::to_string(num_restarts) + " restart points in " +
           std::to_string(block.size()) + " bytes");
    const size_t data_end = block.size() - 4 - 4 * num_restarts;
    const char* restarts = block.data() + data_end;

    std::string key;
    size_t pos = 0;
    uint64_t next_restart = 0;
    while (pos < data_end) {
      std::string_view in = block.substr(pos, data_end - pos);
      uint32_t shared, unshared, value_len;
      if (!pb::get_varint32(&in, &shared) || !pb::get_varint32(&in, &unshared) ||
          !pb::get_varint32(&in, &value_len))
        fail(where + ": malformed entry header at byte " + std::to_string(pos));
      if (shared > key.size() || unshared > in.size() || value_len > in.size() - unshared)
        fail(where + ": entry at byte " + std::to_string(pos) + " overruns its block or key");
      if (next_restart < num_restarts && load_le32(restarts + 4 * next_restart) == pos) {
        if (shared != 0)
          fail(where + ": restart point at byte " + std::to_string(pos) +
               " has a shared key prefix");
        ++next_restart;
      }
      key.resize(shared);
      key.append(in.data(), unshared);
      fn(key, in.substr(unshared, value_len));
      pos = data_end - (in.size() - unshared - value_len);
    }
    // An empty block still has restart[0] = 0; otherwise every restart must hit an entry start.
    const bool empty_ok =
        data_end == 0 && num_restarts <= 1 && (num_restarts == 0 || load_le32(restarts) == 0);
    if (next_restart != num_restarts && !empty_ok)
      fail(where + ": restart array does not match the entries");
  }

  std::string_view file_;
  const std::string& name_;
};

}  // namespace

// ---------------------------------------------------------------- TableReader

TableReader TableReader::open(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f)
    throw IOError("Unable to open SSTable file '" + path + "': " + std::strerror(errno) + ".");
  const std::streamoff size = f.tellg();
  std::string bytes(size > 0 ? static_cast<size_t>(size) : 0, '\0');
  f.seekg(0);
  if (size < 0 || !f.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw IOError("Error reading SSTable file '" + path + "'.");
  return TableReader(bytes, path);
}

TableReader::TableReader(std::string_view file, std::string name) : name_(std::move(name)) {
  Parser parser(file, name_);
  if (file.size() < kTableFooterSize)
    parser.fail("file is " + std::to_string(file.size()) + " bytes, shorter than the " +
                std::to_string(kTableFooterSize) + "-byte footer");
  const char* footer = file.data() + file.size() - kTableFooterSize;
  const uint64_t magic =
      (static_cast<uint64_t>(load_le32(footer + 44)) << 32) | load_le32(footer + 40);
  if (magic != kTableMagicNumber) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(magic));
    parser.fail(std::string("bad magic number ") + buf + ", expected 0xdb4775248b80fb57");
  }
  std::string_view handles(footer, 40);
  const Handle meta_handle = parser.decode_handle(&handles, "metaindex");
  const Handle index_handle = parser.decode_handle(&handles, "index");
  // TF stores nothing in the metaindex (no filter), but its bytes are still checked.
  parser.for_each_entry(parser.read_block(meta_handle, "metaindex", nullptr), "metaindex",
                        [](const std::string&, std::string_view) {});

  const std::string index = parser.read_block(index_handle, "index", nullptr);
  std::vector<std::pair<std::string, Handle>> blocks;
  parser.for_each_entry(index, "index", [&](const std::string& key, std::string_view value) {
    if (!blocks.empty() && key <= blocks.back().first)
      parser.fail("index keys are not in increasing order");
    blocks.emplace_back(key, parser.decode_handle(&value, "data"));
  });

  for (const auto& [separator, handle] : blocks) {
    BlockCompression type;
    const std::string block = parser.read_block(handle, "data", &type);
    data_block_types_.push_back(type);
    bool any = false;
    parser.for_each_entry(block, "data", [&](const std::string& key, std::string_view value) {
      if (!entries_.empty() && key <= entries_.back().first)
        parser.fail("keys are not in strictly increasing order at key '" + key + "'");
      entries_.emplace_back(key, std::string(value));
      any = true;
    });
    if (any && entries_.back().first > separator)
      parser.fail("index key is smaller than the last key of its data block");
  }
}

std::optional<std::string_view> TableReader::get(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  if (it == entries_.end() || it->first != key) return std::nullopt;
  return std::string_view(it->second);
}

// ---------------------------------------------------------------- TableBuilder

// LevelDB's BlockBuilder: prefix-compressed entries with a restart point every `interval`.
class TableBuilder::BlockBuilder {
 public:
  explicit BlockBuilder(int interval) : interval_(interval) { restarts_.push_back(0); }

  void add(std::string_view key, std::string_view value) {
    size_t shared = 0;
    if (counter_ < interval_) {
      const size_t n = std::min(last_key_.size(), key.size());
      while (shared < n && last_key_[shared] == key[shared]) ++shared;
    } else {
      restarts_.push_back(static_cast<uint32_t>(buffer_.size()));
      counter_ = 0;
    }
    pb::put_varint(&buffer_, shared);
    pb::put_varint(&buffer_, key.size() - shared);
    pb::put_varint(&buffer_, value.size());
    buffer_.append(key.substr(shared));
    buffer_.append(value);
    last_key_.assign(key);
    ++counter_;
  }

  size_t size_estimate() const { return buffer_.size() + restarts_.size() * 4 + 4; }
  bool empty() const { return buffer_.empty(); }

  // The finished block; the builder is reset for the next one.
  std::string finish() {
    std::string out = std::move(buffer_);
    for (uint32_t r : restarts_) put_le32(&out, r);
    put_le32(&out, static_cast<uint32_t>(restarts_.size()));
    buffer_.clear();
    restarts_.assign(1, 0);
    counter_ = 0;
    last_key_.clear();
    return out;
  }

 private:
  int interval_;
  std::string buffer_;
  std::vector<uint32_t> restarts_;
  int counter_ = 0;
  std::string last_key_;
};

namespace {

// Shortens *start to a key in [*start, limit) when one byte can be bumped (TF/LevelDB rule).
void find_shortest_separator(std::string* start, std::string_view limit) {
  const size_t n = std::min(start->size(), limit.size());
  size_t i = 0;
  while (i < n && (*start)[i] == limit[i]) ++i;
  if (i >= n) return;  // one is a prefix of the other
  const uint8_t byte = static_cast<uint8_t>((*start)[i]);
  if (byte < 0xff && byte + 1 < static_cast<uint8_t>(limit[i])) {
    (*start)[i] = static_cast<char>(byte + 1);
    start->resize(i + 1);
  }
}

// Shortens *key to a short key >= it: bump the first byte that is not 0xff, drop the rest.
void find_short_successor(std::string* key) {
  for (size_t i = 0; i < key->size(); ++i) {
    if (static_cast<uint8_t>((*key)[i]) != 0xff) {
      (*key)[i] = static_cast<char>(static_cast<uint8_t>((*key)[i]) + 1);
      key->resize(i + 1);
      return;
    }
  }
}

std::string encode_handle(uint64_t offset, uint64_t size) {
  std::string s;
  pb::put_varint(&s, offset);
  pb::put_varint(&s, size);
  return s;
}

}  // namespace

TableBuilder::TableBuilder() : TableBuilder(Options{}) {}

TableBuilder::TableBuilder(Options options)
    : options_(options),
      data_block_(std::make_unique<BlockBuilder>(std::max(1, options.block_restart_interval))),
      index_block_(std::make_unique<BlockBuilder>(1)) {}

TableBuilder::~TableBuilder() = default;

void TableBuilder::add(std::string_view key, std::string_view value) {
  if (finished_) throw ValueError("TableBuilder::add: called after finish().");
  if (num_entries_ > 0) {
    if (!(key > std::string_view(last_key_)))
      throw ValueError(
          "TableBuilder::add: keys must be added in strictly increasing order; "
          "received '" +
          std::string(key) + "' after '" + last_key_ + "'.");
    // An entry at least twice the block size gets a block of its own (TF's rule).
    if (key.size() + value.size() >= 2 * options_.block_size) flush();
  }
  if (pending_index_entry_) {
    find_shortest_separator(&last_key_, key);
    index_block_->add(last_key_, encode_handle(pending_offset_, pending_size_));
    pending_index_entry_ = false;
  }
  last_key_.assign(key);
  ++num_entries_;
  data_block_->add(key, value);
  if (data_block_->size_estimate() >= options_.block_size) flush();
}

void TableBuilder::flush() {
  if (data_block_->empty()) return;
  write_block(data_block_.get(), &pending_offset_, &pending_size_);
  pending_index_entry_ = true;
}

void TableBuilder::write_block(BlockBuilder* block, uint64_t* offset, uint64_t* size) {
  const std::string contents = block->finish();
  *offset = out_.size();
  *size = contents.size();
  out_ += contents;
  const char type = 0;  // kNoCompression, as TF writes checkpoints
  out_.push_back(type);
  put_le32(&out_, crc32c::mask(crc32c::extend(crc32c::value(contents), &type, 1)));
}

std::string TableBuilder::finish() {
  if (finished_) throw ValueError("TableBuilder::finish: called twice.");
  flush();
  finished_ = true;
  uint64_t meta_offset, meta_size, index_offset, index_size;
  BlockBuilder metaindex(options_.block_restart_interval);
  write_block(&metaindex, &meta_offset, &meta_size);
  if (pending_index_entry_) {
    find_short_successor(&last_key_);
    index_block_->add(last_key_, encode_handle(pending_offset_, pending_size_));
    pending_index_entry_ = false;
  }
  write_block(index_block_.get(), &index_offset, &index_size);

  std::string footer = encode_handle(meta_offset, meta_size);
  footer += encode_handle(index_offset, index_size);
  footer.resize(40, '\0');
  put_le32(&footer, static_cast<uint32_t>(kTableMagicNumber));
  put_le32(&footer, static_cast<uint32_t>(kTableMagicNumber >> 32));
  out_ += footer;
  return std::move(out_);
}

}  // namespace keras::io
