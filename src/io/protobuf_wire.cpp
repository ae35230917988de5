// Protocol Buffers wire-format reader and writer (see the header for the layout).
#include "keras/io/protobuf_wire.hpp"

#include <cstring>

#include "keras/core/errors.hpp"

namespace keras::io::pb {
namespace {

// Groups are a proto2 relic nobody nests deeply; the bound stops a hostile message from
// exhausting the stack.
constexpr int kMaxGroupDepth = 64;
constexpr uint32_t kMaxFieldNumber = (1u << 29) - 1;

}  // namespace

void put_varint(std::string* out, uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, n);
}

bool get_varint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (size_t i = 0; i < in->size() && i < 10; ++i) {
    const uint64_t byte = static_cast<uint8_t>((*in)[i]);
    // The 10th byte holds only bit 63; anything more overflows 64 bits.
    if (i == 9 && byte > 1) return false;
    result |= (byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      *v = result;
      in->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

bool get_varint32(std::string_view* in, uint32_t* v) {
  std::string_view copy = *in;
  uint64_t wide;
  if (!get_varint(&copy, &wide) || wide > UINT32_MAX) return false;
  *v = static_cast<uint32_t>(wide);
  *in = copy;
  return true;
}

int varint_length(uint64_t v) {
  int n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// ---------------------------------------------------------------- WireReader

WireReader::WireReader(std::string_view message, std::string what)
    : rest_(message), size_(message.size()), what_(std::move(what)) {}

void WireReader::fail(const std::string& problem) const {
  throw FileFormatError(what_ + ": " + problem + " at byte " +
                        std::to_string(size_ - rest_.size()) + " of " + std::to_string(size_) +
                        ".");
}

bool WireReader::next() {
  if (rest_.empty()) return false;
  uint64_t tag;
  if (!get_varint(&rest_, &tag)) fail("truncated or overlong field tag");
  const uint64_t field = tag >> 3;
  const uint8_t type = tag & 7;
  if (field == 0 || field > kMaxFieldNumber) fail("invalid field number " + std::to_string(field));
  if (type > 5) fail("invalid wire type " + std::to_string(type));
  field_ = static_cast<uint32_t>(field);
  type_ = static_cast<WireType>(type);
  return true;
}

void WireReader::expect(WireType type) const {
  if (type_ != type)
    fail("field " + std::to_string(field_) + " has wire type " +
         std::to_string(static_cast<int>(type_)) + ", expected " +
         std::to_string(static_cast<int>(type)));
}

uint64_t WireReader::read_varint() {
  expect(WireType::varint);
  uint64_t v;
  if (!get_varint(&rest_, &v)) fail("truncated or overlong varint");
  return v;
}

uint32_t WireReader::read_fixed32() {
  expect(WireType::fixed32);
  if (rest_.size() < 4) fail("truncated fixed32");
  uint8_t b[4];
  std::memcpy(b, rest_.data(), 4);
  rest_.remove_prefix(4);
  return b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
}

uint64_t WireReader::read_fixed64() {
  expect(WireType::fixed64);
  if (rest_.size() < 8) fail("truncated fixed64");
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(rest_[i]);
  rest_.remove_prefix(8);
  return v;
}

std::string_view WireReader::read_bytes() {
  expect(WireType::length_delimited);
  uint64_t len;
  if (!get_varint(&rest_, &len)) fail("truncated length");
  if (len > rest_.size())
    fail("length-delimited field " + std::to_string(field_) + " of " + std::to_string(len) +
         " bytes overruns the " + std::to_string(rest_.size()) + " remaining");
  std::string_view bytes = rest_.substr(0, len);
  rest_.remove_prefix(len);
  return bytes;
}

void WireReader::skip_value(WireType type, uint32_t field, int depth) {
  const WireType saved = type_;
  type_ = type;
  switch (type) {
    case WireType::varint:
      read_varint();
      break;
    case WireType::fixed64:
      read_fixed64();
      break;
    case WireType::length_delimited:
      read_bytes();
      break;
    case WireType::fixed32:
      read_fixed32();
      break;
    case WireType::start_group:
      skip_group(field, depth + 1);
      break;
    case WireType::end_group:
      fail("unmatched end-group for field " + std::to_string(field));
  }
  type_ = saved;
}

void WireReader::skip_group(uint32_t field, int depth) {
  if (depth > kMaxGroupDepth) fail("groups nested too deeply");
  while (next()) {
    if (type_ == WireType::end_group) {
      if (field_ != field)
        fail("end-group for field " + std::to_string(field_) + " inside group " +
             std::to_string(field));
      return;
    }
    skip_value(type_, field_, depth);
  }
  fail("unterminated group " + std::to_string(field));
}

void WireReader::skip() {
  const uint32_t field = field_;
  skip_value(type_, field, 0);
  field_ = field;
}

// ---------------------------------------------------------------- WireWriter

void WireWriter::write_tag(uint32_t field, WireType type) {
  put_varint(&out_, (static_cast<uint64_t>(field) << 3) | static_cast<uint8_t>(type));
}

void WireWriter::write_varint(uint32_t field, uint64_t v) {
  write_tag(field, WireType::varint);
  put_varint(&out_, v);
}

void WireWriter::write_fixed32(uint32_t field, uint32_t v) {
  write_tag(field, WireType::fixed32);
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
}

void WireWriter::write_fixed64(uint32_t field, uint64_t v) {
  write_tag(field, WireType::fixed64);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
}

void WireWriter::write_bytes(uint32_t field, std::string_view bytes) {
  write_tag(field, WireType::length_delimited);
  put_varint(&out_, bytes.size());
  out_.append(bytes);
}

}  // namespace keras::io::pb
