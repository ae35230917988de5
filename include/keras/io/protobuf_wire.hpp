// Protocol Buffers wire format (https://protobuf.dev/programming-guides/encoding/), the minimal
// bounds-checked reader and writer behind the small TensorFlow messages keras-cpp reads by hand
// (BundleHeaderProto, BundleEntryProto, TensorShapeProto, VersionDef).
//
//   message := (tag value)*           tag := varint (field_number << 3 | wire_type)
//   wire type 0 varint | 1 fixed64 (LE) | 2 varint length + bytes | 3/4 group start/end (legacy)
//   | 5 fixed32 (LE)
//
// Every length is checked against the bytes that remain; a malformed message throws
// FileFormatError naming `what` (the file and message being parsed) and the byte offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace keras::io::pb {

enum class WireType : uint8_t {
  varint = 0,
  fixed64 = 1,
  length_delimited = 2,
  start_group = 3,
  end_group = 4,
  fixed32 = 5,
};

// ---- raw varints, shared with the SSTable code ----

// Appends v as a base-128 varint (1 to 10 bytes).
void put_varint(std::string* out, uint64_t v);
// Decodes a varint from the front of *in and advances it; false when *in ends inside the varint
// or the varint runs past 10 bytes / 64 bits. *in is unchanged on failure.
bool get_varint(std::string_view* in, uint64_t* v);
// As get_varint, also failing when the value does not fit in 32 bits (LevelDB's varint32).
bool get_varint32(std::string_view* in, uint32_t* v);
// Bytes put_varint would write.
int varint_length(uint64_t v);

// Reads the fields of one serialized message in order.
class WireReader {
 public:
  // `what` names the message and file for error messages ("BundleEntryProto of 'x' in f.index").
  WireReader(std::string_view message, std::string what);

  // Reads the next tag; false at the end of the message. Field number 0 is rejected.
  bool next();
  uint32_t field() const { return field_; }
  WireType wire_type() const { return type_; }

  // Value readers for the current field; each checks the wire type.
  uint64_t read_varint();
  int64_t read_int64() { return static_cast<int64_t>(read_varint()); }
  // int32/enum: proto encodes negatives as 10-byte sign-extended varints; truncation as protobuf.
  int32_t read_int32() { return static_cast<int32_t>(read_varint()); }
  bool read_bool() { return read_varint() != 0; }
  uint32_t read_fixed32();
  uint64_t read_fixed64();
  // The bytes of a length-delimited field (a string, bytes, a sub-message or a packed array).
  std::string_view read_bytes();
  // Skips the current field whatever its wire type (groups included, nesting bounded).
  void skip();

  const std::string& what() const { return what_; }
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  void expect(WireType type) const;
  void skip_group(uint32_t field, int depth);
  void skip_value(WireType type, uint32_t field, int depth);

  std::string_view rest_;
  size_t size_;
  std::string what_;
  uint32_t field_ = 0;
  WireType type_ = WireType::varint;
};

// Appends fields in the order called; proto3 writers (TensorFlow's included) emit fields in
// field-number order and skip default values, which is the callers' job.
class WireWriter {
 public:
  void write_varint(uint32_t field, uint64_t v);
  void write_int64(uint32_t field, int64_t v) { write_varint(field, static_cast<uint64_t>(v)); }
  // Negative int32/enum values are sign-extended to 64 bits, as protobuf does.
  void write_int32(uint32_t field, int32_t v) {
    write_varint(field, static_cast<uint64_t>(static_cast<int64_t>(v)));
  }
  void write_bool(uint32_t field, bool v) { write_varint(field, v ? 1 : 0); }
  void write_fixed32(uint32_t field, uint32_t v);
  void write_fixed64(uint32_t field, uint64_t v);
  void write_bytes(uint32_t field, std::string_view bytes);

  const std::string& data() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void write_tag(uint32_t field, WireType type);
  std::string out_;
};

}  // namespace keras::io::pb
