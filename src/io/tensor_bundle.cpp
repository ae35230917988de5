// Tensor bundle dtypes and BundleReader (layout in keras/io/tensor_bundle.hpp).
#include "keras/io/tensor_bundle.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "keras/core/errors.hpp"
#include "keras/io/crc32c.hpp"
#include "keras/io/protobuf_wire.hpp"
#include "keras/io/sstable.hpp"

namespace keras::io {
namespace {

// Shard file names have a 5-digit count; the bound also caps the per-shard tables.
constexpr int64_t kMaxShards = 99999;
// TensorShape's own limit (tensorflow/core/framework/tensor_shape.h).
constexpr size_t kMaxRank = 254;
// The reader's version (kTensorBundleVersion) and oldest producer it accepts.
constexpr int32_t kBundleVersion = 1;
constexpr int32_t kBundleMinProducer = 0;

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

struct DataTypeInfo {
  const char* name;
  size_t size;
  std::optional<DType> keras;
};

// Indexed by the DataType wire value.
const DataTypeInfo kDataTypes[] = {
    {"DT_INVALID", 0, std::nullopt},             // 0
    {"DT_FLOAT", 4, DType::float32},             // 1
    {"DT_DOUBLE", 8, DType::float64},            // 2
    {"DT_INT32", 4, DType::int32},               // 3
    {"DT_UINT8", 1, DType::uint8},               // 4
    {"DT_INT16", 2, DType::int16},               // 5
    {"DT_INT8", 1, DType::int8},                 // 6
    {"DT_STRING", 0, DType::string},             // 7
    {"DT_COMPLEX64", 8, std::nullopt},           // 8
    {"DT_INT64", 8, DType::int64},               // 9
    {"DT_BOOL", 1, DType::bool_},                // 10
    {"DT_QINT8", 1, std::nullopt},               // 11
    {"DT_QUINT8", 1, std::nullopt},              // 12
    {"DT_QINT32", 4, std::nullopt},              // 13
    {"DT_BFLOAT16", 2, DType::bfloat16},         // 14
    {"DT_QINT16", 2, std::nullopt},              // 15
    {"DT_QUINT16", 2, std::nullopt},             // 16
    {"DT_UINT16", 2, std::nullopt},              // 17
    {"DT_COMPLEX128", 16, std::nullopt},         // 18
    {"DT_HALF", 2, DType::float16},              // 19
    {"DT_RESOURCE", 0, std::nullopt},            // 20
    {"DT_VARIANT", 0, std::nullopt},             // 21
    {"DT_UINT32", 4, std::nullopt},              // 22
    {"DT_UINT64", 8, std::nullopt},              // 23
    {"DT_FLOAT8_E5M2", 1, std::nullopt},         // 24
    {"DT_FLOAT8_E4M3FN", 1, std::nullopt},       // 25
    {"DT_FLOAT8_E4M3FNUZ", 1, std::nullopt},     // 26
    {"DT_FLOAT8_E4M3B11FNUZ", 1, std::nullopt},  // 27
    {"DT_FLOAT8_E5M2FNUZ", 1, std::nullopt},     // 28
    {"DT_INT4", 0, std::nullopt},                // 29
    {"DT_UINT4", 0, std::nullopt},               // 30
};

DataTypeInfo info(DataType dtype) {
  const auto i = static_cast<size_t>(static_cast<uint32_t>(dtype));
  if (i >= std::size(kDataTypes)) return {nullptr, 0, std::nullopt};
  return kDataTypes[i];
}

[[noreturn]] void index_error(const std::string& path, const std::string& key,
                              const std::string& problem) {
  throw FileFormatError("Corrupt checkpoint index '" + path + "'" +
                        (key.empty() ? std::string(" header") : ", key '" + key + "'") + ": " +
                        problem + ".");
}

[[noreturn]] void data_error(const std::string& path, const std::string& key,
                             const std::string& problem) {
  throw FileFormatError("Corrupt checkpoint data file '" + path + "', key '" + key +
                        "': " + problem + ".");
}

void check_crc(const std::string& path, const std::string& key, uint32_t computed,
               uint32_t masked_stored) {
  const uint32_t stored = crc32c::unmask(masked_stored);
  if (computed != stored)
    data_error(path, key,
               "checksum mismatch: computed crc32c " + hex32(computed) + ", the index records " +
                   hex32(stored));
}

// The bytes a writer with the header's byte order fed the CRC for one length.
uint32_t extend_length(uint32_t crc, uint64_t len, bool big_endian, bool as_uint64) {
  const int n = as_uint64 ? 8 : 4;
  uint8_t b[8];
  for (int i = 0; i < n; ++i) b[big_endian ? n - 1 - i : i] = static_cast<uint8_t>(len >> (8 * i));
  return crc32c::extend(crc, b, n);
}

uint32_t load_le32(const char* p) {
  const auto* b = reinterpret_cast<const uint8_t*>(p);
  return b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
}

// Element count with overflow detection; -1 when it does not fit in int64.
int64_t checked_num_elements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (__builtin_mul_overflow(n, d, &n)) return -1;
  return n;
}

void parse_header(std::string_view value, const std::string& path, int64_t* num_shards,
                  bool* big_endian) {
  pb::WireReader r(value, "BundleHeaderProto in '" + path + "'");
  int64_t shards = 0, endianness = 0;
  int64_t producer = 0, min_consumer = 0;
  std::vector<int64_t> bad_consumers;
  while (r.next()) {
    if (r.field() == 1 && r.wire_type() == pb::WireType::varint) {
      shards = r.read_int64();
    } else if (r.field() == 2 && r.wire_type() == pb::WireType::varint) {
      endianness = r.read_int64();
    } else if (r.field() == 3 && r.wire_type() == pb::WireType::length_delimited) {
      pb::WireReader v(r.read_bytes(), "VersionDef in '" + path + "'");
      while (v.next()) {
        if (v.field() == 1 && v.wire_type() == pb::WireType::varint) {
          producer = v.read_int32();
        } else if (v.field() == 2 && v.wire_type() == pb::WireType::varint) {
          min_consumer = v.read_int32();
        } else if (v.field() == 3 && v.wire_type() == pb::WireType::varint) {
          bad_consumers.push_back(v.read_int32());
        } else if (v.field() == 3 && v.wire_type() == pb::WireType::length_delimited) {
          std::string_view packed = v.read_bytes();  // packed repeated int32
          while (!packed.empty()) {
            uint64_t x;
            if (!pb::get_varint(&packed, &x)) v.fail("malformed packed bad_consumers");
            bad_consumers.push_back(static_cast<int32_t>(x));
          }
        } else {
          v.skip();
        }
      }
    } else {
      r.skip();
    }
  }
  if (shards < 1 || shards > kMaxShards)
    index_error(path, "",
                "num_shards is " + std::to_string(shards) + ", expected 1 to " +
                    std::to_string(kMaxShards));
  if (endianness != 0 && endianness != 1)
    index_error(path, "", "unknown endianness " + std::to_string(endianness));
  if (producer < kBundleMinProducer)
    index_error(path, "",
                "producer version " + std::to_string(producer) + " is below " +
                    std::to_string(kBundleMinProducer));
  if (min_consumer > kBundleVersion)
    index_error(path, "",
                "the checkpoint needs a reader of version " + std::to_string(min_consumer) +
                    " or later; this is version " + std::to_string(kBundleVersion));
  if (std::count(bad_consumers.begin(), bad_consumers.end(), kBundleVersion))
    index_error(path, "",
                "the checkpoint disallows reader version " + std::to_string(kBundleVersion));
  *num_shards = shards;
  *big_endian = endianness == 1;
}

Shape parse_shape(std::string_view bytes, const std::string& what, bool* unknown_rank) {
  pb::WireReader r(bytes, what);
  Shape shape;
  while (r.next()) {
    if (r.field() == 2 && r.wire_type() == pb::WireType::length_delimited) {
      pb::WireReader d(r.read_bytes(), what);
      int64_t size = 0;
      while (d.next()) {
        if (d.field() == 1 && d.wire_type() == pb::WireType::varint) {
          size = d.read_int64();
        } else {
          d.skip();  // the dimension's name
        }
      }
      if (shape.size() == kMaxRank) r.fail("more than " + std::to_string(kMaxRank) + " dims");
      shape.push_back(size);
    } else if (r.field() == 3 && r.wire_type() == pb::WireType::varint) {
      *unknown_rank = r.read_bool();
    } else {
      r.skip();
    }
  }
  return shape;
}

BundleEntry parse_entry(std::string_view value, const std::string& path, const std::string& key) {
  const std::string what = "BundleEntryProto of key '" + key + "' in '" + path + "'";
  pb::WireReader r(value, what);
  BundleEntry e;
  bool unknown_rank = false;
  int64_t shard_id = 0;
  while (r.next()) {
    const auto type = r.wire_type();
    switch (r.field()) {
      case 1:
        if (type != pb::WireType::varint) break;
        e.dtype = static_cast<DataType>(r.read_int32());
        continue;
      case 2:
        if (type != pb::WireType::length_delimited) break;
        e.shape = parse_shape(r.read_bytes(), what, &unknown_rank);
        continue;
      case 3:
        if (type != pb::WireType::varint) break;
        shard_id = r.read_int64();
        continue;
      case 4:
        if (type != pb::WireType::varint) break;
        e.offset = r.read_int64();
        continue;
      case 5:
        if (type != pb::WireType::varint) break;
        e.size = r.read_int64();
        continue;
      case 6:
        if (type != pb::WireType::fixed32) break;
        e.crc32c = r.read_fixed32();
        continue;
      case 7:
        e.has_slices = true;
        break;
    }
    r.skip();
  }
  if (e.has_slices) return e;  // shard/offset/size are meaningless; read() refuses it
  if (unknown_rank) index_error(path, key, "the shape has unknown rank");
  for (int64_t d : e.shape)
    if (d < 0) index_error(path, key, "the shape " + shape_str(e.shape) + " has a negative dim");
  if (shard_id < 0 || shard_id > kMaxShards)
    index_error(path, key, "shard_id " + std::to_string(shard_id) + " is out of range");
  e.shard_id = static_cast<int32_t>(shard_id);
  if (e.offset < 0 || e.size < 0)
    index_error(
        path, key,
        "negative offset " + std::to_string(e.offset) + " or size " + std::to_string(e.size));
  const int64_t n = checked_num_elements(e.shape);
  if (n < 0) index_error(path, key, "the shape " + shape_str(e.shape) + " overflows int64");
  const size_t elem = data_type_size(e.dtype);
  if (elem != 0) {
    int64_t expected;
    if (__builtin_mul_overflow(n, static_cast<int64_t>(elem), &expected) || expected != e.size)
      index_error(path, key,
                  data_type_name(e.dtype) + " tensor of shape " + shape_str(e.shape) + " needs " +
                      std::to_string(n) + " x " + std::to_string(elem) +
                      " bytes, the entry records size " + std::to_string(e.size));
  } else if (e.dtype == DataType::DT_STRING && n > 0 && n > e.size - 4) {
    // At least one varint byte per element plus the 4-byte length checksum.
    index_error(path, key,
                "DT_STRING tensor of " + std::to_string(n) + " elements cannot fit in " +
                    std::to_string(e.size) + " bytes");
  } else if (e.dtype == DataType::DT_VARIANT && n > 0 && e.size / 5 < n) {
    index_error(path, key,
                "DT_VARIANT tensor of " + std::to_string(n) + " elements cannot fit in " +
                    std::to_string(e.size) + " bytes");
  }
  return e;
}

// Reverses the bytes of every `elem`-byte element: a big-endian bundle's values to native order.
void byteswap(void* data, size_t nbytes, size_t elem) {
  auto* p = static_cast<uint8_t*>(data);
  if (elem <= 1) return;
  for (size_t i = 0; i + elem <= nbytes; i += elem) std::reverse(p + i, p + i + elem);
}

}  // namespace

