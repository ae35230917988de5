// keras.optimizers: every optimizer, schedules, get/deserialize (the area's umbrella header).
#pragma once

#include "keras/optimizers/adadelta.hpp"
#include "keras/optimizers/adagrad.hpp"
#include "keras/optimizers/adam.hpp"
#include "keras/optimizers/adamax.hpp"
#include "keras/optimizers/nadam.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/optimizers/rmsprop.hpp"
#include "keras/optimizers/schedules.hpp"
#include "keras/optimizers/sgd.hpp"
