// keras::io::h5 core: library setup, errors, type mapping, File, Group and Dataset.
// Attributes live in hdf5_attributes.cpp.
#include "keras/io/hdf5.hpp"

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "io/hdf5_internal.hpp"

namespace keras::io::h5 {

static_assert(std::endian::native == std::endian::little,
              "keras::io::h5 writes tensors' bytes as little-endian HDF5 types");

namespace internal {

std::recursive_mutex& library_mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

namespace {
herr_t deny_external_link(const char*, const char*, const char*, const char*, unsigned*, hid_t,
                          void*) {
  return -1;
}

herr_t keep_innermost(unsigned, const H5E_error2_t* err, void* data) {
  if (err->desc != nullptr && err->desc[0] != '\0') *static_cast<std::string*>(data) = err->desc;
  return 0;
}
}  // namespace

void init_library() {
  static const bool done = [] {
    H5open();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

namespace {
hid_t make_safe_access(hid_t plist_class) {
  init_library();
  const hid_t p = H5Pcreate(plist_class);
  H5Pset_elink_cb(p, deny_external_link, nullptr);
  return p;
}
}  // namespace

hid_t safe_lapl() {
  static const hid_t lapl = make_safe_access(H5P_LINK_ACCESS);
  return lapl;
}
hid_t safe_gapl() {
  static const hid_t gapl = make_safe_access(H5P_GROUP_ACCESS);
  return gapl;
}
hid_t safe_dapl() {
  static const hid_t dapl = make_safe_access(H5P_DATASET_ACCESS);
  return dapl;
}

void fail_plain(Err kind, const std::string& file, const std::string& message) {
  const std::string msg = file + ": " + message;
  if (kind == Err::io) throw IOError(msg);
  throw FileFormatError(msg);
}

std::string error_detail() {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_innermost, &detail);
  return detail;
}

void fail(Err kind, const std::string& file, std::string_view op, std::string_view path) {
  const std::string detail = error_detail();
  std::string msg = "cannot " + std::string(op) + " '" + std::string(path) + "'";
  if (!detail.empty()) msg += " (" + detail + ")";
  fail_plain(kind, file, msg);
}

std::string c_name(std::string_view name, std::string_view what) {
  if (name.find('\0') != std::string_view::npos)
    throw ValueError(std::string(what) + " name must not contain a NUL byte.");
  return std::string(name);
}

bool is_ascii(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

namespace {
detail::Id copy_type(hid_t predefined) { return detail::Id(H5Tcopy(predefined)); }

// h5py's float16 (h5t.pyx IEEE_F16LE): a float32 description narrowed to binary16's fields.
detail::Id make_float16_type() {
  detail::Id t = copy_type(H5T_IEEE_F32LE);
  H5Tset_fields(t.get(), 15, 10, 5, 0, 10);
  H5Tset_size(t.get(), 2);
  H5Tset_ebias(t.get(), 15);
  return t;
}

// h5py's bool: enum over native int8 with members FALSE=0, TRUE=1.
detail::Id make_bool_type() {
  detail::Id t(H5Tenum_create(H5T_NATIVE_INT8));
  const int8_t no = 0, yes = 1;
  H5Tenum_insert(t.get(), "FALSE", &no);
  H5Tenum_insert(t.get(), "TRUE", &yes);
  return t;
}

bool float_fields_are(hid_t t, size_t spos, size_t epos, size_t esize, size_t mpos, size_t msize,
                      size_t ebias) {
  size_t s, e, es, m, ms;
  if (H5Tget_fields(t, &s, &e, &es, &m, &ms) < 0) return false;
  return s == spos && e == epos && es == esize && m == mpos && ms == msize &&
         H5Tget_ebias(t) == ebias;
}

bool is_h5py_bool(hid_t t) {
  if (H5Tget_nmembers(t) != 2) return false;
  const detail::Id base(H5Tget_super(t));
  if (!base.valid() || H5Tget_class(base.get()) != H5T_INTEGER || H5Tget_size(base.get()) != 1)
    return false;
  bool seen_false = false, seen_true = false;
  for (unsigned i = 0; i < 2; ++i) {
    char* name = H5Tget_member_name(t, i);
    if (name == nullptr) return false;
    const std::string member = name;
    H5free_memory(name);
    int8_t value = -1;
    if (H5Tget_member_value(t, i, &value) < 0) return false;
    seen_false |= member == "FALSE" && value == 0;
    seen_true |= member == "TRUE" && value == 1;
  }
  return seen_false && seen_true;
}
}  // namespace

detail::Id file_type_for(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return copy_type(H5T_IEEE_F32LE);
    case DType::float64:
      return copy_type(H5T_IEEE_F64LE);
    case DType::float16:
      return make_float16_type();
    case DType::int8:
      return copy_type(H5T_STD_I8LE);
    case DType::int16:
      return copy_type(H5T_STD_I16LE);
    case DType::int32:
      return copy_type(H5T_STD_I32LE);
    case DType::int64:
      return copy_type(H5T_STD_I64LE);
    case DType::uint8:
      return copy_type(H5T_STD_U8LE);
    case DType::bool_:
      return make_bool_type();
    case DType::bfloat16:
      throw TypeError("HDF5: bfloat16 has no h5py type; convert the tensor to float32 first.");
    case DType::string:
      throw TypeError("HDF5: string tensors are written as string attributes, not datasets.");
  }
  throw TypeError("HDF5: unknown dtype.");
}

std::string type_name(hid_t type) {
  const H5T_class_t cls = H5Tget_class(type);
  const size_t size = H5Tget_size(type);
  const std::string bits = std::to_string(size * 8);
  const bool big = (cls == H5T_INTEGER || cls == H5T_FLOAT) && H5Tget_order(type) == H5T_ORDER_BE;
  const std::string order = big ? "big-endian " : "";
  switch (cls) {
    case H5T_INTEGER:
      return order + (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + bits;
    case H5T_FLOAT:
      return order + "float" + bits;
    case H5T_STRING: {
      const bool utf8 = H5Tget_cset(type) == H5T_CSET_UTF8;
      if (H5Tis_variable_str(type) > 0)
        return std::string("vlen ") + (utf8 ? "utf-8" : "ascii") + " string";
      return "fixed " + std::string(utf8 ? "utf-8" : "ascii") + " string of " +
             std::to_string(size) + " bytes";
    }
    case H5T_ENUM:
      return "enum";
    case H5T_COMPOUND:
      return "compound";
    case H5T_VLEN:
      return "vlen sequence";
    case H5T_ARRAY:
      return "array";
    case H5T_OPAQUE:
      return "opaque";
    case H5T_REFERENCE:
      return "reference";
    case H5T_BITFIELD:
      return "bitfield";
    case H5T_TIME:
      return "time";
    default:
      return "unknown type";
  }
}

TypeMapping map_numeric_type(hid_t ft) {
  TypeMapping m;
  const H5T_class_t cls = H5Tget_class(ft);
  const size_t size = H5Tget_size(ft);
  auto use = [&](DType d, hid_t predefined) {
    m.dtype = d;
    m.mem_type = copy_type(predefined);
  };
  if (cls == H5T_FLOAT) {
    if (size == 4) {
      use(DType::float32, H5T_NATIVE_FLOAT);
    } else if (size == 8) {
      use(DType::float64, H5T_NATIVE_DOUBLE);
    } else if (size == 2 && (float_fields_are(ft, 15, 10, 5, 0, 10, 15) ||
                             float_fields_are(ft, 15, 7, 8, 0, 7, 127))) {
      // No native 2-byte float in HDF5 1.10: read through a little-endian copy of the file type.
      m.dtype = H5Tget_ebias(ft) == 15 ? DType::float16 : DType::bfloat16;
      m.mem_type = detail::Id(H5Tcopy(ft));
      H5Tset_order(m.mem_type.get(), H5T_ORDER_LE);
    } else {
      m.unsupported = type_name(ft) + " (not IEEE float16/32/64)";
    }
  } else if (cls == H5T_INTEGER) {
    const bool is_signed = H5Tget_sign(ft) != H5T_SGN_NONE;
    if (is_signed && size == 1)
      use(DType::int8, H5T_NATIVE_INT8);
    else if (is_signed && size == 2)
      use(DType::int16, H5T_NATIVE_INT16);
    else if (is_signed && size == 4)
      use(DType::int32, H5T_NATIVE_INT32);
    else if (is_signed && size == 8)
      use(DType::int64, H5T_NATIVE_INT64);
    else if (!is_signed && size == 1)
      use(DType::uint8, H5T_NATIVE_UINT8);
    // keras has no uint16/uint32: widen to the next signed type, which holds every value.
    else if (!is_signed && size == 2)
      use(DType::int32, H5T_NATIVE_INT32);
    else if (!is_signed && size == 4)
      use(DType::int64, H5T_NATIVE_INT64);
    else
      m.unsupported = type_name(ft);
  } else if (cls == H5T_ENUM && is_h5py_bool(ft)) {
    m.dtype = DType::bool_;
    m.mem_type = make_bool_type();
  } else {
    m.unsupported = cls == H5T_ENUM ? "enum (other than h5py's bool)" : type_name(ft);
  }
  if (m.unsupported.empty() && !m.mem_type.valid()) m.unsupported = type_name(ft);
  return m;
}

bool space_shape(hid_t space, Shape* shape) {
  shape->clear();
  const H5S_class_t cls = H5Sget_simple_extent_type(space);
  if (cls == H5S_SCALAR) return true;
  if (cls == H5S_NULL) {
    shape->push_back(0);
    return true;
  }
  if (cls != H5S_SIMPLE) return false;
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0 || rank > H5S_MAX_RANK) return false;
  hsize_t dims[H5S_MAX_RANK];
  if (H5Sget_simple_extent_dims(space, dims, nullptr) != rank) return false;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] > static_cast<hsize_t>(std::numeric_limits<int64_t>::max())) return false;
    shape->push_back(static_cast<int64_t>(dims[i]));
  }
  return true;
}