std::string data_type_name(DataType dtype) {
  const char* name = info(dtype).name;
  return name ? name : "DataType(" + std::to_string(static_cast<int32_t>(dtype)) + ")";
}

size_t data_type_size(DataType dtype) { return info(dtype).size; }

std::optional<DType> to_keras_dtype(DataType dtype) { return info(dtype).keras; }

DataType from_keras_dtype(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return DataType::DT_FLOAT;
    case DType::float64:
      return DataType::DT_DOUBLE;
    case DType::float16:
      return DataType::DT_HALF;
    case DType::bfloat16:
      return DataType::DT_BFLOAT16;
    case DType::int8:
      return DataType::DT_INT8;
    case DType::int16:
      return DataType::DT_INT16;
    case DType::int32:
      return DataType::DT_INT32;
    case DType::int64:
      return DataType::DT_INT64;
    case DType::uint8:
      return DataType::DT_UINT8;
    case DType::bool_:
      return DataType::DT_BOOL;
    case DType::string:
      return DataType::DT_STRING;
  }
  throw ValueError("from_keras_dtype: unknown dtype.");
}

// ---------------------------------------------------------------- BundleReader

BundleReader::BundleReader(std::string prefix) : prefix_(std::move(prefix)) {
  const std::string index_path = prefix_ + ".index";
  const TableReader table = TableReader::open(index_path);
  const auto& rows = table.entries();
  if (rows.empty() || !rows.front().first.empty())
    index_error(index_path, "", "the header entry (empty key) is missing");
  int64_t num_shards;
  parse_header(rows.front().second, index_path, &num_shards, &big_endian_);
  num_shards_ = static_cast<int32_t>(num_shards);
  for (size_t i = 1; i < rows.size(); ++i) {
    BundleEntry e = parse_entry(rows[i].second, index_path, rows[i].first);
    if (!e.has_slices && e.shard_id >= num_shards_)
      index_error(index_path, rows[i].first,
                  "shard_id " + std::to_string(e.shard_id) + " but the bundle has " +
                      std::to_string(num_shards_) + " shards");
    entries_.emplace_hint(entries_.end(), rows[i].first, std::move(e));
  }

  // Open every shard an entry uses, so a missing data file is reported now, by name.
  fds_.assign(num_shards_, -1);
  shard_sizes_.assign(num_shards_, 0);
  try {
    for (const auto& [key, e] : entries_) {
      if (e.has_slices) continue;
      const int32_t s = e.shard_id;
      const std::string path = data_path(s);
      if (fds_[s] < 0) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
          throw IOError("Unable to open checkpoint data file '" + path + "' (needed for key '" +
                        key + "'): " + std::strerror(errno) + ".");
        fds_[s] = fd;
        struct stat st;
        if (::fstat(fd, &st) != 0)
          throw IOError("Unable to stat '" + path + "': " + std::strerror(errno) + ".");
        shard_sizes_[s] = st.st_size;
      }
      if (e.offset > shard_sizes_[s] || e.size > shard_sizes_[s] - e.offset)
        data_error(path, key,
                   "bytes [" + std::to_string(e.offset) + ", " + std::to_string(e.offset) + " + " +
                       std::to_string(e.size) + ") lie past the end of the " +
                       std::to_string(shard_sizes_[s]) + "-byte file");
    }
  } catch (...) {
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
    throw;
  }
}

