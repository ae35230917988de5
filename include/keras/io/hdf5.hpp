// keras::io::h5: a small RAII wrapper over the HDF5 C library, shaped like h5py (File, Group,
// Dataset, attrs) — the byte layer under Keras's legacy .h5 and Keras 3 .weights.h5 code.
//
// On-disk layout as Keras writes it through h5py (FORMATS.md §1.1, §1.4), which File::create and
// the writers below reproduce:
//   * superblock v0 (HDF5 "earliest" format: v1 object headers, symbol-table groups);
//   * datasets: contiguous layout, no filters, no timestamps, little-endian numpy types; scalars
//     are rank-0 dataspaces; bool is h5py's enum(int8){FALSE=0, TRUE=1}; float16 is an IEEE
//     binary16 described as a custom 2-byte HDF5 float (h5py's IEEE_F16LE);
//   * string attributes in three flavours: fixed-length NULLPAD ASCII arrays (old h5py, and
//     Keras's chunked attributes), variable-length ASCII (h5py 3 `bytes`), variable-length UTF-8
//     (h5py 3 `str`); an empty Python list is stored by h5py as a float64 array of shape (0,).
// This layer knows HDF5 and bytes only; what groups and attributes mean belongs to later code.
//
// Errors: HDF5's automatic stderr printing is switched off; every failed HDF5 call throws
// keras::FileFormatError (bytes that do not read as the expected HDF5) or keras::IOError (the OS,
// a write, a read-only file), with a message naming the file, the object path and the operation,
// e.g. "model.h5: cannot open dataset '/model_weights/dense/kernel:0' (object not found)".
// Threads: libhdf5's serial build is not thread-safe, so every call takes one process-wide lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::io::h5 {

// Keras's HDF5_OBJECT_HEADER_LIMIT: a v1 object header cannot hold an attribute larger than
// this, so Keras splits bigger string-list attributes NAME into NAME0, NAME1, ... (FORMATS §1.4).
inline constexpr size_t kObjectHeaderLimit = 64512;

// How a string attribute is stored. h5py 3 writes `str` as vlen_utf8, `bytes` as vlen_ascii and
// numpy `S` arrays as fixed_ascii (NULLPAD, element size = longest item, at least 1).
enum class StringFlavour : uint8_t { fixed_ascii, fixed_utf8, vlen_ascii, vlen_utf8 };

// What a link in a group leads to.
enum class ObjectType : uint8_t { missing, group, dataset, other };

// Which HDF5 index a listing follows. `name`: byte-wise (strcmp) order of the names, which is
// what HDF5 iterates for every group and what h5py lists for groups that do not track creation
// order (so "10" comes before "2"). `creation`: link creation order, only for groups created with
// creation-order tracking (h5py track_order=True); Keras files never track it.
enum class IterOrder : uint8_t { name, creation };

// Storage layout of a dataset's raw data (H5D_layout_t).
enum class Layout : uint8_t { compact, contiguous, chunked, virtual_ };

// Everything about an attribute that can be learned without reading its value.
struct AttrInfo {
  enum class Kind : uint8_t { string, numeric, other };
  Kind kind = Kind::other;
  Shape shape;                   // () for a scalar dataspace; (0,) for HDF5's null dataspace
  DType dtype = DType::float64;  // numeric: the keras dtype the value reads as
  StringFlavour flavour = StringFlavour::vlen_utf8;  // string only
  size_t fixed_size = 0;                             // fixed-length strings: bytes per element
  std::string type_name;  // "float64", "vlen utf-8 string", "compound"... for messages
};

namespace detail {
// One counted reference to an HDF5 identifier (hid_t, a 64-bit integer since HDF5 1.10).
// Copying adds a reference (H5Iinc_ref); destruction drops one.
class Id {
 public:
  Id() = default;
  explicit Id(int64_t id) : id_(id) {}
  ~Id() { reset(); }
  Id(const Id& other);
  Id& operator=(const Id& other);
  Id(Id&& other) noexcept : id_(other.id_) { other.id_ = -1; }
  Id& operator=(Id&& other) noexcept;
  int64_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();
  // Gives up ownership without dropping the reference.
  int64_t release() {
    const int64_t id = id_;
    id_ = -1;
    return id;
  }

 private:
  int64_t id_ = -1;
};

// What every object of one open file shares: the name used in messages and the access mode.
struct FileInfo {
  std::string name;
  bool writable = false;
};
}  // namespace detail

class Group;

// An HDF5 object that carries attributes (h5py's HLObject + AttributeManager). Attribute values
// are read whole; names are plain names, not paths.
class Object {
 public:
  const std::string& path() const { return path_; }  // absolute: "/model_weights/dense"
  const std::string& filename() const;
  bool valid() const { return id_.valid(); }

  bool has_attr(std::string_view name) const;
  // Attribute names in name order (the HDF5 name index).
  std::vector<std::string> attr_names() const;
  AttrInfo attr_info(std::string_view name) const;

  // A string attribute of any flavour holding exactly one string (scalar or shape (1,)).
  // Fixed-length values lose their padding (trailing NULs, or spaces for SPACEPAD).
  std::string read_string_attr(std::string_view name) const;
  // A string attribute of any flavour as a list (a scalar gives one item). A numeric attribute
  // with no elements (h5py's float64 (0,) for []) or a null dataspace reads as an empty list.
  std::vector<std::string> read_string_list_attr(std::string_view name) const;
  // A numeric attribute (any rank) as a tensor; types map as for Dataset::read.
  Tensor read_attr(std::string_view name) const;

