// Array manipulation (keras.ops.concatenate, stack, split, slice, take, expand_dims, squeeze,
// one_hot, tile, repeat, pad, flip, zeros_like...; numpy / TensorFlow semantics as noted).
//
// Every op returns a new tensor (expand_dims / squeeze return views, as reshape does) and, on
// float tensors, is differentiable under a GradientTape. Element-moving ops accept every dtype
// except string. Bad axes and shapes raise ValueError naming the op and the shapes involved.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::ops {

// numpy.concatenate: equal shapes except along `axis`; dtypes promote as add() does.
Tensor concatenate(const std::vector<Tensor>& xs, int axis = 0);
// numpy.stack: equal shapes; a new axis at `axis` (in [-(ndim+1), ndim]).
Tensor stack(const std::vector<Tensor>& xs, int axis = 0);

// tf.split with num_or_size_splits = num: `num` equal parts (ValueError unless it divides the
// axis).
std::vector<Tensor> split(const Tensor& x, int64_t num, int axis = 0);
// tf.split with a list of sizes that add up to the axis; one size may be -1 (the remainder).
// (Keras's keras.ops.split takes split indices instead, as numpy.)
std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes, int axis = 0);

// keras.ops.slice / tf.slice: the block starting at `begin` with extent `size` along every axis
// (a size of -1 runs to the end). ValueError when the block leaves the tensor. A copy.
Tensor slice(const Tensor& x, const std::vector<int64_t>& begin, const std::vector<int64_t>& size);

// numpy.take: elements of x at integer `indices` (int8..int64, uint8) along `axis`; no axis takes
// from the flattened tensor. Result shape: x.shape[:axis] + indices.shape + x.shape[axis+1:].
// Negative indices count from the end; an index outside [-n, n) is an IndexError. Gradient
// (to x only): a scatter-add of the output gradient, so repeated indices accumulate.
Tensor take(const Tensor& x, const Tensor& indices, std::optional<int> axis = std::nullopt);
// tf.gather(x, indices, axis=0): take() along one axis.
Tensor gather(const Tensor& x, const Tensor& indices, int axis = 0);

// numpy.expand_dims: a new axis of length 1 at `axis` (in [-(ndim+1), ndim]). A view.
Tensor expand_dims(const Tensor& x, int axis);
// numpy.squeeze: removes every length-1 axis, or only `axis` (ValueError when it is not length 1).
// A view.
Tensor squeeze(const Tensor& x, std::optional<int> axis = std::nullopt);

// tf.one_hot: indices.shape + (depth,) with 1 at each index and 0 elsewhere; an index outside
// [0, depth) (negative too) gives a row of zeros, as TensorFlow does.
Tensor one_hot(const Tensor& indices, int64_t depth, DType dtype = DType::float32);

// numpy.tile: x repeated reps[i] times along each axis (x or reps promoted with leading 1s).
Tensor tile(const Tensor& x, const std::vector<int64_t>& reps);

// numpy.repeat: each element repeated `repeats` times along `axis` (no axis: flattened).
Tensor repeat(const Tensor& x, int64_t repeats, std::optional<int> axis = std::nullopt);
// numpy.repeat with one count per element along the axis.
Tensor repeat(const Tensor& x, const std::vector<int64_t>& repeats,
              std::optional<int> axis = std::nullopt);

// numpy.pad(mode="constant"): paddings[i] = (before, after) for axis i, both >= 0; one pair for
// every axis. Gradient: the slice of the output gradient where x sits.
Tensor pad(const Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& paddings,
           double constant_value = 0.0);

// numpy.flip: reverses the order along `axes` (empty: every axis).
Tensor flip(const Tensor& x, const std::vector<int>& axes = {});

// keras.ops.zeros_like / ones_like / full_like: x's shape, x's dtype unless one is given.
// Constants: no gradient.
Tensor zeros_like(const Tensor& x, std::optional<DType> dtype = std::nullopt);
Tensor ones_like(const Tensor& x, std::optional<DType> dtype = std::nullopt);
Tensor full_like(const Tensor& x, double fill_value, std::optional<DType> dtype = std::nullopt);

}  // namespace keras::ops