BundleReader::~BundleReader() {
  for (int fd : fds_)
    if (fd >= 0) ::close(fd);
}

BundleReader::BundleReader(BundleReader&& other) noexcept
    : prefix_(std::move(other.prefix_)),
      num_shards_(other.num_shards_),
      big_endian_(other.big_endian_),
      entries_(std::move(other.entries_)),
      fds_(std::move(other.fds_)),
      shard_sizes_(std::move(other.shard_sizes_)) {
  other.fds_.clear();
}

BundleReader& BundleReader::operator=(BundleReader&& other) noexcept {
  if (this != &other) {
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
    prefix_ = std::move(other.prefix_);
    num_shards_ = other.num_shards_;
    big_endian_ = other.big_endian_;
    entries_ = std::move(other.entries_);
    fds_ = std::move(other.fds_);
    shard_sizes_ = std::move(other.shard_sizes_);
    other.fds_.clear();
  }
  return *this;
}

std::string BundleReader::data_path(int32_t shard_id) const {
  char buf[48];
  std::snprintf(buf, sizeof buf, ".data-%05d-of-%05d", shard_id, num_shards_);
  return prefix_ + buf;
}

std::vector<std::string> BundleReader::keys() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& kv : entries_) out.push_back(kv.first);
  return out;
}

