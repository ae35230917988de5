#include "keras/utils/python_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "keras/core/errors.hpp"

namespace keras::utils {
namespace {

struct Spec {
  char fill = ' ';
  char align = 0;  // '<', '>', '^', '='
  char sign = '-';
  int width = -1;
  int precision = -1;
  char type = 0;
};

Spec parse_spec(const std::string& s, const std::string& pattern) {
  Spec spec;
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (s.size() >= 2 && is_align(s[1])) {
    spec.fill = s[0];
    spec.align = s[1];
    i = 2;
  } else if (!s.empty() && is_align(s[0])) {
    spec.align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
  if (i < s.size() && s[i] == '0') {
    if (!spec.align) {
      spec.fill = '0';
      spec.align = '=';
    }
    ++i;
  }
  auto read_int = [&](int& out) {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out = std::stoi(s.substr(start, i - start));
  };
  read_int(spec.width);
  if (i < s.size() && s[i] == '.') {
    ++i;
    spec.precision = 0;
    read_int(spec.precision);
  }
  if (i < s.size()) spec.type = s[i++];
  if (i != s.size())
    throw ValueError("Invalid format specifier '" + s + "' in '" + pattern + "'.");
  return spec;
}

// Python's repr of a float (shortest round-trip digits, always with a '.' or exponent).
std::string float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, end);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string pad(std::string body, const Spec& spec, bool numeric) {
  if (spec.width < 0 || static_cast<int>(body.size()) >= spec.width) return body;
  const size_t n = static_cast<size_t>(spec.width) - body.size();
  const char align = spec.align ? spec.align : (numeric ? '>' : '<');
  if (align == '<') return body + std::string(n, spec.fill);
  if (align == '^') return std::string(n / 2, spec.fill) + body + std::string(n - n / 2, spec.fill);
  if (align == '=' && !body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' '))
    return body.substr(0, 1) + std::string(n, spec.fill) + body.substr(1);
  return std::string(n, spec.fill) + body;
}

std::string format_value(const FormatValue& value, const Spec& spec, const std::string& pattern) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    if (spec.type && spec.type != 's')
      throw ValueError("Unknown format code '" + std::string(1, spec.type) +
                       "' for a string in '" + pattern + "'.");
    std::string body = spec.precision >= 0 ? s->substr(0, spec.precision) : *s;
    return pad(body, spec, false);
  }
  const bool is_int = std::holds_alternative<int64_t>(value);
  const double d = is_int ? static_cast<double>(std::get<int64_t>(value)) : std::get<double>(value);
  std::string body;
  char type = spec.type;
  if (type == 'd') {
    if (!is_int)
      throw ValueError("Unknown format code 'd' for a float in '" + pattern + "'.");
    body = std::to_string(std::get<int64_t>(value));
  } else if (type == 0 && is_int) {
    body = std::to_string(std::get<int64_t>(value));
  } else if (type == 0) {
    body = spec.precision >= 0 ? [&] {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.*g", spec.precision, d);
      return std::string(buf);
    }()
                               : float_repr(d);
  } else if (std::string("fFeEgG%").find(type) != std::string::npos) {
    const int prec = spec.precision >= 0 ? spec.precision : 6;
    char buf[128];
    if (type == '%') {
      std::snprintf(buf, sizeof buf, "%.*f%%", prec, d * 100);
    } else {
      const char fmt[] = {'%', '.', '*', type, 0};
      std::snprintf(buf, sizeof buf, fmt, prec, d);
    }
    body = buf;
  } else {
    throw ValueError("Unknown format code '" + std::string(1, type) + "' in '" + pattern + "'.");
  }
  if (spec.sign != '-' && !body.empty() && body[0] != '-') body = std::string(1, spec.sign) + body;
  return pad(body, spec, true);
}

}  // namespace

std::string python_format(const std::string& pattern,
                          const std::map<std::string, FormatValue>& values) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (c == '}' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      out += '}';
      ++i;
    } else if (c == '{') {
      const size_t close = pattern.find('}', i);
      if (close == std::string::npos)
        throw ValueError("Single '{' encountered in format string '" + pattern + "'.");
      const std::string field = pattern.substr(i + 1, close - i - 1);
      const size_t colon = field.find(':');
      const std::string name = field.substr(0, colon);
      auto it = values.find(name);
      if (it == values.end())
        throw ValueError("Unknown key '" + name + "' in the file path template '" + pattern +
                         "'. Available: epoch, batch and the logs' names.");
      const Spec spec =
          colon == std::string::npos ? Spec{} : parse_spec(field.substr(colon + 1), pattern);
      out += format_value(it->second, spec, pattern);
      i = close;
    } else if (c == '}') {
      throw ValueError("Single '}' encountered in format string '" + pattern + "'.");
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace keras::utils
