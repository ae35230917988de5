// Tensor::to_string: numpy's array repr (numpy/core/arrayprint.py, numpy 1.24, default options)
// with "tensor(" for "array(" and the dtype always shown:
//   tensor([[1. , 2.5],
//           [3. , 4. ]], dtype=float32)
// Ported rules: line width 75; more than 1000 elements are summarised with "..." keeping 3 edge
// items per axis; floats use numpy's "maxprec" mode with precision 8 (shortest round-trip digits
// of the element's own type, rounded half-even to at most 8 decimals) and switch to scientific
// notation when a nonzero |x| < 1e-4, |x| >= 1e8 or max/min > 1000; integers are right-aligned
// to a common width; bools print as " True"/"False"; strings as Python's repr ('a', "b'c").
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "keras/core/tensor.hpp"

namespace keras {
namespace {

constexpr size_t kLineWidth = 75;     // numpy's linewidth
constexpr int64_t kThreshold = 1000;  // numpy's threshold: summarise above this many elements
constexpr int64_t kEdgeItems = 3;     // numpy's edgeitems
constexpr int kPrecision = 8;         // numpy's precision
constexpr const char* kPrefix = "tensor(";

// ---------------------------------------------------------------- float digits

// |v| = digits[0].digits[1..] x 10^exp, digits without trailing zeros ("0" for zero).
struct Decimal {
  std::string digits;
  int exp = 0;
};

// Parses printf/to_chars scientific output "d.ddde+XX" (no sign).
Decimal parse_scientific(const char* s, size_t n) {
  Decimal d;
  size_t i = 0;
  for (; i < n && s[i] != 'e'; ++i)
    if (s[i] != '.') d.digits += s[i];
  if (i < n) {
    const char* e = s + i + 1;
    if (e < s + n && *e == '+') ++e;  // from_chars takes no '+'
    std::from_chars(e, s + n, d.exp);
  }
  while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
  return d;
}

// The shortest digits that read back as the same value of the element's own dtype (numpy's
// Dragon4 "unique" mode); float16/bfloat16 search precisions because to_chars has no halves.
template <typename T>
Decimal shortest(T value) {
  char buf[64];
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    const auto r =
        std::to_chars(buf, buf + sizeof(buf), std::abs(value), std::chars_format::scientific);
    return parse_scientific(buf, static_cast<size_t>(r.ptr - buf));
  } else {
    const float v = std::abs(static_cast<float>(value));
    const uint16_t bits = T(v).bits;
    for (int p = 0; p < 9; ++p) {
      const int n = std::snprintf(buf, sizeof(buf), "%.*e", p, static_cast<double>(v));
      if (T(std::strtof(buf, nullptr)).bits == bits)
        return parse_scientific(buf, static_cast<size_t>(n));
    }
    const int n = std::snprintf(buf, sizeof(buf), "%.9e", static_cast<double>(v));
    return parse_scientific(buf, static_cast<size_t>(n));
  }
}

// Scientific digits of |v|: the shortest digits cut to at most `precision` decimals (rounded
// half-even on the exact value, as Dragon4), then, as numpy's min_digits does, extended with
// the exact value's own further digits up to `min_digits` decimals.
Decimal scientific_digits(const Decimal& d, double v, int precision, int min_digits = 0) {
  const int decimals = static_cast<int>(d.digits.size()) - 1;
  if (decimals <= precision && decimals >= min_digits) return d;
  char buf[64];
  const int p = decimals > precision ? precision : min_digits;
  const int n = std::snprintf(buf, sizeof(buf), "%.*e", p, std::abs(v));
  Decimal out = parse_scientific(buf, static_cast<size_t>(n));
  if (p == min_digits) out.digits.resize(static_cast<size_t>(p) + 1, '0');  // keep zeros
  return out;
}

// Positional integer and fraction digits of |v| with at most kPrecision decimals, trailing
// zeros of the fraction trimmed.
std::pair<std::string, std::string> positional_digits(const Decimal& d, double v) {
  const int ndig = static_cast<int>(d.digits.size());
  const int frac_len = std::max(0, ndig - 1 - d.exp);
  std::string int_part, frac;
  if (frac_len > kPrecision) {
    char buf[512];
    const int n = std::snprintf(buf, sizeof(buf), "%.*f", kPrecision, std::abs(v));
    std::string s(buf, static_cast<size_t>(n));
    const size_t dot = s.find('.');
    int_part = s.substr(0, dot);
    frac = s.substr(dot + 1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
  } else if (d.exp >= 0) {
    int_part = d.digits.substr(0, std::min(ndig, d.exp + 1));
    if (ndig < d.exp + 1) int_part.append(static_cast<size_t>(d.exp + 1 - ndig), '0');
    if (ndig > d.exp + 1) frac = d.digits.substr(static_cast<size_t>(d.exp + 1));
  } else {
    int_part = "0";
    frac = std::string(static_cast<size_t>(-d.exp - 1), '0') + d.digits;
    if (d.digits == "0") frac.clear();
  }
  return {int_part, frac};
}

std::string pad_left(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// numpy's FloatingFormat (floatmode="maxprec", sign="-", suppress=False).
class FloatFormat {
 public:
  // values: the elements that will be shown, as doubles, with their exact dtype digits.
  template <typename T>
  void fill(const std::vector<T>& shown) {
    std::vector<double> finite;
    bool neg_inf = false, any_nonfinite = false;
    for (T x : shown) {
      const double v = detail::to_double(x);
      if (std::isfinite(v)) {
        finite.push_back(v);
      } else {
        any_nonfinite = true;
        if (std::isinf(v) && v < 0) neg_inf = true;
      }
    }
    double max_abs = 0, min_abs = 0;
    bool any_nonzero = false;
    for (double v : finite) {
      if (v == 0) continue;
      const double a = std::abs(v);
      if (!any_nonzero || a > max_abs) max_abs = a;
      if (!any_nonzero || a < min_abs) min_abs = a;
      any_nonzero = true;
    }
    if (any_nonzero) {
      // numpy divides in the array's own precision.
      double ratio;
      if constexpr (std::is_same_v<T, double>) {
        ratio = max_abs / min_abs;
      } else {
        ratio = detail::to_double(T(static_cast<float>(max_abs) / static_cast<float>(min_abs)));
      }
      exp_format_ = max_abs >= 1.e8 || min_abs < 0.0001 || ratio > 1000.;
    }
    if (finite.empty()) {
      pad_left_ = pad_right_ = 0;
    } else if (exp_format_) {
      size_t exp_digits = 0;
      for (T x : shown) {
        const double v = detail::to_double(x);
        if (!std::isfinite(v)) continue;
        const Decimal d = scientific_digits(shortest(x), v, kPrecision);
        precision_ = std::max(precision_, d.digits.size() - 1);
        pad_left_ = std::max(pad_left_, std::signbit(v) ? size_t{2} : size_t{1});
        exp_digits = std::max(exp_digits, std::to_string(std::abs(d.exp)).size());
      }
      exp_size_ = std::max<size_t>(exp_digits, 2);
      pad_right_ = exp_size_ + 2 + precision_;
    } else {
      for (T x : shown) {
        const double v = detail::to_double(x);
        if (!std::isfinite(v)) continue;
        auto [int_part, frac] = positional_digits(shortest(x), v);
        pad_left_ = std::max(pad_left_, int_part.size() + (std::signbit(v) ? 1 : 0));
        pad_right_ = std::max(pad_right_, frac.size());
      }
    }
    if (any_nonfinite) {
      const size_t offset = pad_right_ + 1;
      const size_t inf_len = 3 + (neg_inf ? 1 : 0);
      if (3 > offset) pad_left_ = std::max(pad_left_, 3 - offset);
      if (inf_len > offset) pad_left_ = std::max(pad_left_, inf_len - offset);
    }
  }

  template <typename T>
  std::string operator()(T x) const {
    const double v = detail::to_double(x);
    if (!std::isfinite(v)) {
      const std::string s = std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf");
      return pad_left(s, pad_left_ + pad_right_ + 1);
    }
    const std::string sign = std::signbit(v) ? "-" : "";
    if (exp_format_) {
      const int p = static_cast<int>(precision_);
      const Decimal d = scientific_digits(shortest(x), v, p, p);
      const std::string frac = d.digits.substr(1);
      std::string e = std::to_string(std::abs(d.exp));
      e = std::string(exp_size_ > e.size() ? exp_size_ - e.size() : 0, '0') + e;
      return pad_left(sign + d.digits.substr(0, 1), pad_left_) + "." + frac + "e" +
             (d.exp < 0 ? "-" : "+") + e;
    }
    auto [int_part, frac] = positional_digits(shortest(x), v);
    frac.append(pad_right_ - frac.size(), ' ');
    return pad_left(sign + int_part, pad_left_) + "." + frac;
  }

 private:
  bool exp_format_ = false;
  size_t pad_left_ = 0, pad_right_ = 0, precision_ = 0, exp_size_ = 0;
};

// Python's repr of a str: single quotes unless the text holds ' and no ", escapes for
// backslash, the quote and control characters; bytes that are not UTF-8 print as \xNN.
std::string python_repr(const std::string& s) {
  const bool has_single = s.find('\'') != std::string::npos;
  const char quote = has_single && s.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, quote);
  char hex[8];
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      std::snprintf(hex, sizeof(hex), "\\x%02x", c);
      out += hex;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      // Copy a well-formed UTF-8 sequence; escape stray bytes.
      const int len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
      bool ok = len > 0 && i + len <= s.size();
      for (int k = 1; ok && k < len; ++k)
        ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
      if (ok) {
        out.append(s, i, static_cast<size_t>(len));
        i += static_cast<size_t>(len) - 1;
      } else {
        std::snprintf(hex, sizeof(hex), "\\x%02x", c);
        out += hex;
      }
    }
  }
  out += quote;
  return out;
}

