// Matrix products and axis permutations (keras.ops.matmul, transpose, swapaxes, moveaxis;
// numpy.matmul semantics, TensorFlow's MatMul / BatchMatMulV2 / Transpose gradients).
#pragma once

#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::ops {

// numpy.matmul: 1-D operands are promoted ((K,) as a row on the left, a column on the right) and
// the promoted axis removed from the result; 2-D is a matrix product; higher ranks are stacks of
// matrices whose batch dimensions broadcast. float32/float64 go through BLAS (sgemm/dgemm),
// float16/bfloat16 compute in float32, integers with an exact loop; mixed dtypes promote as
// add() does. ValueError naming both shapes when the inner dimensions differ.
Tensor matmul(const Tensor& a, const Tensor& b);

// tf.linalg.matmul(a, b, transpose_a, transpose_b): op(a) @ op(b), where op swaps the last two
// axes. The transposes are passed to gemm, never materialised; the flags have no effect on 1-D
// operands.
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b);

// numpy.transpose: axes is a permutation of [0, ndim); empty reverses the axes. A copy (the
// 2-D case and the general case run cache-blocked). ValueError for an invalid permutation.
Tensor transpose(const Tensor& x, const std::vector<int>& axes = {});

// numpy.swapaxes / numpy.moveaxis, as transposes.
Tensor swapaxes(const Tensor& x, int axis1, int axis2);
Tensor moveaxis(const Tensor& x, int source, int destination);

}  // namespace keras::ops
