// keras::io::h5 attributes (h5py's AttributeManager): string attributes in the three flavours
// Keras files use, numeric scalars and arrays, and h5py's float64 (0,) spelling of [].
#include <algorithm>
#include <cstring>
#include <limits>

#include "io/hdf5_internal.hpp"
#include "keras/io/hdf5.hpp"

namespace keras::io::h5 {

using namespace internal;

namespace {

std::string attr_op(std::string_view verb, std::string_view name) {
  return std::string(verb) + " attribute '" + std::string(name) + "' of";
}

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  try {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;
  }
}

bool is_vlen(StringFlavour f) {
  return f == StringFlavour::vlen_ascii || f == StringFlavour::vlen_utf8;
}
bool is_utf8(StringFlavour f) {
  return f == StringFlavour::fixed_utf8 || f == StringFlavour::vlen_utf8;
}

// An open attribute with its type, dataspace, description and element count.
struct OpenAttr {
  detail::Id attr, type, space;
  AttrInfo info;
  int64_t count = 0;
};

AttrInfo describe(hid_t type, const Shape& shape) {
  AttrInfo info;
  info.shape = shape;
  info.type_name = type_name(type);
  if (H5Tget_class(type) == H5T_STRING) {
    info.kind = AttrInfo::Kind::string;
    const bool utf8 = H5Tget_cset(type) == H5T_CSET_UTF8;
    if (H5Tis_variable_str(type) > 0) {
      info.flavour = utf8 ? StringFlavour::vlen_utf8 : StringFlavour::vlen_ascii;
    } else {
      info.flavour = utf8 ? StringFlavour::fixed_utf8 : StringFlavour::fixed_ascii;
      info.fixed_size = H5Tget_size(type);
    }
    return info;
  }
  const TypeMapping m = map_numeric_type(type);
  if (m.unsupported.empty()) {
    info.kind = AttrInfo::Kind::numeric;
    info.dtype = m.dtype;
  }
  return info;
}

// Strips fixed-length padding the way h5py/numpy hand the value back.
std::string unpad(const char* p, size_t size, H5T_str_t pad) {
  if (pad == H5T_STR_NULLTERM) return std::string(p, strnlen(p, size));
  const char fill = pad == H5T_STR_SPACEPAD ? ' ' : '\0';
  while (size > 0 && p[size - 1] == fill) --size;
  return std::string(p, size);
}

}  // namespace

// Opens an attribute and checks that the file can hold the value it claims, so that reading it
// never allocates more than the file's size.
static OpenAttr open_attr(hid_t obj, const std::string& file, const std::string& path,
                          std::string_view name) {
  const std::string n = c_name(name, "HDF5 attribute");
  OpenAttr a;
  const std::string op = attr_op("open", name);
  a.attr = own(H5Aopen(obj, n.c_str(), H5P_DEFAULT), Err::format, file, op, path);
  a.type = own(H5Aget_type(a.attr.get()), Err::format, file, op, path);
  a.space = own(H5Aget_space(a.attr.get()), Err::format, file, op, path);
  Shape shape;
  if (!space_shape(a.space.get(), &shape))
    fail_plain(Err::format, file,
               "attribute '" + std::string(name) + "' of '" + path + "' has a corrupt dataspace");
  a.info = describe(a.type.get(), shape);
  uint64_t need = 0;
  bool overflow = false;
  a.count = 1;
  for (const int64_t d : shape) overflow |= __builtin_mul_overflow(a.count, d, &a.count);
  const uint64_t elem = std::max<uint64_t>(H5Tget_size(a.type.get()), 1);
  overflow |= __builtin_mul_overflow(static_cast<uint64_t>(a.count), elem, &need);
  const uint64_t fsize = file_bytes(obj);
  if (overflow || need > fsize)
    fail_plain(Err::format, file,
               "attribute '" + std::string(name) + "' of '" + path + "' claims shape " +
                   shape_str(shape) + " of " + std::to_string(elem) +
                   "-byte elements, more than the file's " + std::to_string(fsize) +
                   " bytes can hold");
  if (H5Sget_simple_extent_type(a.space.get()) == H5S_NULL) a.count = 0;
  return a;
}

