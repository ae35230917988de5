// Tensor bundle: TensorFlow's V2 checkpoint format (tensorflow/core/util/tensor_bundle), bytes
// only — keys are opaque strings here; their Keras meaning lives in saving/.
//
// For a prefix P (".../ckpt-1", ".../variables/variables"):
//   P.index                  SSTable (keras/io/sstable.hpp), keys sorted bytewise:
//                              ""   -> BundleHeaderProto {1 num_shards, 2 endianness (0 little,
//                                      1 big), 3 version: VersionDef {1 producer, 2 min_consumer,
//                                      3 bad_consumers}}
//                              key  -> BundleEntryProto {1 dtype (DataType), 2 shape
//                                      (TensorShapeProto {2 dim {1 size, 2 name}, 3 unknown_rank}),
//                                      3 shard_id, 4 offset, 5 size, 6 crc32c (fixed32, masked),
//                                      7 slices (partitioned tensors; unsupported)}
//   P.data-SSSSS-of-NNNNN    tensors back to back at each entry's offset/size:
//     numeric/bool: raw row-major element bytes; crc32c = mask(crc32c(bytes))
//     DT_STRING:    varint64 len[i] for each element | uint32 LE mask(C1) | string bytes
//                   C1 = crc32c over each len as uint32 (uint64 if > 0xffffffff) in the writer's
//                   byte order; entry crc32c = mask(C1 extended over the 4 stored checksum bytes,
//                   then over the string bytes)
//     DT_VARIANT:   per element: varint64 len | serialized VariantTensorDataProto | uint32 LE
//                   mask(running crc); the running crc covers len as uint64, the bytes and each
//                   stored checksum; entry crc32c = mask(running crc)
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::io {

// tensorflow.DataType (types.proto); values are the wire values.
enum class DataType : int32_t {
  DT_INVALID = 0,
  DT_FLOAT = 1,
  DT_DOUBLE = 2,
  DT_INT32 = 3,
  DT_UINT8 = 4,
  DT_INT16 = 5,
  DT_INT8 = 6,
  DT_STRING = 7,
  DT_COMPLEX64 = 8,
  DT_INT64 = 9,
  DT_BOOL = 10,
  DT_QINT8 = 11,
  DT_QUINT8 = 12,
  DT_QINT32 = 13,
  DT_BFLOAT16 = 14,
  DT_QINT16 = 15,
  DT_QUINT16 = 16,
  DT_UINT16 = 17,
  DT_COMPLEX128 = 18,
  DT_HALF = 19,
  DT_RESOURCE = 20,
  DT_VARIANT = 21,
  DT_UINT32 = 22,
  DT_UINT64 = 23,
  DT_FLOAT8_E5M2 = 24,
  DT_FLOAT8_E4M3FN = 25,
  DT_FLOAT8_E4M3FNUZ = 26,
  DT_FLOAT8_E4M3B11FNUZ = 27,
  DT_FLOAT8_E5M2FNUZ = 28,
  DT_INT4 = 29,
  DT_UINT4 = 30,
};

// "DT_FLOAT"...; unknown values as "DataType(N)".
std::string data_type_name(DataType dtype);
// Bytes per element of a fixed-size dtype stored by memcpy; 0 for string, variant, resource,
// invalid, 4-bit types and unknown values.
size_t data_type_size(DataType dtype);
// The keras dtype holding the values, or nullopt (unsigned >8 bits, complex, quantized...).
std::optional<DType> to_keras_dtype(DataType dtype);
DataType from_keras_dtype(DType dtype);

// One BundleEntryProto.
struct BundleEntry {
  DataType dtype = DataType::DT_INVALID;
  Shape shape;
  int32_t shard_id = 0;
  int64_t offset = 0;
  int64_t size = 0;
  uint32_t crc32c = 0;  // masked, as stored
  bool has_slices = false;
};

// Reads a tensor bundle: tensorflow::BundleReader (tf.train.load_checkpoint's CheckpointReader).
// The constructor reads and validates the whole index (header version, every entry's shard,
// offset/size against the shard's file size, shape) and opens the data files; reads verify the
// entry's CRC. Every failure throws FileFormatError (IOError for unreadable files) naming the
// file and the key. Reads are const and may run concurrently (pread on shared descriptors).
class BundleReader {
 public:
  explicit BundleReader(std::string prefix);
  ~BundleReader();
  BundleReader(BundleReader&& other) noexcept;
  BundleReader& operator=(BundleReader&& other) noexcept;
  BundleReader(const BundleReader&) = delete;
  BundleReader& operator=(const BundleReader&) = delete;

  const std::string& prefix() const { return prefix_; }
  int32_t num_shards() const { return num_shards_; }
  bool big_endian() const { return big_endian_; }

  // Every tensor key (the header's empty key excluded), sorted bytewise.
  std::vector<std::string> keys() const;
  bool contains(const std::string& key) const { return entries_.count(key) != 0; }
  // Throws ValueError for an unknown key.
  const BundleEntry& entry(const std::string& key) const;
  const std::map<std::string, BundleEntry>& entries() const { return entries_; }

  // The tensor under `key` with the matching keras dtype (strings included), CRC verified and
  // converted to native byte order. Throws NotImplementedError for sliced entries and dtypes
  // keras has no dtype for (read_raw reads those), TypeError for DT_VARIANT.
  Tensor read(const std::string& key) const;
  // The stored bytes of any non-sliced entry, CRC verified, in the file's byte order.
  std::string read_raw(const std::string& key) const;
  // A DT_VARIANT tensor's elements: each a serialized VariantTensorDataProto (row-major, the
  // entry's shape gives their arrangement), every per-element checksum verified.
  std::vector<std::string> read_variant(const std::string& key) const;

  // "P.data-00000-of-00001" for shard 0 of 1.
  std::string data_path(int32_t shard_id) const;

 private:
  // The entry's stored bytes (the CRC is the caller's job: it depends on the dtype).
  std::string read_bytes(const std::string& key, const BundleEntry& e) const;
  void pread_exact(const std::string& key, const BundleEntry& e, void* dst) const;

  std::string prefix_;
  int32_t num_shards_ = 0;
  bool big_endian_ = false;
  std::map<std::string, BundleEntry> entries_;
  std::vector<int> fds_;  // per shard, -1 when no entry uses it
  std::vector<int64_t> shard_sizes_;
};

// Writes a tensor bundle: tensorflow::BundleWriter with its defaults (one shard, little-endian,
// data_alignment 1, uncompressed index). Tensors are appended to a temporary data file as they
// are added; finish() writes the index and renames both files into place, so an existing
// checkpoint at `prefix` is replaced whole or not at all. Creates the parent directory.
class BundleWriter {
 public:
  explicit BundleWriter(std::string prefix);
  // Abandons (deletes) the temporary files when finish() was not called.
  ~BundleWriter();
  BundleWriter(const BundleWriter&) = delete;
  BundleWriter& operator=(const BundleWriter&) = delete;

  // Any keras dtype, strings included. Throws ValueError for the empty key (the header's) or a
  // key added twice.
  void add(const std::string& key, const Tensor& tensor);
  // A DT_VARIANT tensor from serialized VariantTensorDataProto elements (row-major).
  void add_variant(const std::string& key, const Shape& shape,
                   const std::vector<std::string>& elements);
  // Writes P.index and moves P.data-00000-of-00001 and P.index into place.
  void finish();

 private:
  void check_key(const std::string& key) const;
  void append(const void* bytes, size_t n);
  void record(const std::string& key, DataType dtype, const Shape& shape, int64_t offset,
              uint32_t crc);
  void abandon() noexcept;

  std::string prefix_;
  std::string data_tmp_;
  std::FILE* data_ = nullptr;
  int64_t data_size_ = 0;
  std::map<std::string, std::string> entries_;  // key -> serialized BundleEntryProto
  bool finished_ = false;
};

}  // namespace keras::io
