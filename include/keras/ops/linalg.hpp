// (placeholder: filled by the ops work)
#pragma once

#include "keras/core/tensor.hpp"
