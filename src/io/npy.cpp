// numpy .npy reader and writer (layout and rules in include/keras/io/npy.hpp).
#include "keras/io/npy.hpp"

#include "keras/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <random>
#include <string_view>

namespace keras::io {
namespace {

constexpr uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr size_t kAlign = 64;             // numpy's ARRAY_ALIGN
constexpr size_t kGrowthAxisDigits = 21;  // numpy's GROWTH_AXIS_MAX_DIGITS

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw FileFormatError("Cannot load '" + name + "' as a .npy file: " + problem);
}

// What a descr string means.
enum class Kind { kNumeric, kBool, kUnicode, kBytes, kWidenU16, kWidenU32 };

struct Header {
  DType dtype = DType::float32;
  Kind kind = Kind::kNumeric;
  bool big_endian = false;
  size_t itemsize = 0;
  Shape shape;
  bool fortran_order = false;
  size_t data_offset = 0;
  uint64_t data_bytes = 0;
};

// ---------------------------------------------------------------- header dict parser

// A strict reader of the Python literal numpy writes: {'key': value, ...} where a value is a
// 'string', True/False or a tuple of non-negative integers.
class DictParser {
 public:
  DictParser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

  void parse(Header& h) {
    bool have_descr = false, have_order = false, have_shape = false;
    std::string descr;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = parse_string();
      expect(':');
      skip_space();
      if (key == "descr") {
        if (have_descr) fail(name_, "the header repeats the key 'descr'");
        if (peek() != '\'' && peek() != '"')
          fail(name_, "'descr' is not a string (structured dtypes are not supported)");
        descr = parse_string();
        have_descr = true;
      } else if (key == "fortran_order") {
        if (have_order) fail(name_, "the header repeats the key 'fortran_order'");
        h.fortran_order = parse_bool();
        have_order = true;
      } else if (key == "shape") {
        if (have_shape) fail(name_, "the header repeats the key 'shape'");
        h.shape = parse_shape();
        have_shape = true;
      } else {
        fail(name_, "unexpected header key '" + key +
                        "'; expected exactly 'descr', 'fortran_order' and 'shape'");
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_space();
      if (peek() != '}') fail(name_, "malformed header dictionary (expected ',' or '}')");
    }
    ++pos_;
    skip_space();
    if (pos_ != s_.size()) fail(name_, "unexpected text after the header dictionary");
    if (!have_descr || !have_order || !have_shape)
      fail(name_, "the header lacks one of the keys 'descr', 'fortran_order', 'shape'");
    parse_descr(descr, h);
  }

