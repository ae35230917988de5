// Number and message formatting shared by the callbacks: Python's float repr (Keras prints and
// logs floats with str()/repr()), printf-style numbers with Python's spelling of nan/inf, and
// io_utils.print_msg / warnings.warn.
#pragma once

#include <string>

namespace keras::callbacks::internal {

// Python's repr(float): the shortest digits that round-trip, fixed notation for decimal
// exponents in [-4, 16), else "1e-05" / "1.5e+16"; "nan", "inf", "-inf"; integral values
// keep ".0" ("3.0").
std::string py_repr(double value);
// Python's f"{value:.{precision}f}" / f"{value:.{precision}e}": printf, except that every NaN
// is "nan" (printf writes "-nan" for a negative one).
std::string py_fixed(double value, int precision);
std::string py_exp(double value, int precision);

// keras.utils.io_utils.print_msg: the message and a newline on stdout, flushed.
void print_msg(const std::string& message);
// warnings.warn(message): "UserWarning: message" on stderr.
void warn(const std::string& message);

}  // namespace keras::callbacks::internal
