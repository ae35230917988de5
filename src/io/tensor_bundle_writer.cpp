// BundleWriter: writes a single-shard tensor bundle exactly as tensorflow::BundleWriter does.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "keras/core/errors.hpp"
#include "keras/io/crc32c.hpp"
#include "keras/io/protobuf_wire.hpp"
#include "keras/io/sstable.hpp"
#include "keras/io/tensor_bundle.hpp"

#include "keras/io/atomic_file.hpp"

namespace keras::io {
namespace {

constexpr int32_t kBundleVersion = 1;  // kTensorBundleVersion: VersionDef.producer

std::string shard_path(const std::string& prefix) { return prefix + ".data-00000-of-00001"; }

[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  throw IOError(what + " '" + path + "': " + std::strerror(errno) + ".");
}

// Writes `bytes` to `path` and flushes them to disk.
void write_file_synced(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) io_error("Unable to create", path);
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() &&
                  std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const int saved = errno;
  if (std::fclose(f) != 0 || !ok) {
    errno = ok ? errno : saved;
    std::remove(path.c_str());
    io_error("Error writing", path);
  }
}

std::string encode_shape(const Shape& shape) {
  pb::WireWriter w;
  for (int64_t d : shape) {
    pb::WireWriter dim;
    if (d != 0) dim.write_int64(1, d);
    w.write_bytes(2, dim.data());
  }
  return w.take();
}

}  // namespace

BundleWriter::BundleWriter(std::string prefix) : prefix_(std::move(prefix)) {
  const std::filesystem::path parent = std::filesystem::path(prefix_).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec)
    throw IOError("Unable to create directory '" + parent.string() + "': " + ec.message() + ".");
  data_tmp_ = temp_sibling(shard_path(prefix_));
  data_ = std::fopen(data_tmp_.c_str(), "wb");
  if (!data_) io_error("Unable to create checkpoint data file", data_tmp_);
}

BundleWriter::~BundleWriter() {
  if (!finished_) abandon();
}

void BundleWriter::abandon() noexcept {
  if (data_) std::fclose(data_);
  data_ = nullptr;
  if (!data_tmp_.empty()) std::remove(data_tmp_.c_str());
  finished_ = true;
}

void BundleWriter::check_key(const std::string& key) const {
  if (finished_) throw ValueError("BundleWriter: add() after finish() for key '" + key + "'.");
  if (key.empty())
    throw ValueError("BundleWriter: the empty key is reserved for the bundle header.");
  if (entries_.count(key))
    throw ValueError("BundleWriter: key '" + key + "' was added twice to '" + prefix_ + "'.");
}

void BundleWriter::append(const void* bytes, size_t n) {
  if (n && std::fwrite(bytes, 1, n, data_) != n) io_error("Error writing", data_tmp_);
  data_size_ += static_cast<int64_t>(n);
}

void BundleWriter::record(const std::string& key, DataType dtype, const Shape& shape,
                          int64_t offset, uint32_t crc) {
  // BundleEntryProto, proto3 style: field order, defaults omitted, shape always present.
  pb::WireWriter w;
  w.write_int32(1, static_cast<int32_t>(dtype));
  w.write_bytes(2, encode_shape(shape));
  if (offset != 0) w.write_int64(4, offset);
  if (data_size_ - offset != 0) w.write_int64(5, data_size_ - offset);
  const uint32_t masked = crc32c::mask(crc);
  if (masked != 0) w.write_fixed32(6, masked);
  entries_.emplace(key, w.take());
}

