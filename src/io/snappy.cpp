// Snappy raw-format decompressor; every length and offset is checked before it is used.
#include "keras/io/snappy.hpp"

#include <cstring>

#include "keras/core/errors.hpp"
#include "keras/io/protobuf_wire.hpp"

namespace keras::io::snappy {
namespace {

[[noreturn]] void fail(std::string_view what, const std::string& problem) {
  throw FileFormatError(std::string(what) + ": corrupt snappy block: " + problem + ".");
}

}  // namespace

uint64_t uncompressed_length(std::string_view compressed, std::string_view what) {
  uint32_t n;
  if (!pb::get_varint32(&compressed, &n)) fail(what, "bad length preamble");
  return n;
}

std::string uncompress(std::string_view compressed, size_t max_output, std::string_view what) {
  std::string_view in = compressed;
  uint32_t declared;
  if (!pb::get_varint32(&in, &declared)) fail(what, "bad length preamble");
  if (declared > max_output)
    fail(what, "declared length " + std::to_string(declared) + " exceeds the limit of " +
                   std::to_string(max_output) + " bytes");
  if (declared > kMaxExpansion * compressed.size())
    fail(what, "declared length " + std::to_string(declared) + " is impossible for " +
                   std::to_string(compressed.size()) + " compressed bytes");

  std::string out(declared, '\0');
  char* const dst = out.data();
  size_t pos = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  const uint8_t* const end = p + in.size();

  while (p < end) {
    const uint8_t tag = *p++;
    size_t len;
    size_t offset;
    switch (tag & 3) {
      case 0: {  // literal
        len = (tag >> 2) + 1;
        if (len > 60) {
          const size_t extra = len - 60;  // 1..4 length bytes follow
          if (static_cast<size_t>(end - p) < extra) fail(what, "truncated literal length");
          size_t l = 0;
          for (size_t i = 0; i < extra; ++i) l |= static_cast<size_t>(p[i]) << (8 * i);
          p += extra;
          len = l + 1;
        }
        if (static_cast<size_t>(end - p) < len) fail(what, "literal runs past the input");
        if (declared - pos < len) fail(what, "literal runs past the declared length");
        std::memcpy(dst + pos, p, len);
        p += len;
        pos += len;
        continue;
      }
      case 1:
        if (end - p < 1) fail(what, "truncated copy");
        len = 4 + ((tag >> 2) & 7);
        offset = (static_cast<size_t>(tag >> 5) << 8) | p[0];
        p += 1;
        break;
      case 2:
        if (end - p < 2) fail(what, "truncated copy");
        len = 1 + (tag >> 2);
        offset = p[0] | (static_cast<size_t>(p[1]) << 8);
        p += 2;
        break;
      default:
        if (end - p < 4) fail(what, "truncated copy");
        len = 1 + (tag >> 2);
        offset = p[0] | (static_cast<size_t>(p[1]) << 8) | (static_cast<size_t>(p[2]) << 16) |
                 (static_cast<size_t>(p[3]) << 24);
        p += 4;
        break;
    }
    if (offset == 0 || offset > pos)
      fail(what, "copy offset " + std::to_string(offset) + " at output byte " +
                     std::to_string(pos) + " reaches before the start");
    if (declared - pos < len) fail(what, "copy runs past the declared length");
    // Overlapping copies (offset < len) repeat a pattern, so copy byte by byte forward.
    const char* src = dst + pos - offset;
    if (offset >= len) {
      std::memcpy(dst + pos, src, len);
    } else {
      for (size_t i = 0; i < len; ++i) dst[pos + i] = src[i];
    }
    pos += len;
  }
  if (pos != declared)
    fail(what, "produced " + std::to_string(pos) + " bytes, declared " + std::to_string(declared));
  return out;
}

}  // namespace keras::io::snappy