const BundleEntry& BundleReader::entry(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end())
    throw ValueError("Key '" + key + "' not found in checkpoint '" + prefix_ + "'.");
  return it->second;
}

void BundleReader::pread_exact(const std::string& key, const BundleEntry& e, void* dst) const {
  if (e.has_slices)
    throw NotImplementedError("Checkpoint '" + prefix_ + "': key '" + key +
                              "' is a partitioned (sliced) tensor, which is not supported.");
  auto* out = static_cast<char*>(dst);
  int64_t done = 0;
  while (done < e.size) {
    const ssize_t got = ::pread(fds_[e.shard_id], out + done, e.size - done, e.offset + done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0)
      throw IOError("Error reading '" + data_path(e.shard_id) + "' (key '" + key +
                    "'): " + std::strerror(errno) + ".");
    if (got == 0) data_error(data_path(e.shard_id), key, "the file ends early (it shrank?)");
    done += got;
  }
}

std::string BundleReader::read_bytes(const std::string& key, const BundleEntry& e) const {
  std::string buf(static_cast<size_t>(e.size), '\0');
  pread_exact(key, e, buf.data());
  return buf;
}

std::string BundleReader::read_raw(const std::string& key) const {
  const BundleEntry& e = entry(key);
  // The entry CRC of strings and variants is not over the stored bytes: decoding verifies it.
  if (e.dtype == DataType::DT_STRING) read(key);
  if (e.dtype == DataType::DT_VARIANT) read_variant(key);
  std::string bytes = read_bytes(key, e);
  if (e.dtype != DataType::DT_STRING && e.dtype != DataType::DT_VARIANT)
    check_crc(data_path(e.shard_id), key, crc32c::value(bytes), e.crc32c);
  return bytes;
}

