// keras-cpp: the umbrella header. `#include <keras/keras.hpp>` and `using namespace keras;`.
#pragma once

#include "keras/core/autograd.hpp"
#include "keras/core/dtype.hpp"
#include "keras/core/errors.hpp"
#include "keras/core/tensor.hpp"
#include "keras/ops.hpp"