uint64_t file_bytes(hid_t obj) {
  const detail::Id file(H5Iget_file_id(obj));
  hsize_t size = 0;
  if (!file.valid() || H5Fget_filesize(file.get(), &size) < 0) return 0;
  return size;
}

void normalize_bools(Tensor* t) {
  auto* bytes = static_cast<uint8_t*>(t->raw_data());
  for (int64_t i = 0; i < t->size(); ++i) bytes[i] = bytes[i] != 0;
}

}  // namespace internal

using namespace internal;

// ------------------------------------------------------------------------------------ detail::Id

namespace detail {
Id::Id(const Id& other) : id_(other.id_) {
  if (id_ >= 0) {
    Lock lock(library_mutex());
    H5Iinc_ref(id_);
  }
}

Id& Id::operator=(const Id& other) {
  if (this != &other) {
    Id copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Id& Id::operator=(Id&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    other.id_ = -1;
  }
  return *this;
}

void Id::reset() {
  if (id_ >= 0) {
    Lock lock(library_mutex());
    H5Idec_ref(id_);
    id_ = -1;
  }
}
}  // namespace detail

// ---------------------------------------------------------------------------------------- Object

const std::string& Object::filename() const {
  static const std::string none = "<closed HDF5 object>";
  return file_ ? file_->name : none;
}

std::string Object::child_path(std::string_view name) const {
  if (!name.empty() && name[0] == '/') return std::string(name);
  std::string out;
  out.reserve(path_.size() + 1 + name.size());
  if (path_ != "/") out.append(path_);
  out.push_back('/');
  out.append(name);
  return out;
}

namespace {
void require_open(const Object& obj, std::string_view op) {
  if (!obj.valid())
    throw ValueError("HDF5: cannot " + std::string(op) + " on a closed or empty handle.");
}

void require_writable(const std::shared_ptr<const detail::FileInfo>& file, std::string_view op,
                      std::string_view path) {
  if (!file->writable)
    fail_plain(
        Err::io, file->name,
        "cannot " + std::string(op) + " '" + std::string(path) + "' (file is opened read-only)");
}

// Link creation as h5py does it: create missing intermediate groups; UTF-8 names flagged so.
detail::Id make_lcpl(std::string_view name) {
  detail::Id lcpl(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  if (!is_ascii(name)) H5Pset_char_encoding(lcpl.get(), H5T_CSET_UTF8);
  return lcpl;
}

// Tracked and indexed, as h5py's track_order=True sets for links and attributes.
constexpr unsigned kCreationOrder = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

herr_t collect_link(hid_t, const char* name, const H5L_info_t*, void* data) {
  try {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;
  }
}
}  // namespace

// ----------------------------------------------------------------------------------------- Group

Group Group::create_group(std::string_view name, bool track_order) {
  Lock lock(library_mutex());
  require_open(*this, "create a group");
  const std::string n = c_name(name, "HDF5 group");
  const std::string path = child_path(name);
  require_writable(file_, "create group", path);
  detail::Id lcpl = make_lcpl(name);
  detail::Id gcpl(H5Pcreate(H5P_GROUP_CREATE));
  if (track_order) {
    H5Pset_link_creation_order(gcpl.get(), kCreationOrder);
    H5Pset_attr_creation_order(gcpl.get(), kCreationOrder);
  }
  detail::Id id = own(H5Gcreate2(id_.get(), n.c_str(), lcpl.get(), gcpl.get(), H5P_DEFAULT),
                      Err::io, file_->name, "create group", path);
  return Group(std::move(id), file_, path);
}

Group Group::require_group(std::string_view name) {
  Lock lock(library_mutex());
  if (exists(name)) return open_group(name);
  return create_group(name);
}

Group Group::open_group(std::string_view name) const {
  Lock lock(library_mutex());
  require_open(*this, "open a group");
  const std::string n = c_name(name, "HDF5 group");
  const std::string path = child_path(name);
  detail::Id id = own(H5Gopen2(id_.get(), n.c_str(), safe_gapl()), Err::format, file_->name,
                      "open group", path);
  return Group(std::move(id), file_, path);
}

Dataset Group::create_dataset(std::string_view name, const Shape& shape, DType dtype) {
  Lock lock(library_mutex());
  require_open(*this, "create a dataset");
  const std::string n = c_name(name, "HDF5 dataset");
  const std::string path = child_path(name);
  require_writable(file_, "create dataset", path);
  shape_size(shape);  // ValueError for negative dimensions or an overflowing shape
  detail::Id type = file_type_for(dtype);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  detail::Id space(shape.empty()
                       ? H5Screate(H5S_SCALAR)
                       : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  ok(space.get(), Err::io, file_->name, "create dataspace for dataset", path);
  detail::Id lcpl = make_lcpl(name);
  detail::Id dcpl(H5Pcreate(H5P_DATASET_CREATE));  // contiguous, unfiltered: h5py's default
  H5Pset_obj_track_times(dcpl.get(), 0);           // h5py's track_times=False
  detail::Id id = own(H5Dcreate2(id_.get(), n.c_str(), type.get(), space.get(), lcpl.get(),
                                 dcpl.get(), H5P_DEFAULT),
                      Err::io, file_->name, "create dataset", path);
  return Dataset(std::move(id), file_, path);
}

Dataset Group::create_dataset(std::string_view name, const Tensor& data) {
  Lock lock(library_mutex());
  if (!data.defined()) throw ValueError("HDF5 create_dataset: the tensor is undefined.");
  Dataset d = create_dataset(name, data.shape(), data.dtype());
  d.write(data);
  return d;
}

Dataset Group::open_dataset(std::string_view name) const {
  Lock lock(library_mutex());
  require_open(*this, "open a dataset");
  const std::string n = c_name(name, "HDF5 dataset");
  const std::string path = child_path(name);
  detail::Id id = own(H5Dopen2(id_.get(), n.c_str(), safe_dapl()), Err::format, file_->name,
                      "open dataset", path);
  return Dataset(std::move(id), file_, path);
}

bool Group::exists(std::string_view name) const {
  Lock lock(library_mutex());
  require_open(*this, "look up a name");
  if (name.empty() || name.find('\0') != std::string_view::npos) return false;
  // H5Lexists fails rather than answers for a missing intermediate group, so walk the path.
  std::string prefix = name[0] == '/' ? "/" : "";
  size_t pos = 0;
  bool any = false;
  while (pos < name.size()) {
    const size_t slash = std::min(name.find('/', pos), name.size());
    if (slash > pos) {
      const std::string_view part = name.substr(pos, slash - pos);
      if (part != ".") {
        if (any) prefix += '/';
        prefix += part;
        any = true;
        if (H5Lexists(id_.get(), prefix.c_str(), safe_lapl()) <= 0) return false;
      }
    }
    pos = slash + 1;
  }
  if (!any) return true;  // "/" or "."
  return H5Oexists_by_name(id_.get(), prefix.c_str(), safe_lapl()) > 0;
}

ObjectType Group::object_type(std::string_view name) const {
  Lock lock(library_mutex());
  if (!exists(name)) return ObjectType::missing;
  const std::string n(name);
  const detail::Id obj = own(H5Oopen(id_.get(), n.c_str(), safe_lapl()), Err::format, file_->name,
                             "open object", child_path(name));
  switch (H5Iget_type(obj.get())) {
    case H5I_GROUP:
      return ObjectType::group;
    case H5I_DATASET:
      return ObjectType::dataset;
    default:
      return ObjectType::other;
  }
}

bool Group::tracks_creation_order() const {
  Lock lock(library_mutex());
  require_open(*this, "query a group");
  const detail::Id gcpl = own(H5Gget_create_plist(id_.get()), Err::format, file_->name,
                              "read creation properties of group", path_);
  unsigned flags = 0;
  ok(H5Pget_link_creation_order(gcpl.get(), &flags), Err::format, file_->name,
     "read creation properties of group", path_);
  return (flags & H5P_CRT_ORDER_TRACKED) != 0;
}

std::vector<std::string> Group::keys(IterOrder order) const {
  Lock lock(library_mutex());
  require_open(*this, "list a group");
  if (order == IterOrder::creation && !tracks_creation_order())
    throw ValueError(file_->name + ": group '" + path_ +
                     "' does not track creation order; list it in name order.");
  std::vector<std::string> names;
  hsize_t idx = 0;
  ok(H5Literate(id_.get(), order == IterOrder::name ? H5_INDEX_NAME : H5_INDEX_CRT_ORDER,
                H5_ITER_INC, &idx, collect_link, &names),
     Err::format, file_->name, "list group", path_);
  return names;
}

// --------------------------------------------------------------------------------------- Dataset

Shape Dataset::shape() const {
  Lock lock(library_mutex());
  require_open(*this, "query a dataset");
  const detail::Id space =
      own(H5Dget_space(id_.get()), Err::format, file_->name, "read dataspace of dataset", path_);
  Shape shape;
  if (!space_shape(space.get(), &shape) || H5Sget_simple_extent_type(space.get()) == H5S_NULL)
    fail_plain(Err::format, file_->name,
               "dataset '" + path_ + "' has an unsupported or corrupt dataspace");
  return shape;
}

DType Dataset::dtype() const {
  Lock lock(library_mutex());
  require_open(*this, "query a dataset");
  const detail::Id type =
      own(H5Dget_type(id_.get()), Err::format, file_->name, "read datatype of dataset", path_);
  const TypeMapping m = map_numeric_type(type.get());
  if (!m.unsupported.empty())
    fail_plain(Err::format, file_->name,
               "dataset '" + path_ + "' has unsupported element type " + m.unsupported +
                   "; expected a float, integer or bool type");
  return m.dtype;
}

Layout Dataset::layout() const {
  Lock lock(library_mutex());
  require_open(*this, "query a dataset");
  const detail::Id dcpl = own(H5Dget_create_plist(id_.get()), Err::format, file_->name,
                              "read creation properties of dataset", path_);
  switch (H5Pget_layout(dcpl.get())) {
    case H5D_COMPACT:
      return Layout::compact;
    case H5D_CONTIGUOUS:
      return Layout::contiguous;
    case H5D_CHUNKED:
      return Layout::chunked;
    case H5D_VIRTUAL:
      return Layout::virtual_;
    default:
      fail(Err::format, file_->name, "read layout of dataset", path_);
  }
}

int Dataset::num_filters() const {
  Lock lock(library_mutex());
  require_open(*this, "query a dataset");
  const detail::Id dcpl = own(H5Dget_create_plist(id_.get()), Err::format, file_->name,
                              "read creation properties of dataset", path_);
  return ok(H5Pget_nfilters(dcpl.get()), Err::format, file_->name, "read filters of dataset",
            path_);
}

Tensor Dataset::read() const {
  Lock lock(library_mutex());
  const std::string& file = filename();
  const DType dtype = this->dtype();
  const Shape shape = this->shape();
  int64_t count = 0;
  try {
    count = shape_size(shape);
  } catch (const ValueError&) {
    fail_plain(Err::format, file,
               "dataset '" + path_ + "' has an impossible shape " + shape_str(shape));
  }
  const detail::Id type =
      own(H5Dget_type(id_.get()), Err::format, file, "read datatype of dataset", path_);
  const TypeMapping m = map_numeric_type(type.get());
  const detail::Id dcpl = own(H5Dget_create_plist(id_.get()), Err::format, file,
                              "read creation properties of dataset", path_);
  // Security: external raw-data files and virtual datasets would read other files' bytes.
  const Layout lay = layout();
  if (lay == Layout::virtual_ || H5Pget_external_count(dcpl.get()) != 0)
    fail_plain(Err::format, file,
               "dataset '" + path_ +
                   "' stores its data in other files (external or virtual "
                   "storage), which keras refuses to follow");
  // Refuse sizes the file cannot hold before allocating: a corrupt header must not make us
  // allocate terabytes. Filtered data may expand by at most deflate's ~1032:1 ratio.
  const uint64_t elem = H5Tget_size(type.get());
  const uint64_t fsize = file_bytes(id_.get());
  const bool filtered = num_filters() > 0;
  uint64_t need = 0;
  const uint64_t limit =
      filtered ? (fsize > std::numeric_limits<uint64_t>::max() / 1032 ? fsize : fsize * 1032)
               : fsize;
  if (__builtin_mul_overflow(static_cast<uint64_t>(count), elem, &need) || need > limit)
    fail_plain(Err::format, file,
               "dataset '" + path_ + "' claims shape " + shape_str(shape) + " of " +
                   std::to_string(elem) + "-byte elements, more than the file's " +
                   std::to_string(fsize) + " bytes can hold");
  // HDF5 1.10 copies compact data without checking its recorded size against the dataspace (a
  // corrupt header crashes it in memcpy), so compare the stored bytes with the shape's first.
  const uint64_t stored = H5Dget_storage_size(id_.get());
  if ((lay == Layout::compact && stored != need) ||
      (lay == Layout::contiguous && stored != 0 && stored < need))
    fail_plain(Err::format, file,
               "dataset '" + path_ + "' stores " + std::to_string(stored) +
                   " bytes but its shape " + shape_str(shape) + " needs " + std::to_string(need));
  if (lay == Layout::chunked) {
    hsize_t chunk[H5S_MAX_RANK];
    const int rank = H5Pget_chunk(dcpl.get(), H5S_MAX_RANK, chunk);
    uint64_t chunk_bytes = elem;
    for (int i = 0; i < rank; ++i)
      if (__builtin_mul_overflow(chunk_bytes, static_cast<uint64_t>(chunk[i]), &chunk_bytes))
        chunk_bytes = std::numeric_limits<uint64_t>::max();
    if (rank < 0 || chunk_bytes > std::max<uint64_t>(limit, 1 << 20))
      fail_plain(Err::format, file, "dataset '" + path_ + "' has a corrupt chunk size");
  }
  Tensor out = Tensor::empty(shape, dtype);
  if (count > 0) {
    ok(H5Dread(id_.get(), m.mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.raw_data()),
       Err::format, file, "read dataset", path_);
    if (dtype == DType::bool_) normalize_bools(&out);
  }
  return out;
}

void Dataset::write(const Tensor& value) {
  Lock lock(library_mutex());
  require_open(*this, "write a dataset");
  require_writable(file_, "write dataset", path_);
  if (!value.defined()) throw ValueError("HDF5 write: the tensor is undefined.");
  const Shape shape = this->shape();
  if (value.shape() != shape)
    throw ValueError(file_->name + ": cannot write dataset '" + path_ + "': expected shape " +
                     shape_str(shape) + ", received " + shape_str(value.shape()));
  const DType dtype = this->dtype();
  const Tensor data = value.dtype() == dtype ? value : value.astype(dtype);
  if (data.size() == 0) return;
  const detail::Id mem = file_type_for(dtype);
  ok(H5Dwrite(id_.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.raw_data()), Err::io,
     file_->name, "write dataset", path_);
}

// ------------------------------------------------------------------------------------------ File

namespace {
detail::Id make_fapl() {
  // HDF5's defaults are h5py's: libver bounds (earliest, latest) give superblock v0.
  detail::Id fapl(H5Pcreate(H5P_FILE_ACCESS));
#if H5_VERSION_GE(1, 10, 7)
  // Lock when the filesystem supports it, as h5py's locking="best-effort" does.
  H5Pset_file_locking(fapl.get(), 1, 1);
#endif
  return fapl;
}
}  // namespace

File File::open(const std::string& path) {
  Lock lock(library_mutex());
  init_library();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    fail_plain(Err::io, path, "cannot open file (it is a directory)");
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe)
      fail_plain(Err::io, path, std::string("cannot open file (") + std::strerror(errno) + ")");
  }
  const detail::Id fapl = make_fapl();
  detail::Id file_id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()));
  if (!file_id.valid()) {
    const std::string detail = error_detail();
    fail_plain(Err::format, path,
               "not a readable HDF5 file" + (detail.empty() ? "" : " (" + detail + ")"));
  }
  detail::Id root =
      own(H5Gopen2(file_id.get(), "/", H5P_DEFAULT), Err::format, path, "open group", "/");
  return File(std::move(file_id), std::move(root),
              std::make_shared<detail::FileInfo>(detail::FileInfo{path, false}));
}