// The strings of a string attribute (any flavour), or an empty list for an empty numeric one.
static std::vector<std::string> read_strings(const OpenAttr& a, const std::string& file,
                                             const std::string& path, std::string_view name) {
  std::vector<std::string> out;
  if (a.info.kind != AttrInfo::Kind::string) {
    if (a.count == 0) return out;  // h5py writes [] as float64 (0,)
    fail_plain(Err::format, file,
               "attribute '" + std::string(name) + "' of '" + path + "' holds " + a.info.type_name +
                   " " + shape_str(a.info.shape) + ", expected strings");
  }
  if (a.count == 0) return out;
  const size_t n = static_cast<size_t>(a.count);
  const std::string op = attr_op("read", name);
  if (is_vlen(a.info.flavour)) {
    // HDF5 does not convert between ASCII and UTF-8: read with the file's own character set.
    detail::Id mem(H5Tcopy(H5T_C_S1));
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(a.type.get()));
    std::vector<char*> ptrs(n, nullptr);
    ok(H5Aread(a.attr.get(), mem.get(), ptrs.data()), Err::format, file, op, path);
    out.reserve(n);
    for (const char* p : ptrs) out.emplace_back(p ? p : "");
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(mem.get(), a.space.get(), H5P_DEFAULT, ptrs.data());
#else
    H5Dvlen_reclaim(mem.get(), a.space.get(), H5P_DEFAULT, ptrs.data());
#endif
    return out;
  }
  const size_t size = H5Tget_size(a.type.get());
  const detail::Id mem(H5Tcopy(a.type.get()));
  std::vector<char> buf(n * size);
  ok(H5Aread(a.attr.get(), mem.get(), buf.data()), Err::format, file, op, path);
  const H5T_str_t pad = H5Tget_strpad(a.type.get());
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(unpad(buf.data() + i * size, size, pad));
  return out;
}

bool Object::has_attr(std::string_view name) const {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot query attributes of a closed or empty handle.");
  const std::string n = c_name(name, "HDF5 attribute");
  return ok(H5Aexists(id_.get(), n.c_str()), Err::format, filename(), attr_op("look up", name),
            path_) > 0;
}

std::vector<std::string> Object::attr_names() const {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot list attributes of a closed or empty handle.");
  std::vector<std::string> names;
  hsize_t idx = 0;
  ok(H5Aiterate2(id_.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &names), Err::format,
     filename(), "list attributes of", path_);
  return names;
}

AttrInfo Object::attr_info(std::string_view name) const {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot read attributes of a closed or empty handle.");
  return open_attr(id_.get(), filename(), path_, name).info;
}

std::vector<std::string> Object::read_string_list_attr(std::string_view name) const {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot read attributes of a closed or empty handle.");
  const OpenAttr a = open_attr(id_.get(), filename(), path_, name);
  return read_strings(a, filename(), path_, name);
}

std::string Object::read_string_attr(std::string_view name) const {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot read attributes of a closed or empty handle.");
  const OpenAttr a = open_attr(id_.get(), filename(), path_, name);
  if (a.info.kind != AttrInfo::Kind::string || a.count != 1)
    fail_plain(Err::format, filename(),
               "attribute '" + std::string(name) + "' of '" + path_ + "' holds " +
                   a.info.type_name + " " + shape_str(a.info.shape) + ", expected a single string");
  return read_strings(a, filename(), path_, name).front();
}

Tensor Object::read_attr(std::string_view name) const {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot read attributes of a closed or empty handle.");
  const OpenAttr a = open_attr(id_.get(), filename(), path_, name);
  const TypeMapping m = map_numeric_type(a.type.get());
  if (!m.unsupported.empty())
    fail_plain(Err::format, filename(),
               "attribute '" + std::string(name) + "' of '" + path_ + "' holds " + m.unsupported +
                   ", expected a float, integer or bool value");
  Tensor out = Tensor::empty(a.info.shape, m.dtype);
  if (a.count > 0) {
    ok(H5Aread(a.attr.get(), m.mem_type.get(), out.raw_data()), Err::format, filename(),
       attr_op("read", name), path_);
    if (m.dtype == DType::bool_) normalize_bools(&out);
  }
  return out;
}

