// tensorflow.TrackableObjectGraph (tensorflow/core/protobuf/trackable_object_graph.proto): the
// object graph stored under `_CHECKPOINTABLE_OBJECT_GRAPH` in an object-based checkpoint, read and
// written by hand with keras::io::pb (spec/FORMATS.md section 5.2):
//
//   TrackableObjectGraph  1 nodes: repeated TrackableObject (node id = index)
//   TrackableObject       1 children: repeated ObjectReference {1 node_id int32, 2 local_name}
//                         2 attributes: repeated SerializedTensor {1 name, 2 full_name,
//                           3 checkpoint_key, 4 optional_restore bool}
//                         3 slot_variables: repeated SlotVariableReference
//                           {1 original_variable_node_id, 2 slot_name, 3 slot_variable_node_id}
//                         4 registered_saver: RegisteredSaver {1 name, 2 object_name}
//                         5 has_checkpoint_values: google.protobuf.BoolValue {1 value}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keras::saving::tf_checkpoint {

// The bundle key holding the serialized graph (a scalar DT_STRING tensor).
inline constexpr const char* kObjectGraphKey = "_CHECKPOINTABLE_OBJECT_GRAPH";
// The attribute name of a variable's value and the key segment that introduces attributes.
inline constexpr const char* kVariableValue = "VARIABLE_VALUE";
inline constexpr const char* kAttributes = ".ATTRIBUTES";
inline constexpr const char* kOptimizerSlot = ".OPTIMIZER_SLOT";

struct ObjectReference {
  int32_t node_id = 0;
  std::string local_name;
};

struct SerializedTensor {
  std::string name;            // "VARIABLE_VALUE"
  std::string full_name;       // the variable's graph name ("dense/kernel"), "" otherwise
  std::string checkpoint_key;  // the bundle key
  bool optional_restore = false;
};

struct SlotVariableReference {
  int32_t original_variable_node_id = 0;
  std::string slot_name;  // "m", "v", "momentum", "rms"...
  int32_t slot_variable_node_id = 0;
};

struct RegisteredSaver {
  std::string name;
  std::string object_name;
};

struct TrackableObject {
  std::vector<ObjectReference> children;
  std::vector<SerializedTensor> attributes;
  std::vector<SlotVariableReference> slot_variables;
  std::optional<RegisteredSaver> registered_saver;
  std::optional<bool> has_checkpoint_values;  // absent in files older than TF 2.9
};

struct TrackableObjectGraph {
  std::vector<TrackableObject> nodes;

  // The wire bytes: fields in field-number order, proto3 defaults omitted (TensorFlow's
  // serializer), has_checkpoint_values written whenever set (an empty BoolValue for false).
  std::string serialize() const;
  // Parses and validates (every node id in range, at least one node). Throws FileFormatError
  // naming `what` (the file) and the problem.
  static TrackableObjectGraph parse(std::string_view bytes, const std::string& what);
};

// TensorFlow's escape for object-path segments: "." -> "..", then "/" -> ".S".
std::string escape_local_name(std::string_view name);

}  // namespace keras::saving::tf_checkpoint