File File::create(const std::string& path, bool track_order) {
  Lock lock(library_mutex());
  init_library();
  const detail::Id fapl = make_fapl();
  detail::Id fcpl(H5Pcreate(H5P_FILE_CREATE));
  if (track_order) {
    H5Pset_link_creation_order(fcpl.get(), kCreationOrder);
    H5Pset_attr_creation_order(fcpl.get(), kCreationOrder);
  }
  detail::Id file_id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()));
  if (!file_id.valid()) {
    const std::string detail = error_detail();
    fail_plain(Err::io, path,
               "cannot create HDF5 file" + (detail.empty() ? "" : " (" + detail + ")"));
  }
  detail::Id root =
      own(H5Gopen2(file_id.get(), "/", H5P_DEFAULT), Err::io, path, "open group", "/");
  return File(std::move(file_id), std::move(root),
              std::make_shared<detail::FileInfo>(detail::FileInfo{path, true}));
}

File::~File() {
  try {
    close();
  } catch (...) {  // a destructor cannot report; writers call close() themselves
  }
}

void File::close() {
  Lock lock(library_mutex());
  if (!file_id_.valid()) return;
  const std::string name = filename();
  id_.reset();
  if (file_ && file_->writable) {
    if (H5Fflush(file_id_.get(), H5F_SCOPE_LOCAL) < 0) {
      const std::string detail = error_detail();
      file_id_.reset();
      fail_plain(Err::io, name, "cannot flush HDF5 file (" + detail + ")");
    }
  }
  ok(H5Fclose(file_id_.release()), Err::io, name, "close HDF5 file", name);
}

bool File::writable() const { return file_ && file_->writable; }

int64_t File::file_size() const {
  Lock lock(library_mutex());
  if (!file_id_.valid()) throw ValueError("HDF5: file_size() on a closed file.");
  hsize_t size = 0;
  ok(H5Fget_filesize(file_id_.get(), &size), Err::format, filename(), "read size of file",
     filename());
  return static_cast<int64_t>(size);
}

}  // namespace keras::io::h5
