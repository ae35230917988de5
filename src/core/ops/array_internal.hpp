// Internal: the block copy shared by slice, pad, concatenate, split and their gradients.
#pragma once

#include <cstdint>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::ops::detail_array {

// Copies the block of extent `ext` that starts at `src_off` in src (shape ss) to `dst_off` in dst
// (shape ds); all four vectors have one entry per axis and the block lies inside both tensors.
// Trailing axes that the block spans whole in both tensors merge into one memcpy per run.
void copy_block(const void* src, const Shape& ss, const std::vector<int64_t>& src_off, void* dst,
                const Shape& ds, const std::vector<int64_t>& dst_off,
                const std::vector<int64_t>& ext, size_t elem_size);

// TypeError naming `op` for string tensors (element-moving ops copy raw bytes).
void check_pod(const Tensor& x, const char* op);

// The block of `g` of extent `shape` at `offset`, as a new tensor (slice's forward and pad's
// backward).
Tensor extract_block(const Tensor& g, const std::vector<int64_t>& offset, const Shape& shape);
// zeros(full) with `g` written at `offset` (slice's backward).
Tensor place_block(const Tensor& g, const std::vector<int64_t>& offset, const Shape& full);

}  // namespace keras::ops::detail_array
