// Reductions over axes (keras.ops.sum, mean, max...). `axes` empty means every axis; negative
// axes count from the end; keepdims keeps reduced axes with length 1.
#pragma once

#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::ops {

Tensor sum(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);

}  // namespace keras::ops
