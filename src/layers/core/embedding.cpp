#include "keras/layers/core/embedding.hpp"

#include "core/dispatch.hpp"
#include "keras/ops.hpp"

namespace keras::layers {

Embedding::Embedding(int64_t input_dim, int64_t output_dim, const EmbeddingOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "Embedding"),
      input_dim_(input_dim),
      output_dim_(output_dim),
      o_(options) {
  if (input_dim <= 0 || output_dim <= 0)
    throw ValueError(
        "Embedding: both `input_dim` and `output_dim` should be positive. Received: "
        "input_dim=" +
        std::to_string(input_dim) + ", output_dim=" + std::to_string(output_dim));
}

void Embedding::build(const Shape& input_shape) {
  (void)input_shape;  // the weight depends only on input_dim and output_dim
  embeddings_ = add_weight("embeddings", {input_dim_, output_dim_},
                           {.initializer = o_.embeddings_initializer,
                            .trainable = true,
                            .dtype = std::nullopt,
                            .regularizer = o_.embeddings_regularizer,
                            .constraint = o_.embeddings_constraint});
}

Tensor Embedding::call(const Tensor& x, bool training) {
  (void)training;
  // Keras casts any other dtype to int32 (no autocast of integer inputs to float).
  const Tensor idx =
      x.dtype() == DType::int32 || x.dtype() == DType::int64 ? x : ops::cast(x, DType::int32);
  // ops::take would accept negative indices (numpy); an embedding lookup must not.
  detail::dispatch_numeric(idx.dtype(), "Embedding", [&]<typename T>() {
    const T* p = idx.data<T>();
    const int64_t n = idx.size();
    int64_t bad = -1;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t v = static_cast<int64_t>(p[i]);
      if (v < 0 || v >= input_dim_) {
        bad = i;
        break;
      }
    }
    if (bad >= 0)
      throw IndexError("Embedding '" + name() + "': expected indices in [0, " +
                       std::to_string(input_dim_) + "), received " +
                       std::to_string(static_cast<int64_t>(p[bad])) + " at flat position " +
                       std::to_string(bad) + " of inputs of shape " + shape_str(idx.shape()) + ".");
  });
  Tensor y = ops::take(embeddings_.value(), idx, 0);
  if (o_.activity_regularizer) add_loss((*o_.activity_regularizer.get())(y));
  return y;
}

std::vector<Shape> Embedding::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Embedding '" + name() + "' expects 1 input, received " +
                     std::to_string(input_shapes.size()) + ".");
  if (!built()) {
    build(input_shapes[0]);
    set_built(true);
  }
  Shape out = input_shapes[0];
  out.push_back(output_dim_);
  return {out};
}

Tensor Embedding::compute_mask(const Tensor& inputs) const {
  if (!o_.mask_zero) return Tensor();
  return ops::not_equal(inputs, Tensor::zeros({}, inputs.dtype()));
}

void Embedding::config(ConfigIO& io) {
  Layer::config(io);
  io("input_dim", input_dim_);
  io("output_dim", output_dim_);
  io("embeddings_initializer", o_.embeddings_initializer);
  io("embeddings_regularizer", o_.embeddings_regularizer);
  io("activity_regularizer", o_.activity_regularizer);
  io("embeddings_constraint", o_.embeddings_constraint);
  io("mask_zero", o_.mask_zero);
  if (io.reading()) {
    // Keras 2 files carry input_length (deprecated; Keras 3 warns and drops it).
    io.consume("input_length");
    if (input_dim_ <= 0 || output_dim_ <= 0)
      throw ValueError(
          "Embedding: both `input_dim` and `output_dim` should be positive. "
          "Received: input_dim=" +
          std::to_string(input_dim_) + ", output_dim=" + std::to_string(output_dim_));
  }
}

}  // namespace keras::layers
