// keras::ops — every tensor operation (Keras 3's keras.ops).
#pragma once

#include "keras/ops/array.hpp"
#include "keras/ops/elementwise.hpp"
#include "keras/ops/linalg.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/nn.hpp"
#include "keras/ops/reduce.hpp"