Tensor BundleReader::read(const std::string& key) const {
  const BundleEntry& e = entry(key);
  const std::string path = data_path(e.shard_id);
  if (e.dtype == DataType::DT_VARIANT)
    throw TypeError("Checkpoint '" + prefix_ + "': key '" + key +
                    "' is DT_VARIANT; read it with read_variant().");
  const std::optional<DType> kd = to_keras_dtype(e.dtype);
  if (!kd)
    throw NotImplementedError("Checkpoint '" + prefix_ + "': key '" + key + "' has dtype " +
                              data_type_name(e.dtype) +
                              ", which has no keras dtype; read its bytes with read_raw().");
  const int64_t n = checked_num_elements(e.shape);  // validated when the index was read

  if (e.dtype != DataType::DT_STRING) {
    Tensor t = Tensor::empty(e.shape, *kd);
    pread_exact(key, e, t.raw_data());
    check_crc(path, key, crc32c::value(t.raw_data(), e.size), e.crc32c);
    if (big_endian_) byteswap(t.raw_data(), e.size, data_type_size(e.dtype));
    if (e.dtype == DataType::DT_BOOL) {  // a byte other than 0/1 is not a valid C++ bool
      auto* b = static_cast<uint8_t*>(t.raw_data());
      for (int64_t i = 0; i < n; ++i) b[i] = b[i] != 0;
    }
    return t;
  }

  // DT_STRING: lengths, their checksum, then the bytes.
  const std::string buf = read_bytes(key, e);
  Tensor t = Tensor::empty(e.shape, DType::string);
  if (n == 0 && (e.size == 0 || e.size == 4)) {
    if (e.size == 4) check_crc(path, key, crc32c::extend(0, buf.data(), 4), e.crc32c);
    return t;
  }
  std::string_view in(buf);
  std::vector<uint64_t> lengths(static_cast<size_t>(n));
  uint32_t crc = 0;
  uint64_t total = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!pb::get_varint(&in, &lengths[i]))
      data_error(path, key, "malformed length of string element " + std::to_string(i));
    if (lengths[i] > static_cast<uint64_t>(e.size))
      data_error(path, key,
                 "string element " + std::to_string(i) + " claims " + std::to_string(lengths[i]) +
                     " bytes");
    total += lengths[i];
    crc = extend_length(crc, lengths[i], big_endian_, lengths[i] > UINT32_MAX);
  }
  if (in.size() < 4) data_error(path, key, "the string lengths' checksum is missing");
  const uint32_t stored_length_crc = crc32c::unmask(load_le32(in.data()));
  if (stored_length_crc != crc)
    data_error(path, key,
               "string lengths checksum mismatch: computed " + hex32(crc) + ", stored " +
                   hex32(stored_length_crc));
  crc = crc32c::extend(crc, in.data(), 4);
  in.remove_prefix(4);
  if (total != in.size())
    data_error(path, key,
               "string lengths add up to " + std::to_string(total) + " bytes, the " +
                   "entry holds " + std::to_string(in.size()));
  crc = crc32c::extend(crc, in.data(), in.size());
  check_crc(path, key, crc, e.crc32c);
  auto* out = t.data<std::string>();
  for (int64_t i = 0; i < n; ++i) {
    out[i].assign(in.data(), lengths[i]);
    in.remove_prefix(lengths[i]);
  }
  return t;
}

