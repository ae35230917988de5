// CRC-32C against published check values (RFC 3720 B.4, the CRC catalogue's check value) and
// the masking example of spec/FORMATS.md section 4.3.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "keras/io/crc32c.hpp"

namespace crc = keras::io::crc32c;

namespace {

uint32_t both(const std::vector<uint8_t>& v) {
  const uint32_t a = crc::value(v.data(), v.size());
  EXPECT_EQ(a, crc::extend_portable(0, v.data(), v.size()));
  return a;
}

}  // namespace

TEST(Crc32c, CheckValue) {
  EXPECT_EQ(crc::value(std::string_view("123456789")), 0xE3069283u);
  EXPECT_EQ(crc::extend_portable(0, "123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc::value(std::string_view("")), 0u);
}

TEST(Crc32c, Rfc3720Vectors) {
  EXPECT_EQ(both(std::vector<uint8_t>(32, 0x00)), 0x8A9136AAu);
  EXPECT_EQ(both(std::vector<uint8_t>(32, 0xFF)), 0x62A8AB43u);
  std::vector<uint8_t> inc(32), dec(32);
  for (int i = 0; i < 32; ++i) {
    inc[i] = static_cast<uint8_t>(i);
    dec[i] = static_cast<uint8_t>(31 - i);
  }
  EXPECT_EQ(both(inc), 0x46DD794Eu);
  EXPECT_EQ(both(dec), 0x113FDB5Cu);
  // An iSCSI read command PDU.
  const std::vector<uint8_t> pdu = {0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
                                    0x00, 0x18, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(both(pdu), 0xD9963A56u);
}

TEST(Crc32c, ExtendEqualsWholeAndPathsAgree) {
  std::mt19937 rng(42);
  std::vector<uint8_t> buf(1000);
  for (auto& b : buf) b = static_cast<uint8_t>(rng());
  // Unaligned starts and every tail length exercise both loops of both implementations.
  for (size_t start = 0; start < 9; ++start) {
    for (size_t len : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 500, 991}) {
      const uint8_t* p = buf.data() + start;
      const uint32_t whole = crc::value(p, len);
      ASSERT_EQ(whole, crc::extend_portable(0, p, len)) << start << " " << len;
      for (size_t split : {size_t{0}, len / 3, len / 2, len}) {
        const uint32_t first = crc::value(p, split);
        ASSERT_EQ(crc::extend(first, p + split, len - split), whole);
        ASSERT_EQ(crc::extend_portable(first, p + split, len - split), whole);
      }
    }
  }
}

TEST(Crc32c, Mask) {
  EXPECT_EQ(crc::mask(0xE3069283u), 0xC78AB0E5u);  // FORMATS.md 4.3
  EXPECT_EQ(crc::unmask(0xC78AB0E5u), 0xE3069283u);
  // FORMATS.md 4.7: float32 [1.0, 2.0].
  const uint8_t v[8] = {0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40};
  EXPECT_EQ(crc::value(v, 8), 0x28C0C9B1u);
  EXPECT_EQ(crc::mask(crc::value(v, 8)), 0x35E53C59u);
  for (uint32_t x : {0u, 1u, 0xffffffffu, 0x80000000u, 0x12345678u}) {
    EXPECT_EQ(crc::unmask(crc::mask(x)), x);
    EXPECT_NE(crc::mask(x), x);
  }
}