void BundleWriter::add(const std::string& key, const Tensor& tensor) {
  check_key(key);
  if (!tensor.defined()) throw ValueError("BundleWriter: key '" + key + "' has no tensor.");
  const int64_t offset = data_size_;
  uint32_t crc = 0;
  if (tensor.dtype() != DType::string) {
    crc = crc32c::value(tensor.raw_data(), tensor.nbytes());
    append(tensor.raw_data(), tensor.nbytes());
  } else {
    // Lengths as varints, CRC'd as uint32 (uint64 when larger) — TF's backward-compatible rule.
    const std::string* strings = tensor.data<std::string>();
    std::string lengths;
    for (int64_t i = 0; i < tensor.size(); ++i) {
      const uint64_t len = strings[i].size();
      pb::put_varint(&lengths, len);
      uint8_t le[8];
      for (int b = 0; b < 8; ++b) le[b] = static_cast<uint8_t>(len >> (8 * b));
      crc = crc32c::extend(crc, le, len > UINT32_MAX ? 8 : 4);
    }
    append(lengths.data(), lengths.size());
    const uint32_t masked = crc32c::mask(crc);
    uint8_t m[4];
    for (int b = 0; b < 4; ++b) m[b] = static_cast<uint8_t>(masked >> (8 * b));
    append(m, 4);
    crc = crc32c::extend(crc, m, 4);
    for (int64_t i = 0; i < tensor.size(); ++i) {
      append(strings[i].data(), strings[i].size());
      crc = crc32c::extend(crc, strings[i]);
    }
  }
  record(key, from_keras_dtype(tensor.dtype()), tensor.shape(), offset, crc);
}

void BundleWriter::add_variant(const std::string& key, const Shape& shape,
                               const std::vector<std::string>& elements) {
  check_key(key);
  if (shape_size(shape) != static_cast<int64_t>(elements.size()))
    throw ValueError("BundleWriter: variant key '" + key + "' has shape " + shape_str(shape) +
                     " but " + std::to_string(elements.size()) + " elements.");
  const int64_t offset = data_size_;
  uint32_t crc = 0;
  for (const std::string& elem : elements) {
    std::string len;
    pb::put_varint(&len, elem.size());
    append(len.data(), len.size());
    uint8_t le[8];
    for (int b = 0; b < 8; ++b) le[b] = static_cast<uint8_t>(uint64_t{elem.size()} >> (8 * b));
    crc = crc32c::extend(crc, le, 8);
    append(elem.data(), elem.size());
    crc = crc32c::extend(crc, elem);
    const uint32_t masked = crc32c::mask(crc);
    uint8_t m[4];
    for (int b = 0; b < 4; ++b) m[b] = static_cast<uint8_t>(masked >> (8 * b));
    append(m, 4);
    crc = crc32c::extend(crc, m, 4);
  }
  record(key, DataType::DT_VARIANT, shape, offset, crc);
}

void BundleWriter::finish() {
  if (finished_) throw ValueError("BundleWriter::finish: called twice for '" + prefix_ + "'.");
  std::string index_tmp;
  try {
    const bool ok = std::fflush(data_) == 0 && ::fsync(::fileno(data_)) == 0;
    const int saved = errno;
    const bool closed = std::fclose(data_) == 0;
    data_ = nullptr;
    if (!ok || !closed) {
      if (!ok) errno = saved;
      io_error("Error writing", data_tmp_);
    }

    TableBuilder table;
    pb::WireWriter header;  // BundleHeaderProto{num_shards: 1, endianness: LITTLE, version}
    header.write_int32(1, 1);
    pb::WireWriter version;
    version.write_int32(1, kBundleVersion);
    header.write_bytes(3, version.data());
    table.add("", header.data());
    for (const auto& [key, value] : entries_) table.add(key, value);
    const std::string index_path = prefix_ + ".index";
    index_tmp = temp_sibling(index_path);
    write_file_synced(index_tmp, table.finish());

    // The index rename is the commit point (as in TF): the data file goes first so that the
    // new index never names a data file that is not there yet.
    if (std::rename(data_tmp_.c_str(), shard_path(prefix_).c_str()) != 0)
      io_error("Unable to rename into place", shard_path(prefix_));
    data_tmp_.clear();
    if (std::rename(index_tmp.c_str(), index_path.c_str()) != 0)
      io_error("Unable to rename into place", index_path);
    index_tmp.clear();
    finished_ = true;
  } catch (...) {
    if (!index_tmp.empty()) std::remove(index_tmp.c_str());
    abandon();
    throw;
  }
}

}  // namespace keras::io