std::vector<std::string> BundleReader::read_variant(const std::string& key) const {
  const BundleEntry& e = entry(key);
  const std::string path = data_path(e.shard_id);
  if (e.dtype != DataType::DT_VARIANT)
    throw TypeError("Checkpoint '" + prefix_ + "': key '" + key + "' is " +
                    data_type_name(e.dtype) + ", not DT_VARIANT.");
  const int64_t n = checked_num_elements(e.shape);
  const std::string buf = read_bytes(key, e);
  std::string_view in(buf);
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(n));
  uint32_t crc = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint64_t len;
    if (!pb::get_varint(&in, &len) || len > in.size() || in.size() - len < 4)
      data_error(path, key, "variant element " + std::to_string(i) + " overruns the entry");
    crc = extend_length(crc, len, big_endian_, true);
    crc = crc32c::extend(crc, in.data(), len);
    out.emplace_back(in.substr(0, len));
    in.remove_prefix(len);
    const uint32_t stored = crc32c::unmask(load_le32(in.data()));
    if (stored != crc)
      data_error(path, key, "variant element " + std::to_string(i) + " checksum mismatch");
    crc = crc32c::extend(crc, in.data(), 4);
    in.remove_prefix(4);
  }
  if (!in.empty())
    data_error(path, key, std::to_string(in.size()) + " bytes left after the last element");
  check_crc(path, key, crc, e.crc32c);
  return out;
}

}  // namespace keras::io
