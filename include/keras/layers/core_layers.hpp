// Umbrella for the core, activation, merging, reshaping and regularization layers of
// keras.layers: Activation, Embedding, Dropout, Flatten, Reshape, Permute, RepeatVector, ReLU,
// LeakyReLU, ELU, Softmax, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate.
#pragma once

#include "keras/layers/activations/elu.hpp"
#include "keras/layers/activations/leaky_relu.hpp"
#include "keras/layers/activations/relu.hpp"
#include "keras/layers/activations/softmax.hpp"
#include "keras/layers/core/activation.hpp"
#include "keras/layers/core/dense.hpp"
#include "keras/layers/core/embedding.hpp"
#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/merging/add.hpp"
#include "keras/layers/merging/average.hpp"
#include "keras/layers/merging/concatenate.hpp"
#include "keras/layers/merging/maximum.hpp"
#include "keras/layers/merging/minimum.hpp"
#include "keras/layers/merging/multiply.hpp"
#include "keras/layers/merging/subtract.hpp"
#include "keras/layers/regularization/dropout.hpp"
#include "keras/layers/reshaping/flatten.hpp"
#include "keras/layers/reshaping/permute.hpp"
#include "keras/layers/reshaping/repeat_vector.hpp"
#include "keras/layers/reshaping/reshape.hpp"
