// Protocol Buffers wire reader/writer against the encoding guide's examples
// (protobuf.dev/programming-guides/encoding) and malformed messages.
#include <gtest/gtest.h>

#include <string>

#include "keras/core/errors.hpp"
#include "keras/io/protobuf_wire.hpp"

namespace pb = keras::io::pb;
using std::string_literals::operator""s;
using std::string_view_literals::operator""sv;

TEST(ProtobufWire, Varints) {
  const auto enc = [](uint64_t v) {
    std::string s;
    pb::put_varint(&s, v);
    return s;
  };
  EXPECT_EQ(enc(0), "\x00"s);
  EXPECT_EQ(enc(1), "\x01"s);
  EXPECT_EQ(enc(127), "\x7f"s);
  EXPECT_EQ(enc(150), "\x96\x01"s);  // the guide's example
  EXPECT_EQ(enc(300), "\xac\x02"s);
  EXPECT_EQ(enc(UINT64_MAX), "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"s);
  EXPECT_EQ(pb::varint_length(UINT64_MAX), 10);
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{1} << 35,
                     uint64_t{1} << 63, UINT64_MAX}) {
    std::string s = enc(v) + "rest";
    std::string_view in = s;
    uint64_t got;
    ASSERT_TRUE(pb::get_varint(&in, &got));
    EXPECT_EQ(got, v);
    EXPECT_EQ(in, "rest");
  }
  uint64_t v;
  std::string_view bad = "\x80\x80"sv;  // truncated
  EXPECT_FALSE(pb::get_varint(&bad, &v));
  EXPECT_EQ(bad.size(), 2u);  // unchanged on failure
  std::string_view overflow = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"sv;
  EXPECT_FALSE(pb::get_varint(&overflow, &v));
  std::string_view overlong = "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00"sv;
  EXPECT_FALSE(pb::get_varint(&overlong, &v));
  uint32_t v32;
  std::string_view big = "\x80\x80\x80\x80\x10"sv;  // 2^32
  EXPECT_FALSE(pb::get_varint32(&big, &v32));
  std::string_view max32 = "\xff\xff\xff\xff\x0f"sv;
  ASSERT_TRUE(pb::get_varint32(&max32, &v32));
  EXPECT_EQ(v32, UINT32_MAX);
}

TEST(ProtobufWire, WriterMatchesTheEncodingGuide) {
  pb::WireWriter w;
  w.write_varint(1, 150);
  w.write_bytes(2, "testing");
  EXPECT_EQ(w.data(), "\x08\x96\x01\x12\x07testing"s);
  pb::WireWriter n;
  n.write_int32(1, -1);  // negative int32: sign-extended, 10 bytes
  n.write_fixed32(2, 0x01020304);
  n.write_fixed64(3, 0x0102030405060708ull);
  EXPECT_EQ(n.data(),
            "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
            "\x15\x04\x03\x02\x01"
            "\x19\x08\x07\x06\x05\x04\x03\x02\x01"s);
}

TEST(ProtobufWire, ReadsAndSkipsEveryWireType) {
  // varint 1, fixed64 2, bytes 3, group 4 {varint 1, nested group 2 {}}, fixed32 5, varint 6.
  const std::string msg =
      "\x08\x96\x01"
      "\x11\x01\x02\x03\x04\x05\x06\x07\x08"
      "\x1a\x03"
      "abc"
      "\x23\x08\x01\x13\x14\x24"
      "\x2d\x01\x00\x00\x80"
      "\x30\x7f"s;
  pb::WireReader r(msg, "msg");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.field(), 1u);
  EXPECT_EQ(r.read_varint(), 150u);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.read_fixed64(), 0x0807060504030201ull);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.read_bytes(), "abc");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.wire_type(), pb::WireType::start_group);
  r.skip();
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.field(), 5u);
  EXPECT_EQ(r.read_fixed32(), 0x80000001u);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.field(), 6u);
  EXPECT_EQ(r.read_int32(), 127);
  EXPECT_FALSE(r.next());

  pb::WireReader all(msg, "msg");  // skipping every field reaches the end
  int fields = 0;
  while (all.next()) {
    all.skip();
    ++fields;
  }
  EXPECT_EQ(fields, 6);
}

TEST(ProtobufWire, RejectsMalformedMessages) {
  const auto bad = [](const std::string& msg, const std::string& needle) {
    try {
      pb::WireReader r(msg, "BundleEntryProto of 'k' in 'f.index'");
      while (r.next()) r.skip();
      ADD_FAILURE() << "no error for " << needle;
    } catch (const keras::FileFormatError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("'k' in 'f.index'"), std::string::npos) << what;
      EXPECT_NE(what.find(needle), std::string::npos) << what;
    }
  };
  bad("\x12\x05"
      "abc"s,
      "overruns");
  bad("\x12\xff\xff\xff\xff\x0f"s, "overruns");
  bad("\x15\x01\x02"s, "truncated fixed32");
  bad("\x11\x01"s, "truncated fixed64");
  bad("\x08"s, "truncated or overlong varint");
  bad("\x08\x80"s, "truncated or overlong varint");
  bad("\x80"s, "tag");
  bad("\x00\x01"s, "invalid field number 0");
  bad("\x0e"s, "invalid wire type 6");
  bad("\x0f"s, "invalid wire type 7");
  bad("\x0c"s, "unmatched end-group");
  bad("\x0b\x08\x01"s, "unterminated group");
  bad("\x0b\x14"s, "end-group for field 2 inside group 1");
  bad(std::string(100, '\x0b'), "nested too deeply");

  pb::WireReader r("\x08\x01"s, "m");
  ASSERT_TRUE(r.next());
  EXPECT_THROW(r.read_bytes(), keras::FileFormatError);  // wrong wire type
}
