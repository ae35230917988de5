// Tensor::to_string: numpy-like printing.
#include <sstream>

#include "core/dispatch.hpp"
#include "keras/core/tensor.hpp"

namespace keras {

std::string Tensor::to_string() const {
  if (!defined()) return "tensor(undefined)";
  std::ostringstream os;
  os << "tensor(" << shape_str(shape_) << ", dtype=" << dtype_name(dtype_) << ")";
  return os.str();
}

}  // namespace keras
