// TensorFlow object-based checkpoints of the object tree: tf.train.Checkpoint's write/restore
// machinery and tf.keras's TF-format model.save_weights / load_weights (spec/FORMATS.md
// section 5). Keys come from the object graph (object_tree.hpp); restoring walks the saved graph
// in parallel with the live tree, matching children by local name as TensorFlow does.
#pragma once

#include <string>

#include "keras/saving/tf_checkpoint/load_status.hpp"
#include "keras/saving/tf_checkpoint/object_tree.hpp"

namespace keras {
class Model;
}

namespace keras::saving::tf_checkpoint {

// Writes PREFIX.index and PREFIX.data-00000-of-00001: every variable of the tree under its
// object-path key (in node order) and the object graph under _CHECKPOINTABLE_OBJECT_GRAPH.
// Each file is replaced atomically. No `checkpoint` state file.
void write_checkpoint(const ObjectTree& tree, const std::string& prefix);

// Restores the variables of the tree from an object-based checkpoint. All values are read and
// checked (dtype, shape: ValueError naming the variable and both shapes) before any variable
// is assigned. Throws IOError when PREFIX.index is missing, FileFormatError for a checkpoint
// without (or with a corrupted) object graph, or whose graph names a key the bundle lacks.
// Optimizer state is accepted in both layouts found in real files: TF >= 2.11's
// `optimizer/_variables/N` (matched by position against the optimizer's variables()) and
// OptimizerV2's slot variables (`.OPTIMIZER_SLOT`, matched by slot name; `iter` and
// `learning_rate` go to the iterations and learning-rate variables). Slots of an optimizer that
// is not built yet stay unmatched (no deferred restoration).
LoadStatus restore_checkpoint(const ObjectTree& tree, const std::string& prefix);

// Restores by variable names (tf.keras's fallback for TF1 name-based checkpoints): each live
// variable of the tree takes the tensor keyed by its path ("dense/kernel") when present.
LoadStatus restore_by_name(const ObjectTree& tree, const std::string& prefix);

// tf.keras model.save_weights(prefix) in TF format: Checkpoint(root=model).write(prefix) —
// node 0 is the model, with the extra edge `root` -> itself — then the directory's
// `checkpoint` file names prefix (relative paths), written atomically and last.
void save_weights(const keras::Model& model, const std::string& prefix);

// tf.keras model.load_weights(prefix) for a TF checkpoint: an object-based restore into the
// model (its compiled optimizer included), or a name-based one when the checkpoint has no
// object graph. `prefix` may also be a directory holding a `checkpoint` file (its latest
// checkpoint is loaded).
LoadStatus load_weights(keras::Model& model, const std::string& prefix);

}  // namespace keras::saving::tf_checkpoint