// ---------------------------------------------------------------- layout (numpy _formatArray)

class Printer {
 public:
  Printer(const Tensor& t, bool summarize) : t_(t), summarize_(summarize) {
    const Shape& shape = t.shape();
    strides_.assign(shape.size(), 1);
    for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i)
      strides_[i] = strides_[i + 1] * shape[i + 1];
  }

  // Flat indices of the elements shown, in order (numpy's _leading_trailing).
  std::vector<int64_t> shown() const {
    std::vector<int64_t> out;
    collect(0, 0, out);
    return out;
  }

  template <typename Format>
  std::string format(Format&& element, const std::string& hanging_indent, size_t width) {
    return recurse(0, 0, hanging_indent, width, element);
  }

 private:
  bool summarized(size_t axis) const { return summarize_ && 2 * kEdgeItems < t_.shape()[axis]; }

  void collect(size_t axis, int64_t base, std::vector<int64_t>& out) const {
    if (axis == t_.shape().size()) {
      out.push_back(base);
      return;
    }
    const int64_t n = t_.shape()[axis];
    for (int64_t i = 0; i < n; ++i) {
      if (summarized(axis) && i == kEdgeItems) i = n - kEdgeItems;
      collect(axis + 1, base + i * strides_[axis], out);
    }
  }

  static void extend_line(std::string& s, std::string& line, const std::string& word, size_t width,
                          const std::string& next_line_prefix) {
    bool wrap = line.size() + word.size() > width;
    if (line.size() <= next_line_prefix.size()) wrap = false;  // wrapping would not help
    if (wrap) {
      size_t end = line.find_last_not_of(' ');
      s += line.substr(0, end == std::string::npos ? 0 : end + 1) + "\n";
      line = next_line_prefix;
    }
    line += word;
  }

  template <typename Format>
  std::string recurse(size_t axis, int64_t base, const std::string& hanging_indent, size_t width,
                      Format& element) {
    const size_t ndim = t_.shape().size();
    if (axis == ndim) return element(base);
    const std::string next_indent = hanging_indent + " ";
    const size_t next_width = width - 1;  // room for the closing ']'
    const int64_t n = t_.shape()[axis];
    const bool summary = summarized(axis);
    const int64_t leading = summary ? kEdgeItems : 0;
    const int64_t trailing = summary ? kEdgeItems : n;
    auto child = [&](int64_t i) {
      return recurse(axis + 1, base + i * strides_[axis], next_indent, next_width, element);
    };
    std::string s;
    if (ndim - axis == 1) {
      const size_t elem_width = width - 1;  // minus max(len(","), len("]"))
      std::string line = hanging_indent;
      for (int64_t i = 0; i < leading; ++i) {
        extend_line(s, line, child(i), elem_width, hanging_indent);
        line += ", ";
      }
      if (summary) {
        extend_line(s, line, "...", elem_width, hanging_indent);
        line += ", ";
      }
      for (int64_t i = trailing; i > 1; --i) {
        extend_line(s, line, child(n - i), elem_width, hanging_indent);
        line += ", ";
      }
      extend_line(s, line, child(n - 1), elem_width, hanging_indent);
      s += line;
    } else {
      const std::string line_sep = "," + std::string(ndim - axis - 1, '\n');
      for (int64_t i = 0; i < leading; ++i) s += hanging_indent + child(i) + line_sep;
      if (summary) s += hanging_indent + "..." + line_sep;
      for (int64_t i = trailing; i > 1; --i) s += hanging_indent + child(n - i) + line_sep;
      s += hanging_indent + child(n - 1);
    }
    return "[" + s.substr(hanging_indent.size()) + "]";
  }

  const Tensor& t_;
  bool summarize_;
  std::vector<int64_t> strides_;
};

