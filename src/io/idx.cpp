// IDX reader over zlib's gz* API (layout in include/keras/io/idx.hpp).
#include "keras/io/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace keras::io {
namespace {

constexpr unsigned kChunk = 1u << 20;  // bytes per gzread: bounds each step of the read

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw FileFormatError("Cannot load '" + path + "' as an IDX file: " + problem);
}

class GzFile {
 public:
  explicit GzFile(const std::string& path) : path_(path) {
    errno = 0;
    f_ = gzopen(path.c_str(), "rb");
    if (!f_)
      throw IOError("Cannot open '" + path +
                    "': " + (errno ? std::strerror(errno) : "out of memory"));
    gzbuffer(f_, 1 << 17);
  }
  ~GzFile() { gzclose_r(f_); }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;

  // Reads up to n bytes; returns how many (fewer only at the end of the data).
  size_t read(void* buf, size_t n) {
    size_t done = 0;
    while (done < n) {
      const unsigned want = static_cast<unsigned>(std::min<size_t>(n - done, kChunk));
      const int r = gzread(f_, static_cast<char*>(buf) + done, want);
      if (r < 0) fail(path_, "corrupt gzip data (" + error() + ")");
      if (r == 0) break;
      done += static_cast<size_t>(r);
    }
    return done;
  }

  // Why the last read stopped short: a cut-off gzip stream, or a plain end of file.
  std::string short_reason() {
    int errnum = Z_OK;
    gzerror(f_, &errnum);
    return errnum == Z_BUF_ERROR ? " (the gzip stream is cut off)" : "";
  }

 private:
  std::string error() {
    int errnum = Z_OK;
    const char* msg = gzerror(f_, &errnum);
    return errnum == Z_ERRNO ? std::strerror(errno) : (msg ? msg : "unknown zlib error");
  }

  gzFile f_ = nullptr;
  std::string path_;
};

template <typename U>
void swap_all(void* data, int64_t n) {
  U* p = static_cast<U*>(data);
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (sizeof(U) == 2)
      p[i] = __builtin_bswap16(p[i]);
    else if constexpr (sizeof(U) == 4)
      p[i] = __builtin_bswap32(p[i]);
    else
      p[i] = __builtin_bswap64(p[i]);
  }
}

}  // namespace

Tensor load_idx(const std::string& path) {
  GzFile f(path);
  uint8_t magic[4];
  if (f.read(magic, 4) < 4) fail(path, "the file is shorter than the 4-byte magic number");
  if (magic[0] != 0 || magic[1] != 0)
    fail(path, "bad magic: expected two zero bytes, received 0x" + std::to_string(magic[0]) +
                   " 0x" + std::to_string(magic[1]) + " (is this an IDX file?)");
  DType dtype;
  switch (magic[2]) {
    case 0x08:
      dtype = DType::uint8;
      break;
    case 0x09:
      dtype = DType::int8;
      break;
    case 0x0B:
      dtype = DType::int16;
      break;
    case 0x0C:
      dtype = DType::int32;
      break;
    case 0x0D:
      dtype = DType::float32;
      break;
    case 0x0E:
      dtype = DType::float64;
      break;
    default:
      fail(path,
           "unknown type code " + std::to_string(magic[2]) + " (expected 8, 9, 11, 12, 13 or 14)");
  }
  const int rank = magic[3];
  if (rank < 1 || rank > kMaxIdxRank)
    fail(path, "rank " + std::to_string(rank) + " is outside 1.." + std::to_string(kMaxIdxRank));
  uint8_t dim_bytes[4 * kMaxIdxRank];
  if (f.read(dim_bytes, 4 * static_cast<size_t>(rank)) < 4 * static_cast<size_t>(rank))
    fail(path, "the file ends inside the " + std::to_string(rank) + " dimension sizes");
  Shape shape;
  uint64_t count = 1;
  for (int k = 0; k < rank; ++k) {
    const uint8_t* b = dim_bytes + 4 * k;
    const uint64_t d =
        (uint64_t{b[0]} << 24) | (uint64_t{b[1]} << 16) | (uint64_t{b[2]} << 8) | b[3];
    shape.push_back(static_cast<int64_t>(d));
    if (__builtin_mul_overflow(count, d, &count)) count = UINT64_MAX;
  }
  const size_t elem = dtype_size(dtype);
  if (count > kMaxIdxBytes / elem)
    fail(path, "dims " + shape_str(shape) + " describe more than " + std::to_string(kMaxIdxBytes) +
                   " bytes of data");
  const size_t expected = static_cast<size_t>(count) * elem;

  // Grow the buffer only as data actually arrives, so dims that lie cost nothing.
  std::vector<uint8_t> data;
  while (data.size() < expected) {
    const size_t old = data.size();
    const size_t want = std::min<size_t>(expected - old, kChunk);
    data.resize(old + want);
    const size_t got = f.read(data.data() + old, want);
    data.resize(old + got);
    if (got < want) break;
  }
  if (data.size() < expected)
    fail(path, "truncated: dims " + shape_str(shape) + " need " + std::to_string(expected) +
                   " bytes of data, the file holds " + std::to_string(data.size()) +
                   f.short_reason());
  uint8_t extra;
  if (f.read(&extra, 1) != 0)
    fail(path, "more data than dims " + shape_str(shape) + " describe (" +
                   std::to_string(expected) + " bytes)");

  Tensor t = Tensor::empty(shape, dtype);
  if (expected) std::memcpy(t.raw_data(), data.data(), expected);
  if (elem == 2)
    swap_all<uint16_t>(t.raw_data(), t.size());
  else if (elem == 4)
    swap_all<uint32_t>(t.raw_data(), t.size());
  else if (elem == 8)
    swap_all<uint64_t>(t.raw_data(), t.size());
  return t;
}

}  // namespace keras::io