 private:
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r'))
      ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(name_, std::string("malformed header dictionary (expected '") + c + "')");
    ++pos_;
  }
  std::string parse_string() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"')
      fail(name_, "malformed header dictionary (expected a string)");
    const size_t end = s_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail(name_, "unterminated string in the header");
    std::string out(s_.substr(pos_ + 1, end - pos_ - 1));
    if (out.find('\\') != std::string::npos) fail(name_, "escape sequences in header strings");
    pos_ = end + 1;
    return out;
  }
  bool parse_bool() {
    if (s_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (s_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    fail(name_, "'fortran_order' is not True or False");
  }
  Shape parse_shape() {
    if (peek() != '(') fail(name_, "'shape' is not a tuple");
    ++pos_;
    Shape shape;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      if (peek() == '-') fail(name_, "the shape has a negative dimension");
      if (pos_ >= s_.size()) fail(name_, "malformed shape tuple (no closing ')')");
      if (peek() < '0' || peek() > '9')
        fail(name_, "the shape holds something other than integers");
      int64_t v = 0;
      while (peek() >= '0' && peek() <= '9') {
        const int digit = peek() - '0';
        if (v > (std::numeric_limits<int64_t>::max() - digit) / 10)
          fail(name_, "a dimension of the shape overflows int64");
        v = v * 10 + digit;
        ++pos_;
      }
      if (peek() == 'L') ++pos_;  // Python 2's long literals (files written by numpy on py2)
      shape.push_back(v);
      if (shape.size() > kMaxNpyRank)
        fail(name_, "the shape has more than " + std::to_string(kMaxNpyRank) + " dimensions");
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_space();
      if (peek() != ')') fail(name_, "malformed shape tuple");
    }
    ++pos_;
    return shape;
  }

  void parse_descr(const std::string& d, Header& h) {
    auto unsupported = [&](const std::string& why) {
      fail(name_, "unsupported dtype descr '" + d + "' (" + why + ")");
    };
    if (d.size() < 2) unsupported("too short");
    const char order = d[0];
    if (order != '<' && order != '>' && order != '|' && order != '=')
      unsupported("unknown byte order");
    h.big_endian = order == '>';
    const char type = d[1];
    const std::string digits = d.substr(2);
    if (digits.empty() || digits.size() > 18 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      unsupported(type == 'O' ? "object arrays hold pickled Python objects" : "not a simple dtype");
    const size_t n = std::stoul(digits);
    h.itemsize = n;
    switch (type) {
      case 'f':
        if (n == 2)
          h.dtype = DType::float16;
        else if (n == 4)
          h.dtype = DType::float32;
        else if (n == 8)
          h.dtype = DType::float64;
        else
          unsupported("no such float size");
        break;
      case 'i':
        if (n == 1)
          h.dtype = DType::int8;
        else if (n == 2)
          h.dtype = DType::int16;
        else if (n == 4)
          h.dtype = DType::int32;
        else if (n == 8)
          h.dtype = DType::int64;
        else
          unsupported("no such integer size");
        break;
      case 'u':
        if (n == 1) {
          h.dtype = DType::uint8;
        } else if (n == 2) {
          h.dtype = DType::int32;
          h.kind = Kind::kWidenU16;
        } else if (n == 4) {
          h.dtype = DType::int64;
          h.kind = Kind::kWidenU32;
        } else {
          unsupported("uint64 has no lossless keras dtype");
        }
        break;
      case 'b':
        if (n != 1) unsupported("bool must be 1 byte");
        h.dtype = DType::bool_;
        h.kind = Kind::kBool;
        break;
      case 'U':
        if (n > std::numeric_limits<size_t>::max() / 4) unsupported("string width overflows");
        h.dtype = DType::string;
        h.kind = Kind::kUnicode;
        h.itemsize = 4 * n;
        break;
      case 'S':
        h.dtype = DType::string;
        h.kind = Kind::kBytes;
        break;
      default:
        unsupported("keras-cpp reads floats, integers, bools and strings");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  const std::string& name_;
};

// Parses the magic, version, header length and header from the first bytes of a file whose
// total size is `total`. `avail` bytes of `prefix` are present (at least the whole header if
// the file holds it). Returns the header with data_offset/data_bytes filled and checked.
size_t preamble_size(const uint8_t* p, size_t avail, const std::string& name, uint32_t* hlen) {
  if (avail < 10)
    fail(name, "the file is too short for a .npy preamble (" + std::to_string(avail) + " bytes)");
  if (std::memcmp(p, kMagic, 6) != 0) fail(name, "bad magic (expected \"\\x93NUMPY\")");
  const int major = p[6], minor = p[7];
  if (minor != 0 || major < 1 || major > 3)
    fail(name, "unsupported format version " + std::to_string(major) + "." + std::to_string(minor) +
                   " (expected 1.0, 2.0 or 3.0)");
  if (major == 1) {
    *hlen = static_cast<uint32_t>(p[8] | (p[9] << 8));
    return 10;
  }
  if (avail < 12) fail(name, "the file is too short for a version 2.0/3.0 preamble");
  *hlen = static_cast<uint32_t>(p[8]) | (static_cast<uint32_t>(p[9]) << 8) |
          (static_cast<uint32_t>(p[10]) << 16) | (static_cast<uint32_t>(p[11]) << 24);
  return 12;
}

Header parse_header(const uint8_t* header, size_t pre, uint32_t hlen, uint64_t total,
                    const std::string& name) {
  Header h;
  DictParser(std::string_view(reinterpret_cast<const char*>(header), hlen), name).parse(h);
  h.data_offset = pre + hlen;
  uint64_t count = 1;
  for (int64_t d : h.shape)
    if (__builtin_mul_overflow(count, static_cast<uint64_t>(d), &count))
      fail(name, "the element count of shape " + shape_str(h.shape) + " overflows");
  if (count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
      __builtin_mul_overflow(count, static_cast<uint64_t>(h.itemsize), &h.data_bytes))
    fail(name, "the byte size of shape " + shape_str(h.shape) + " overflows");
  if (h.itemsize == 0 && count > 0)
    fail(name, "zero-width dtype '" + std::string(h.kind == Kind::kBytes ? "S0" : "U0") +
                   "' with " + std::to_string(count) + " elements");
  const uint64_t have = total - h.data_offset;
  if (have < h.data_bytes)
    fail(name, "truncated: shape " + shape_str(h.shape) + " needs " + std::to_string(h.data_bytes) +
                   " bytes of data, the file holds " + std::to_string(have));
  if (have > h.data_bytes)
    fail(name, std::to_string(have - h.data_bytes) + " unexpected bytes after the array data");
  return h;
}

void check_header_length(size_t pre, uint32_t hlen, uint64_t total, const std::string& name) {
  if (hlen > kMaxNpyHeaderBytes)
    fail(name, "header length " + std::to_string(hlen) + " exceeds the limit of " +
                   std::to_string(kMaxNpyHeaderBytes) + " bytes");
  if (pre + hlen > total)
    fail(name, "header length " + std::to_string(hlen) + " runs past the end of the file (" +
                   std::to_string(total) + " bytes)");
}

// ---------------------------------------------------------------- data decoding

template <typename U>
U swap_bytes(U v) {
  if constexpr (sizeof(U) == 1)
    return v;
  else if constexpr (sizeof(U) == 2)
    return __builtin_bswap16(v);
  else if constexpr (sizeof(U) == 4)
    return __builtin_bswap32(v);
  else
    return __builtin_bswap64(v);
}

template <typename U>
U load_word(const uint8_t* p, bool big_endian) {
  U v;
  std::memcpy(&v, p, sizeof(U));
  return big_endian ? swap_bytes(v) : v;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Decodes C-ordered element bytes into `out` (already shaped, of h.dtype).
void decode_into(Tensor& out, const uint8_t* data, const Header& h, const std::string& name) {
  const int64_t n = out.size();
  switch (h.kind) {
    case Kind::kBool: {
      bool* p = out.data<bool>();
      for (int64_t i = 0; i < n; ++i) p[i] = data[i] != 0;
      return;
    }
    case Kind::kWidenU16: {
      int32_t* p = out.data<int32_t>();
      for (int64_t i = 0; i < n; ++i) p[i] = load_word<uint16_t>(data + 2 * i, h.big_endian);
      return;
    }
    case Kind::kWidenU32: {
      int64_t* p = out.data<int64_t>();
      for (int64_t i = 0; i < n; ++i) p[i] = load_word<uint32_t>(data + 4 * i, h.big_endian);
      return;
    }
    case Kind::kBytes: {
      std::string* p = out.data<std::string>();
      for (int64_t i = 0; i < n; ++i) {
        const char* s = reinterpret_cast<const char*>(data + i * h.itemsize);
        size_t len = h.itemsize;
        while (len > 0 && s[len - 1] == '\0') --len;  // numpy strips trailing NULs
        p[i].assign(s, len);
      }
      return;
    }
    case Kind::kUnicode: {
      std::string* p = out.data<std::string>();
      const size_t units = h.itemsize / 4;
      for (int64_t i = 0; i < n; ++i) {
        const uint8_t* e = data + i * h.itemsize;
        size_t len = units;
        while (len > 0 && load_word<uint32_t>(e + 4 * (len - 1), h.big_endian) == 0) --len;
        std::string s;
        s.reserve(len);
        for (size_t k = 0; k < len; ++k) {
          const uint32_t cp = load_word<uint32_t>(e + 4 * k, h.big_endian);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            fail(name, "element " + std::to_string(i) + " holds an invalid code point");
          append_utf8(s, cp);
        }
        p[i] = std::move(s);
      }
      return;
    }
    case Kind::kNumeric:
      if (out.nbytes()) std::memcpy(out.raw_data(), data, out.nbytes());
      if (h.big_endian && h.itemsize > 1) {
        auto swap_all = [&]<typename U>() {
          U* p = static_cast<U*>(out.raw_data());
          for (int64_t i = 0; i < n; ++i) p[i] = swap_bytes(p[i]);
        };
        if (h.itemsize == 2)
          swap_all.operator()<uint16_t>();
        else if (h.itemsize == 4)
          swap_all.operator()<uint32_t>();
        else
          swap_all.operator()<uint64_t>();
      }
      return;
  }
}

// Fortran order: the bytes are a C-ordered array of the reversed shape; reversing all axes
// gives the C-ordered array of `shape`.
Tensor reverse_axes(const Tensor& src, const Shape& shape) {
  Tensor out = Tensor::empty(shape, src.dtype());
  const int nd = static_cast<int>(shape.size());
  const int64_t n = out.size();
  if (n == 0 || nd < 2) {
    out.copy_from(src.reshape(shape));
    return out;
  }
  // Stride in src of each axis of out: axis k of out is axis nd-1-k of src.
  std::vector<int64_t> stride(static_cast<size_t>(nd));
  int64_t s = 1;
  for (int k = 0; k < nd; ++k) {
    stride[k] = s;
    s *= shape[k];
  }
  std::vector<int64_t> index(static_cast<size_t>(nd), 0);
  const size_t elem = dtype_size(src.dtype());
  const bool strings = src.dtype() == DType::string;
  const char* from = static_cast<const char*>(src.raw_data());
  char* to = static_cast<char*>(out.raw_data());
  int64_t offset = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (strings) {
      out.data<std::string>()[i] = src.data<std::string>()[offset];
    } else {
      std::memcpy(to + i * elem, from + offset * elem, elem);
    }
    for (int k = nd - 1; k >= 0; --k) {  // odometer over out's C order
      offset += stride[k];
      if (++index[k] < shape[k]) break;
      offset -= stride[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

Tensor decode(const uint8_t* data, const Header& h, const std::string& name) {
  Shape storage_shape = h.shape;
  if (h.fortran_order) std::reverse(storage_shape.begin(), storage_shape.end());
  Tensor t = Tensor::empty(storage_shape, h.dtype);
  decode_into(t, data, h, name);
  return h.fortran_order ? reverse_axes(t, h.shape) : t;
}

// ---------------------------------------------------------------- files

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void read_exact(int fd, void* buf, size_t n, uint64_t offset, const std::string& path) {
  auto* p = static_cast<uint8_t*>(buf);
  while (n > 0) {
    const ssize_t r = ::pread(fd, p, std::min<size_t>(n, 1 << 30), static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      throw IOError("Cannot read '" + path +
                    "': " + (r < 0 ? std::strerror(errno) : "unexpected end of file"));
    p += r;
    n -= static_cast<size_t>(r);
    offset += static_cast<uint64_t>(r);
  }
}

// ---------------------------------------------------------------- encoding

std::string descr_of(DType dtype, size_t* itemsize) {
  *itemsize = dtype_size(dtype);
  switch (dtype) {
    case DType::float32:
      return "<f4";
    case DType::float64:
      return "<f8";
    case DType::float16:
      return "<f2";
    case DType::int8:
      return "|i1";
    case DType::int16:
      return "<i2";
    case DType::int32:
      return "<i4";
    case DType::int64:
      return "<i8";
    case DType::uint8:
      return "|u1";
    case DType::bool_:
      return "|b1";
    case DType::bfloat16:
      throw TypeError(
          "save_npy: numpy has no bfloat16 dtype, so a bfloat16 tensor cannot be saved as "
          ".npy. Convert it first: save_npy(path, tensor.astype(float32)).");
    default:
      return "";  // strings: the width depends on the data
  }
}

// Strict UTF-8 -> code points; throws ValueError naming the element.
std::vector<uint32_t> utf8_to_utf32(const std::string& s, int64_t element) {
  std::vector<uint32_t> out;
  out.reserve(s.size());
  auto bad = [&]() -> void {
    throw ValueError("save_npy: string element " + std::to_string(element) +
                     " is not valid UTF-8; numpy's '<U' dtype stores Unicode text.");
  };
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len;
    uint32_t cp;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if (c >= 0xc2 && c < 0xe0) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c < 0xf0) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c < 0xf5) {
      len = 4;
      cp = c & 0x07;
    } else {
      bad();
      return out;
    }
    if (i + static_cast<size_t>(len) > s.size()) bad();
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) bad();
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      bad();
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

std::string tuple_repr(const Shape& shape) { return shape_str(shape); }  // Python's tuple repr

}  // namespace

std::vector<uint8_t> save_npy_bytes(const Tensor& tensor) {
  if (!tensor.defined()) throw ValueError("save_npy: the tensor is undefined.");
  size_t itemsize = 0;
  std::string descr = descr_of(tensor.dtype(), &itemsize);
  std::vector<std::vector<uint32_t>> text;
  if (tensor.dtype() == DType::string) {
    const std::string* s = tensor.data<std::string>();
    size_t width = 1;  // numpy's minimum: np.array(['']) is '<U1'
    text.reserve(static_cast<size_t>(tensor.size()));
    for (int64_t i = 0; i < tensor.size(); ++i) {
      text.push_back(utf8_to_utf32(s[i], i));
      width = std::max(width, text.back().size());
    }
    descr = "<U" + std::to_string(width);
    itemsize = 4 * width;
  }
  const Shape& shape = tensor.shape();
  std::string header =
      "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple_repr(shape) + ", }";
  if (!shape.empty()) {
    const size_t digits = std::to_string(shape[0]).size();
    header.append(kGrowthAxisDigits > digits ? kGrowthAxisDigits - digits : 0, ' ');
  }
  const size_t hlen = header.size() + 1;
  size_t pre = 10;
  size_t padlen = kAlign - ((pre + hlen) % kAlign);
  if (hlen + padlen > 0xffff) {
    pre = 12;
    padlen = kAlign - ((pre + hlen) % kAlign);
  }
  header.append(padlen, ' ');
  header += '\n';
  const uint64_t data_bytes = static_cast<uint64_t>(tensor.size()) * itemsize;
  std::vector<uint8_t> out(kMagic, kMagic + 6);
  out.reserve(pre + header.size() + data_bytes);
  out.push_back(pre == 10 ? 1 : 2);
  out.push_back(0);
  const uint32_t total_header = static_cast<uint32_t>(header.size());
  for (size_t k = 0; k < pre - 8; ++k) out.push_back(static_cast<uint8_t>(total_header >> (8 * k)));
  out.insert(out.end(), header.begin(), header.end());
  if (tensor.dtype() == DType::string) {
    const size_t width = itemsize / 4;
    for (const std::vector<uint32_t>& cps : text) {
      for (size_t k = 0; k < width; ++k) {
        const uint32_t cp = k < cps.size() ? cps[k] : 0;
        for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(cp >> (8 * b)));
      }
    }
  } else {
    const auto* p = static_cast<const uint8_t*>(tensor.raw_data());
    out.insert(out.end(), p, p + tensor.nbytes());  // bools are stored as 0/1 bytes already
  }
  return out;
}

void save_npy(const std::string& path, const Tensor& tensor) {
  const std::vector<uint8_t> bytes = save_npy_bytes(tensor);
  write_file_atomic(path, std::string_view(reinterpret_cast<const char*>(bytes.data()),
                                           bytes.size()));
}

Tensor load_npy(std::span<const uint8_t> bytes, const std::string& name) {
  uint32_t hlen = 0;
  const size_t pre = preamble_size(bytes.data(), bytes.size(), name, &hlen);
  check_header_length(pre, hlen, bytes.size(), name);
  const Header h = parse_header(bytes.data() + pre, pre, hlen, bytes.size(), name);
  return decode(bytes.data() + h.data_offset, h, name);
}

Tensor load_npy(const std::string& path) {
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) throw IOError("Cannot open '" + path + "': " + std::strerror(errno));
  struct stat st;
  if (::fstat(f.fd, &st) != 0) throw IOError("Cannot stat '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw IOError("Cannot load '" + path + "': not a regular file");
  const uint64_t total = static_cast<uint64_t>(st.st_size);
  uint8_t pre_bytes[12];
  const size_t avail = static_cast<size_t>(std::min<uint64_t>(total, sizeof(pre_bytes)));
  read_exact(f.fd, pre_bytes, avail, 0, path);
  uint32_t hlen = 0;
  const size_t pre = preamble_size(pre_bytes, avail, path, &hlen);
  check_header_length(pre, hlen, total, path);
  std::vector<uint8_t> header(hlen);
  read_exact(f.fd, header.data(), hlen, pre, path);
  const Header h = parse_header(header.data(), pre, hlen, total, path);
  // Only now, with the data length matched against the file size, is anything large allocated.
  const bool direct = h.kind == Kind::kNumeric && !h.big_endian && !h.fortran_order;
  if (direct) {
    Tensor t = Tensor::empty(h.shape, h.dtype);
    read_exact(f.fd, t.raw_data(), t.nbytes(), h.data_offset, path);
    return t;
  }
  std::vector<uint8_t> data(static_cast<size_t>(h.data_bytes));
  read_exact(f.fd, data.data(), data.size(), h.data_offset, path);
  return decode(data.data(), h, path);
}

}  // namespace keras::io
