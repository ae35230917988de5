// keras::train — TensorFlow's tf.train checkpointing API: Checkpoint, CheckpointManager,
// latest_checkpoint, get_checkpoint_state, load_checkpoint / CheckpointReader.
#pragma once

#include "keras/train/checkpoint.hpp"
#include "keras/train/checkpoint_reader.hpp"
#include "keras/train/checkpoint_state.hpp"