  // Writers replace an existing attribute of the same name (as h5py's attrs[name] = value does).
  // A scalar string attribute.
  void write_string_attr(std::string_view name, std::string_view value,
                         StringFlavour flavour = StringFlavour::vlen_utf8);
  // A 1-D string attribute of shape (n,). An empty list is written the way h5py writes [] —
  // a float64 array of shape (0,) — whatever the flavour. Variable-length strings cannot hold a
  // NUL byte (ValueError). Attributes over about 64 KB fail with IOError (kObjectHeaderLimit).
  void write_string_list_attr(std::string_view name, const std::vector<std::string>& values,
                              StringFlavour flavour);
  // A numeric attribute with the tensor's shape and dtype (rank 0 = scalar).
  void write_attr(std::string_view name, const Tensor& value);
  void delete_attr(std::string_view name);

 protected:
  Object() = default;
  Object(detail::Id id, std::shared_ptr<const detail::FileInfo> file, std::string path)
      : id_(std::move(id)), file_(std::move(file)), path_(std::move(path)) {}
  // The absolute path of a child (or an absolute name as it stands), for messages.
  std::string child_path(std::string_view name) const;

  detail::Id id_;
  std::shared_ptr<const detail::FileInfo> file_;
  std::string path_;
};

// An n-dimensional typed array in the file (h5py.Dataset).
class Dataset : public Object {
 public:
  Dataset() = default;

  // Metadata, read without touching the raw data.
  Shape shape() const;
  // Throws FileFormatError for an element type keras cannot hold (compound, vlen, string...).
  DType dtype() const;
  int64_t size() const { return shape_size(shape()); }
  Layout layout() const;
  int num_filters() const;

  // The whole dataset. Supported element types: IEEE float16/32/64 and bfloat16-shaped 2-byte
  // floats, signed ints of 1-8 bytes, uint8, uint16 (read as int32), uint32 (read as int64),
  // h5py's bool enum; any byte order (big-endian data is converted). Rejects unsupported types,
  // external raw-data files and virtual datasets, and sizes the file cannot hold, before
  // allocating.
  Tensor read() const;
  // Writes the whole dataset; the tensor's shape must equal shape() (dtypes are converted by
  // HDF5 between numeric types).
  void write(const Tensor& value);

 private:
  friend class Group;
  using Object::Object;
};

// A group of named links (h5py.Group). Names may be nested paths ("a/b/c") or absolute ("/a").
class Group : public Object {
 public:
  Group() = default;

  // Creates a group, and any missing intermediate groups; fails if the name exists.
  Group create_group(std::string_view name, bool track_order = false);
  // Opens the group at name, creating it (and intermediates) when missing (h5py require_group).
  Group require_group(std::string_view name);
  Group open_group(std::string_view name) const;

  // Creates a contiguous, unfiltered dataset as h5py's create_dataset(name, shape, dtype) does;
  // its contents read as zeros until written.
  Dataset create_dataset(std::string_view name, const Shape& shape, DType dtype);
  // create_dataset(name, data.shape(), data.dtype()) followed by write(data).
  Dataset create_dataset(std::string_view name, const Tensor& data);
  Dataset open_dataset(std::string_view name) const;

  // h5py's `name in group`: false for a missing or dangling path (never throws for those).
  bool exists(std::string_view name) const;
  ObjectType object_type(std::string_view name) const;
  bool is_group(std::string_view name) const { return object_type(name) == ObjectType::group; }
  bool is_dataset(std::string_view name) const { return object_type(name) == ObjectType::dataset; }

  // Names of the direct children (see IterOrder). IterOrder::creation on a group that does not
  // track creation order throws ValueError.
  std::vector<std::string> keys(IterOrder order = IterOrder::name) const;
  bool tracks_creation_order() const;

 protected:
  friend class File;
  using Object::Object;
};

// An open HDF5 file; the object itself is its root group "/" (h5py.File).
class File : public Group {
 public:
  File() = default;
  ~File();
  File(File&&) noexcept = default;
  File& operator=(File&&) noexcept = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  // Opens an existing file read-only. IOError when it cannot be read at all, FileFormatError
  // when it is not (or no longer, e.g. truncated) a readable HDF5 file.
  static File open(const std::string& path);
  // Creates (truncates) a file the way h5py's File(path, "w") does: superblock v0.
  static File create(const std::string& path, bool track_order = false);

  // Flushes and closes the file's own handles. Groups and datasets opened from it stay usable
  // and keep the file open until the last of them goes (HDF5's "weak" close); the destructor
  // closes too but cannot report errors, so writers should call close().
  void close();
  bool writable() const;
  // Size of the file in bytes as HDF5 sees it (end of allocated space).
  int64_t file_size() const;

 private:
  File(detail::Id file_id, detail::Id root, std::shared_ptr<const detail::FileInfo> file)
      : Group(std::move(root), std::move(file), std::string(1, '/')),
        file_id_(std::move(file_id)) {}

  detail::Id file_id_;
};

}  // namespace keras::io::h5
