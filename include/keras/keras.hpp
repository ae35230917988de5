// keras-cpp: the umbrella header. `#include <keras/keras.hpp>` and `using namespace keras;`.
#pragma once

#include "keras/constraints/constraints.hpp"
#include "keras/core/autograd.hpp"
#include "keras/core/dtype.hpp"
#include "keras/core/errors.hpp"
#include "keras/core/random.hpp"
#include "keras/core/tensor.hpp"
#include "keras/datasets.hpp"
#include "keras/initializers/initializers.hpp"
#include "keras/io/npy.hpp"
#include "keras/layers/core/dense.hpp"
#include "keras/layers/core/input_layer.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "keras/ops.hpp"
#include "keras/regularizers/regularizers.hpp"
