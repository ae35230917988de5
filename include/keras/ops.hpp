// keras::ops — every tensor operation (Keras 3's keras.ops).
#pragma once

#include "keras/ops/elementwise.hpp"
#include "keras/ops/reduce.hpp"
