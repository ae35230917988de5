// keras.layers.Embedding: maps integer indices in [0, input_dim) to rows of an (input_dim,
// output_dim) "embeddings" matrix.
//
// Masking: with mask_zero=true, compute_mask(inputs) returns Keras's mask (inputs != 0, bool).
// keras-cpp does not yet propagate masks through a model: a model calls each layer on tensors
// only, so layers after an Embedding see every timestep, padding included (Keras would skip or
// zero the masked steps in RNNs and exclude them from Softmax/pooling/losses). Call
// compute_mask() yourself and pass the mask on (e.g. Softmax::call_with_mask) where it matters.
#pragma once

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct EmbeddingOptions {
  InitializerArg embeddings_initializer = "uniform";  // RandomUniform(-0.05, 0.05)
  RegularizerArg embeddings_regularizer;
  RegularizerArg activity_regularizer;
  ConstraintArg embeddings_constraint;
  bool mask_zero = false;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
};

class Embedding : public Layer {
 public:
  // Both dimensions must be positive (ValueError otherwise).
  Embedding(int64_t input_dim, int64_t output_dim, const EmbeddingOptions& options = {});
  KERAS_LAYER_CLONE(Embedding)

  void build(const Shape& input_shape) override;
  // Integer inputs of any shape (float and bool inputs are cast to int32, as Keras does); an
  // index outside [0, input_dim) is an IndexError naming the layer. Output: inputs.shape +
  // (output_dim,). The gradient wrt the embeddings is ops::take's scatter-add, so repeated
  // indices accumulate.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void config(ConfigIO& io) override;

  // Keras's compute_mask: a bool tensor (inputs != 0) when mask_zero, otherwise undefined
  // (Keras's None).
  Tensor compute_mask(const Tensor& inputs) const;

  int64_t input_dim() const { return input_dim_; }
  int64_t output_dim() const { return output_dim_; }
  bool mask_zero() const { return o_.mask_zero; }
  const Variable& embeddings() const { return embeddings_; }

 private:
  int64_t input_dim_, output_dim_;
  EmbeddingOptions o_;
  Variable embeddings_;
};

}  // namespace keras::layers
