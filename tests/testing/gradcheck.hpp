// Test helper: checks an op's gradient against central finite differences in float64.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "keras/keras.hpp"

namespace keras::testing {

// A float64 tensor of the given shape with values from a fixed sequence in [lo, hi), for tests.
Tensor sample(const Shape& shape, double lo = -1.0, double hi = 1.0, uint64_t seed = 1);

// For f mapping inputs to one tensor, compares tape.gradient(sum(f(x) * w), x_i) with central
// differences of the same scalar (w is a fixed random weighting so that every output matters).
// Inputs must be float64. Fails the current test with the worst element on mismatch.
void expect_gradients_match(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                            std::vector<Tensor> inputs, double eps = 1e-6, double tol = 1e-6);

}  // namespace keras::testing
