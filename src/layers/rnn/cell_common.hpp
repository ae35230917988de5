// Shared pieces of the recurrent cells (internal).
#pragma once

#include <string>

#include "keras/layers/rnn/rnn.hpp"
#include "keras/ops.hpp"

namespace keras::layers::rnn_internal {

// Keras serializes activation=None as "linear".
inline std::string activation_name(const std::string& name) {
  return name.empty() ? "linear" : name;
}

inline Tensor apply_activation(const std::string& name, const Tensor& x) {
  if (name.empty() || name == "linear") return x;
  return ops::activation(name, x);
}

inline void check_units(int64_t units) {
  if (units <= 0)
    throw ValueError(
        "Received an invalid value for argument `units`, expected a positive "
        "integer, got " +
        std::to_string(units) + ".");
}

inline void check_rates(double dropout, double recurrent_dropout) {
  // Keras clips the rates to [0, 1]; a NaN is rejected here rather than silently kept.
  if (!(dropout >= 0.0 && dropout <= 1.0) ||
      !(recurrent_dropout >= 0.0 && recurrent_dropout <= 1.0))
    throw ValueError("Invalid dropout rates: expected values in [0, 1], received dropout=" +
                     std::to_string(dropout) +
                     ", recurrent_dropout=" + std::to_string(recurrent_dropout) + ".");
}

// The input projection of every step at once: (time, batch, in) -> (time, batch, gates).
// `mask` (batch, in) is the input dropout mask shared by all steps (undefined: none).
inline Tensor project_sequence(const Tensor& x_tm, const Tensor& kernel, const Tensor& bias,
                               const Tensor& mask, const std::string& cell_name) {
  if (x_tm.ndim() != 3 || x_tm.dim(2) != kernel.dim(0))
    throw ValueError("Input of RNN cell '" + cell_name +
                     "' is incompatible: expected steps of "
                     "shape (batch, " +
                     std::to_string(kernel.dim(0)) + "), received " +
                     shape_str(x_tm.ndim() >= 2
                                   ? Shape(x_tm.shape().begin() + 1, x_tm.shape().end())
                                   : x_tm.shape()) +
                     ".");
  const int64_t steps = x_tm.dim(0), batch = x_tm.dim(1);
  Tensor x = mask.defined() ? ops::multiply(x_tm, mask) : x_tm;
  Tensor z = ops::matmul(x.reshape({steps * batch, x_tm.dim(2)}), kernel);
  if (bias.defined()) z = ops::add(z, bias);
  return z.reshape({steps, batch, kernel.dim(1)});
}

}  // namespace keras::layers::rnn_internal