namespace {
// Creates (replacing) an attribute with the given type and dataspace and writes buf into it.
void create_and_write(hid_t obj, const std::string& file, const std::string& path,
                      std::string_view name, hid_t type, hid_t space, const void* buf) {
  const std::string n = c_name(name, "HDF5 attribute");
  const std::string op = attr_op("write", name);
  if (ok(H5Aexists(obj, n.c_str()), Err::io, file, op, path) > 0)
    ok(H5Adelete(obj, n.c_str()), Err::io, file, op, path);
  detail::Id acpl(H5Pcreate(H5P_ATTRIBUTE_CREATE));
  if (!is_ascii(name)) H5Pset_char_encoding(acpl.get(), H5T_CSET_UTF8);
  const detail::Id attr = own(H5Acreate2(obj, n.c_str(), type, space, acpl.get(), H5P_DEFAULT),
                              Err::io, file, op, path);
  // HDF5 rejects a null buffer even for zero elements.
  static const double dummy = 0;
  if (H5Awrite(attr.get(), type, buf ? buf : &dummy) < 0) {
    const std::string detail = error_detail();
    H5Adelete(obj, n.c_str());  // leave no half-written attribute behind
    fail_plain(Err::io, file,
               "cannot " + op + " '" + path + "'" + (detail.empty() ? "" : " (" + detail + ")"));
  }
}

detail::Id make_space(const Shape& shape) {
  if (shape.empty()) return detail::Id(H5Screate(H5S_SCALAR));
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return detail::Id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
}

void write_strings(hid_t obj, const std::string& file, const std::string& path,
                   std::string_view name, const std::vector<std::string_view>& values, bool scalar,
                   StringFlavour flavour) {
  const detail::Id space = make_space(scalar ? Shape{} : Shape{int64_t(values.size())});
  detail::Id type(H5Tcopy(H5T_C_S1));
  H5Tset_cset(type.get(), is_utf8(flavour) ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
  if (is_vlen(flavour)) {
    // h5py's vlen string type: C_S1 of variable size, NULLTERM padding.
    H5Tset_size(type.get(), H5T_VARIABLE);
    // HDF5 reads vlen strings up to their NUL: give it terminated copies.
    const std::vector<std::string> owned(values.begin(), values.end());
    std::vector<const char*> ptrs;
    ptrs.reserve(owned.size());
    for (const std::string& v : owned) {
      if (v.find('\0') != std::string::npos)
        throw ValueError(file + ": cannot write attribute '" + std::string(name) + "' of '" + path +
                         "': a variable-length string cannot hold a NUL byte");
      ptrs.push_back(v.c_str());
    }
    create_and_write(obj, file, path, name, type.get(), space.get(), ptrs.data());
    return;
  }
  // numpy's `S<n>`: NULLPAD, element size = the longest item (an all-empty array is S1).
  size_t size = 1;
  for (const std::string_view v : values) size = std::max(size, v.size());
  H5Tset_size(type.get(), size);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  std::vector<char> buf(values.size() * size, '\0');
  for (size_t i = 0; i < values.size(); ++i)
    std::memcpy(buf.data() + i * size, values[i].data(), values[i].size());
  create_and_write(obj, file, path, name, type.get(), space.get(), buf.data());
}
}  // namespace

void Object::write_string_attr(std::string_view name, std::string_view value,
                               StringFlavour flavour) {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot write attributes of a closed or empty handle.");
  if (!file_->writable)
    fail_plain(Err::io, filename(),
               "cannot " + attr_op("write", name) + " '" + path_ + "' (file is opened read-only)");
  write_strings(id_.get(), filename(), path_, name, {value}, /*scalar=*/true, flavour);
}

void Object::write_string_list_attr(std::string_view name, const std::vector<std::string>& values,
                                    StringFlavour flavour) {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot write attributes of a closed or empty handle.");
  if (values.empty()) {
    write_attr(name, Tensor::empty({0}, DType::float64));  // h5py's spelling of []
    return;
  }
  if (!file_->writable)
    fail_plain(Err::io, filename(),
               "cannot " + attr_op("write", name) + " '" + path_ + "' (file is opened read-only)");
  std::vector<std::string_view> views(values.begin(), values.end());
  write_strings(id_.get(), filename(), path_, name, views, /*scalar=*/false, flavour);
}

void Object::write_attr(std::string_view name, const Tensor& value) {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot write attributes of a closed or empty handle.");
  if (!value.defined()) throw ValueError("HDF5 write_attr: the tensor is undefined.");
  if (!file_->writable)
    fail_plain(Err::io, filename(),
               "cannot " + attr_op("write", name) + " '" + path_ + "' (file is opened read-only)");
  const detail::Id type = file_type_for(value.dtype());
  const detail::Id space = make_space(value.shape());
  create_and_write(id_.get(), filename(), path_, name, type.get(), space.get(),
                   value.size() ? value.raw_data() : nullptr);
}

void Object::delete_attr(std::string_view name) {
  Lock lock(library_mutex());
  if (!valid()) throw ValueError("HDF5: cannot delete attributes of a closed or empty handle.");
  const std::string n = c_name(name, "HDF5 attribute");
  if (!file_->writable)
    fail_plain(Err::io, filename(),
               "cannot " + attr_op("delete", name) + " '" + path_ + "' (file is opened read-only)");
  ok(H5Adelete(id_.get(), n.c_str()), Err::io, filename(), attr_op("delete", name), path_);
}

}  // namespace keras::io::h5
