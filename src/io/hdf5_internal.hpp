// Shared internals of keras::io::h5 (src/io/hdf5*.cpp): the library lock, error conversion and
// the HDF5 <-> keras type mapping. Not a public header: it includes hdf5.h.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "keras/io/hdf5.hpp"

namespace keras::io::h5::internal {

static_assert(sizeof(hid_t) == sizeof(int64_t), "keras::io::h5 needs HDF5 >= 1.10 (64-bit hid_t)");

// libhdf5's serial build keeps global state (ids, the error stack): one lock for every call.
std::recursive_mutex& library_mutex();
using Lock = std::lock_guard<std::recursive_mutex>;

// Opens the library once: switches off HDF5's automatic error printing to stderr.
void init_library();
// A link access property list that refuses to follow external links: a hostile file must not
// make us open other files on this machine.
hid_t safe_lapl();
// The same refusal for group and dataset access property lists (they derive from link access).
hid_t safe_gapl();
hid_t safe_dapl();

// Which keras exception a failure becomes: bytes that are not the HDF5 we expect, or an OS/write
// problem.
enum class Err { format, io };

// Throws "<file>: cannot <op> '<path>' (<innermost HDF5 error message>)". Reads HDF5's error
// stack, so call it right after the failing call, before any other HDF5 call.
[[noreturn]] void fail(Err kind, const std::string& file, std::string_view op,
                       std::string_view path);
// The innermost message on HDF5's error stack ("" when none).
std::string error_detail();
// Throws "<file>: <message>" without consulting HDF5's error stack.
[[noreturn]] void fail_plain(Err kind, const std::string& file, const std::string& message);

template <typename T>
inline T ok(T ret, Err kind, const std::string& file, std::string_view op, std::string_view path) {
  if (ret < 0) fail(kind, file, op, path);
  return ret;
}
inline detail::Id own(hid_t ret, Err kind, const std::string& file, std::string_view op,
                      std::string_view path) {
  return detail::Id(ok(ret, kind, file, op, path));
}

// The name as a C string; ValueError for an embedded NUL (HDF5 would silently cut it there).
std::string c_name(std::string_view name, std::string_view what);
bool is_ascii(std::string_view s);

// The file type keras writes for a dtype (little-endian, h5py's choices). TypeError for string
// and bfloat16, which h5py cannot represent.
detail::Id file_type_for(DType dtype);

// The keras dtype for an HDF5 numeric type and the memory type to read it with, or the reason it
// is unsupported (then dtype is meaningless and mem_type invalid).
struct TypeMapping {
  DType dtype = DType::float32;
  detail::Id mem_type;
  std::string unsupported;  // empty when supported
};
TypeMapping map_numeric_type(hid_t file_type);
// "float32", "big-endian float32", "vlen utf-8 string", "compound"...: for messages and AttrInfo.
std::string type_name(hid_t type);

// Shape of a dataspace: () for scalar, (0,) for null. Empty optional-like flag on failure.
bool space_shape(hid_t space, Shape* shape);

// Bytes of the file holding obj (H5Fget_filesize), or 0 when unknown.
uint64_t file_bytes(hid_t obj);

// h5py's bool is a 1-byte enum; bytes outside {0,1} (unknown members) become true so that the
// tensor never holds an invalid bool.
void normalize_bools(Tensor* t);

}  // namespace keras::io::h5::internal
