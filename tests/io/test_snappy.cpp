// Snappy decoder: hand-assembled streams (format_description.txt), streams compressed by the
// system's libsnappy (tests/io/snappy_vectors.py), and malformed streams.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "keras/core/errors.hpp"
#include "keras/io/snappy.hpp"

namespace fs = std::filesystem;
namespace snappy = keras::io::snappy;
using std::string_literals::operator""s;

namespace {

constexpr size_t kNoLimit = size_t{1} << 30;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

std::string uncompress(const std::string& s) { return snappy::uncompress(s, kNoLimit, "test"); }

}  // namespace

TEST(Snappy, HandAssembledElements) {
  EXPECT_EQ(uncompress("\x05\x10hello"s), "hello");
  EXPECT_EQ(uncompress("\x00"s), "");
  // 1-byte-offset copy overlapping its own output: "ab" then 8 bytes from 2 back.
  EXPECT_EQ(uncompress("\x0a\x04"
                       "ab\x11\x02"s),
            "ababababab");
  // 2-byte and 4-byte offset copies.
  EXPECT_EQ(uncompress("\x06\x08"
                       "abc\x0a\x03\x00"s),
            "abcabc");
  EXPECT_EQ(uncompress("\x06\x08"
                       "abc\x0b\x03\x00\x00\x00"s),
            "abcabc");
  // Literal whose length-1 (99) follows the tag (tag>>2 == 60).
  EXPECT_EQ(uncompress("\x64\xf0\x63"s + std::string(100, 'x')), std::string(100, 'x'));
  // Two length bytes (tag>>2 == 61): length-1 = 0x0123.
  EXPECT_EQ(uncompress("\xa4\x02\xf4\x23\x01"s + std::string(0x124, 'y')), std::string(0x124, 'y'));
  EXPECT_EQ(snappy::uncompressed_length("\xa4\x02"s, "test"), 0x124u);
}

TEST(Snappy, DecodesLibsnappyOutput) {
  const fs::path dir = fs::temp_directory_path() / ("keras_snappy_" + std::to_string(::getpid()));
  const std::string cmd = "/usr/bin/python3 " KERAS_SOURCE_DIR "/tests/io/snappy_vectors.py " +
                          dir.string() + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "libsnappy not available to python3";
  int count = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() != ".snappy") continue;
    const std::string raw = slurp(fs::path(f.path()).replace_extension(".raw"));
    EXPECT_EQ(uncompress(slurp(f.path())), raw) << f.path();
    ++count;
  }
  fs::remove_all(dir);
  EXPECT_EQ(count, 6);
}

TEST(Snappy, RejectsMalformedStreams) {
  const auto bad = [](const std::string& s, const std::string& needle, size_t limit = kNoLimit) {
    try {
      snappy::uncompress(s, limit, "block X");
      ADD_FAILURE() << "no error for " << needle;
    } catch (const keras::FileFormatError& e) {
      EXPECT_NE(std::string(e.what()).find("block X"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  bad("\x06\x04"
      "ab\x01\x00"s,
      "offset 0");  // copy offset 0
  bad("\x06\x04"
      "ab\x01\x03"s,
      "reaches before the start");  // copy before output start
  bad("\x03\x04"
      "ab\x11\x02"s,
      "past the declared length");  // copy overruns declared size
  bad("\x01\x04"
      "ab"s,
      "past the declared length");  // literal overruns declared size
  bad("\x0a\x04"
      "ab"s,
      "produced 2 bytes, declared 10");
  bad("\x05\x10hel"s, "literal runs past the input");
  bad("\x06\x04"
      "ab\x02\x03"s,
      "truncated copy");
  bad("\x05\xf4\x01"s, "truncated literal length");
  bad("\x05\x10hello"s, "exceeds the limit", 4);
  bad("\xff\xff\xff\xff\x0f\x00"s, "impossible", SIZE_MAX);
  bad("\xff\xff\xff\xff\xff\xff"s, "preamble");
  bad(""s, "preamble");
}

TEST(Snappy, CorruptedRealStreamsNeverCrash) {
  // A libsnappy stream with bytes flipped and truncated: a result of the declared size or a
  // FileFormatError, nothing else (a sanitizer build turns any overrun into a failure).
  const fs::path dir = fs::temp_directory_path() / ("keras_snappy2_" + std::to_string(::getpid()));
  const std::string cmd = "/usr/bin/python3 " KERAS_SOURCE_DIR "/tests/io/snappy_vectors.py " +
                          dir.string() + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "libsnappy not available to python3";
  const std::string s = slurp(dir / "text.snappy");
  fs::remove_all(dir);
  int errors = 0;
  for (size_t i = 0; i < s.size(); i += (i < 256 ? 1 : 37)) {
    for (uint8_t flip : {0x01, 0x10, 0x80, 0xff}) {
      std::string c = s;
      c[i] = static_cast<char>(c[i] ^ flip);
      try {
        EXPECT_EQ(uncompress(c).size(), snappy::uncompressed_length(c, "x"));
      } catch (const keras::FileFormatError&) {
        ++errors;
      }
    }
  }
  EXPECT_GT(errors, 0);
  for (size_t n = 0; n < s.size(); n += 97)
    EXPECT_THROW(uncompress(s.substr(0, n)), keras::FileFormatError);
}
