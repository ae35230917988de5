// Reductions over axes (keras.ops.sum, mean, max, min, prod, argmax, argmin, var, std, logsumexp)
// and the normalising reductions softmax / log_softmax (keras.ops.softmax, log_softmax).
//
// `axes` empty means every axis; negative axes count from the end; keepdims keeps reduced axes
// with length 1. An axis out of range is a ValueError naming the op. Float reductions are
// differentiable under a GradientTape.
#pragma once

#include <optional>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::ops {

// Sum; bool sums to int64, float16/bfloat16 to float32.
Tensor sum(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
// Arithmetic mean; integer and bool inputs give float32 (as keras.ops.mean), half types keep
// their dtype (computed in float32).
Tensor mean(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
// Product (numpy.prod). Gradient: the product of the other elements, exact where x has zeros
// (as TensorFlow's ProdGrad).
Tensor prod(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);

// Maximum / minimum; NaN propagates as in numpy. Reducing an empty axis is a ValueError.
// Gradient as TensorFlow's Max/Min: the output gradient goes to the elements equal to the
// extremum, split equally between ties (two maxima each receive half).
Tensor max(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
Tensor min(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);

// Index (int64) of the first maximum / minimum along one axis; no axis means the flattened tensor
// (numpy.argmax). NaN counts as the maximum and the minimum, as in numpy. Not differentiable.
Tensor argmax(const Tensor& x, std::optional<int> axis = std::nullopt, bool keepdims = false);
Tensor argmin(const Tensor& x, std::optional<int> axis = std::nullopt, bool keepdims = false);

// Population variance and standard deviation (ddof = 0: numpy's default, keras.ops.var/std).
// Integer inputs give float32.
Tensor var(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
Tensor std(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);

// log(sum(exp(x))) computed stably around the maximum (keras.ops.logsumexp). An axis whose
// maximum is +-inf gives that value without NaN.
Tensor logsumexp(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);

// exp(x) / sum(exp(x)) along `axis`, stable (the row maximum is subtracted first).
Tensor softmax(const Tensor& x, int axis = -1);
// x - logsumexp(x) along `axis`, stable.
Tensor log_softmax(const Tensor& x, int axis = -1);

}  // namespace keras::ops
