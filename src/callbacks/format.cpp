// Python-compatible number formatting for the callbacks' messages and files.
#include "callbacks/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace keras::callbacks::internal {

namespace {

// NaN and infinities as Python spells them; empty for a finite value.
std::string non_finite(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return {};
}

std::string printf_number(double value, int precision, char conversion) {
  if (auto s = non_finite(value); !s.empty()) return s;
  const char format[] = {'%', '.', '*', conversion, '\0'};
  char buf[512];
  std::snprintf(buf, sizeof(buf), format, precision, value);
  return buf;
}

}  // namespace

std::string py_repr(double value) {
  if (auto s = non_finite(value); !s.empty()) return s;
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // The shortest round-trip digits, as "d.ddde±XX": the digits Python's repr uses.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const size_t e_pos = sci.find('e');
  std::string mantissa = sci.substr(0, e_pos);
  const int exponent = std::atoi(sci.c_str() + e_pos + 1);
  std::string sign;
  if (mantissa[0] == '-') sign = "-", mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  // Python's float_repr_style 'short': exponent notation when the decimal point would fall
  // more than 4 places left of the first digit or 16 right of it.
  if (exponent < -4 || exponent >= 16) {
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof(exp_buf), "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    return out + exp_buf;
  }
  std::string out;
  if (exponent < 0) {
    out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(exponent) + 1 - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, static_cast<size_t>(exponent) + 1) + "." +
          digits.substr(static_cast<size_t>(exponent) + 1);
  }
  return sign + out;
}

std::string py_fixed(double value, int precision) { return printf_number(value, precision, 'f'); }
std::string py_exp(double value, int precision) { return printf_number(value, precision, 'e'); }

void print_msg(const std::string& message) { std::cout << message << "\n" << std::flush; }

void warn(const std::string& message) { std::cerr << "UserWarning: " << message << "\n"; }

}  // namespace keras::callbacks::internal