template <typename T>
std::string format_floats(const Tensor& t, Printer& printer, const std::vector<int64_t>& shown,
                          const std::string& indent, size_t width) {
  const T* p = t.data<T>();
  std::vector<T> values;
  values.reserve(shown.size());
  for (int64_t i : shown) values.push_back(p[i]);
  FloatFormat fmt;
  fmt.fill(values);
  return printer.format([&](int64_t i) { return fmt(p[i]); }, indent, width);
}

std::string format_body(const Tensor& t) {
  const std::string prefix = kPrefix;
  if (t.size() == 0) return t.ndim() == 1 ? "[]" : "[], shape=" + shape_str(t.shape());
  Printer printer(t, t.size() > kThreshold);
  const std::vector<int64_t> shown = printer.shown();
  const std::string indent(prefix.size() + 1, ' ');
  const size_t width = kLineWidth - 1;  // numpy subtracts len(suffix) = len(",")
  switch (t.dtype()) {
    case DType::bool_: {
      const bool* p = t.data<bool>();
      const std::string true_str = t.ndim() ? " True" : "True";
      return printer.format([&](int64_t i) { return p[i] ? true_str : "False"; }, indent, width);
    }
    case DType::string: {
      const std::string* p = t.data<std::string>();
      return printer.format([&](int64_t i) { return python_repr(p[i]); }, indent, width);
    }
    case DType::float32:
      return format_floats<float>(t, printer, shown, indent, width);
    case DType::float64:
      return format_floats<double>(t, printer, shown, indent, width);
    case DType::float16:
      return format_floats<float16_t>(t, printer, shown, indent, width);
    case DType::bfloat16:
      return format_floats<bfloat16_t>(t, printer, shown, indent, width);
    default:
      return detail::dispatch_numeric(t.dtype(), "to_string", [&]<typename T>() {
        const T* p = t.data<T>();
        int64_t lo = static_cast<int64_t>(p[shown[0]]), hi = lo;
        for (int64_t i : shown) {
          lo = std::min<int64_t>(lo, static_cast<int64_t>(p[i]));
          hi = std::max<int64_t>(hi, static_cast<int64_t>(p[i]));
        }
        const size_t w = std::max(std::to_string(lo).size(), std::to_string(hi).size());
        return printer.format(
            [&](int64_t i) { return pad_left(std::to_string(static_cast<int64_t>(p[i])), w); },
            indent, width);
      });
  }
}

}  // namespace

std::string Tensor::to_string() const {
  if (!defined()) return "tensor(undefined)";
  const std::string prefix = kPrefix;
  const std::string arr = prefix + format_body(*this) + ",";
  const std::string dtype = "dtype=" + std::string(dtype_name(dtype_)) + ")";
  const size_t nl = arr.rfind('\n');
  const size_t last_line = arr.size() - (nl == std::string::npos ? 0 : nl + 1);
  const bool wrap = last_line + dtype.size() + 1 > kLineWidth;
  return arr + (wrap ? "\n" + std::string(prefix.size(), ' ') : " ") + dtype;
}

}  // namespace keras
