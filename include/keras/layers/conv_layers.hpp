// Umbrella header: Keras's convolution, pooling and normalization layers, and the image padding /
// upsampling layers (keras.layers.Conv1D ... LayerNormalization).
#pragma once

#include "keras/layers/convolutional/conv1d.hpp"
#include "keras/layers/convolutional/conv2d.hpp"
#include "keras/layers/convolutional/depthwise_conv2d.hpp"
#include "keras/layers/normalization/batch_normalization.hpp"
#include "keras/layers/normalization/layer_normalization.hpp"
#include "keras/layers/pooling/average_pooling1d.hpp"
#include "keras/layers/pooling/average_pooling2d.hpp"
#include "keras/layers/pooling/global_average_pooling1d.hpp"
#include "keras/layers/pooling/global_average_pooling2d.hpp"
#include "keras/layers/pooling/global_max_pooling1d.hpp"
#include "keras/layers/pooling/global_max_pooling2d.hpp"
#include "keras/layers/pooling/max_pooling1d.hpp"
#include "keras/layers/pooling/max_pooling2d.hpp"
#include "keras/layers/reshaping/up_sampling2d.hpp"
#include "keras/layers/reshaping/zero_padding2d.hpp"
