// keras::Error and its subclasses: the one exception hierarchy of keras-cpp (Python's built-in
// exceptions as Keras raises them: ValueError, TypeError, FileExistsError...).
#pragma once

#include <stdexcept>
#include <string>

namespace keras {

// Root of every exception keras-cpp throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A bad argument value: wrong shape, out-of-range axis, mismatched weight count (Python ValueError).
class ValueError : public Error {
 public:
  using Error::Error;
};

// An operation applied to a tensor of the wrong dtype (Python TypeError).
class TypeError : public Error {
 public:
  using Error::Error;
};

// An index past the end of a dimension (Python IndexError).
class IndexError : public Error {
 public:
  using Error::Error;
};

// A file that cannot be opened, read or written (Python OSError).
class IOError : public Error {
 public:
  using Error::Error;
};

// A file whose bytes do not follow its format: truncated, corrupt or hostile.
class FileFormatError : public Error {
 public:
  using Error::Error;
};

// Saving with overwrite=false onto an existing file.
class FileExistsError : public IOError {
 public:
  using IOError::IOError;
};

// A class or function name that no registry and no custom_objects knows.
class UnknownObjectError : public ValueError {
 public:
  using ValueError::ValueError;
};

// Something that keras-cpp does not implement yet.
class NotImplementedError : public Error {
 public:
  using Error::Error;
};

}  // namespace keras
