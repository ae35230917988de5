#!/usr/bin/env python3
"""Independent decoder of the TrackableObjectGraph in an object-based TensorFlow checkpoint.

Usage: check_object_graph.py PREFIX
Reads PREFIX.index / .data with tests/io/check_bundle.py (an SSTable + bundle parser sharing no
code with keras-cpp), takes the `_CHECKPOINTABLE_OBJECT_GRAPH` string tensor and parses it with
Debian's python3-protobuf from a descriptor built here from TensorFlow's
trackable_object_graph.proto (field numbers as in that file; spec/FORMATS.md section 5.2).
Prints JSON {"nodes": [{"children": [[local_name, node_id]...], "attributes": [[name, full_name,
checkpoint_key]...], "slot_variables": [[original, slot_name, slot]...],
"has_checkpoint_values": bool|null}...], "keys": {key: [dtype_name, shape]}} on stdout; exits 1
with a message on stderr when the graph is absent or malformed, or names a missing key.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "io"))
import check_bundle  # noqa: E402

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory  # noqa: E402
from google.protobuf import wrappers_pb2  # noqa: E402,F401  (registers BoolValue)

F = descriptor_pb2.FieldDescriptorProto


def _message(file_proto, name, fields, nested=()):
    if isinstance(file_proto, descriptor_pb2.FileDescriptorProto):
        msg = file_proto.message_type.add()
    else:
        msg = file_proto.nested_type.add()
    msg.name = name
    for number, fname, ftype, label, type_name in fields:
        f = msg.field.add()
        f.name, f.number, f.type, f.label = fname, number, ftype, label
        if type_name:
            f.type_name = type_name
    for n in nested:
        n(msg)
    return msg


def build_graph_class():
    fp = descriptor_pb2.FileDescriptorProto()
    fp.name = "keras_cpp_test/trackable_object_graph.proto"
    fp.package = "tensorflow"
    fp.syntax = "proto3"
    fp.dependency.append("google/protobuf/wrappers.proto")
    OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    obj = ".tensorflow.TrackableObjectGraph.TrackableObject."

    def trackable_object(parent):
        _message(parent, "TrackableObject", [
            (1, "children", F.TYPE_MESSAGE, REP, obj + "ObjectReference"),
            (2, "attributes", F.TYPE_MESSAGE, REP, obj + "SerializedTensor"),
            (3, "slot_variables", F.TYPE_MESSAGE, REP, obj + "SlotVariableReference"),
            (4, "registered_saver", F.TYPE_MESSAGE, OPT, ".tensorflow.RegisteredSaver"),
            (5, "has_checkpoint_values", F.TYPE_MESSAGE, OPT, ".google.protobuf.BoolValue"),
        ], nested=[
            lambda m: _message(m, "ObjectReference", [
                (1, "node_id", F.TYPE_INT32, OPT, None),
                (2, "local_name", F.TYPE_STRING, OPT, None)]),
            lambda m: _message(m, "SerializedTensor", [
                (1, "name", F.TYPE_STRING, OPT, None),
                (2, "full_name", F.TYPE_STRING, OPT, None),
                (3, "checkpoint_key", F.TYPE_STRING, OPT, None),
                (4, "optional_restore", F.TYPE_BOOL, OPT, None)]),
            lambda m: _message(m, "SlotVariableReference", [
                (1, "original_variable_node_id", F.TYPE_INT32, OPT, None),
                (2, "slot_name", F.TYPE_STRING, OPT, None),
                (3, "slot_variable_node_id", F.TYPE_INT32, OPT, None)]),
        ])

    graph = ".tensorflow.TrackableObjectGraph."
    _message(fp, "TrackableObjectGraph",
             [(1, "nodes", F.TYPE_MESSAGE, REP, graph + "TrackableObject")],
             nested=[trackable_object])
    _message(fp, "RegisteredSaver", [(1, "name", F.TYPE_STRING, OPT, None),
                                     (2, "object_name", F.TYPE_STRING, OPT, None)])
    pool = descriptor_pool.Default()
    pool.Add(fp)
    desc = pool.FindMessageTypeByName("tensorflow.TrackableObjectGraph")
    return message_factory.MessageFactory(pool).GetPrototype(desc)


def main():
    prefix = sys.argv[1]
    entries, _ = check_bundle.read_table(prefix + ".index", False)
    check_bundle.check(entries and entries[0][0] == b"", "no header entry")
    header_num_shards = 1
    for field, _, v in check_bundle.fields(entries[0][1]):
        if field == 1:
            header_num_shards = v
    keys, graph_bytes = {}, None
    for key, value in entries[1:]:
        e = check_bundle.decode_entry(value)
        keys[key.decode()] = [check_bundle.NAMES.get(e["dtype"], str(e["dtype"])), e["shape"]]
        if key == b"_CHECKPOINTABLE_OBJECT_GRAPH":
            path = "%s.data-%05d-of-%05d" % (prefix, e["shard_id"], header_num_shards)
            data = open(path, "rb").read()[e["offset"]:e["offset"] + e["size"]]
            values = check_bundle.tensor_values(e, data)  # verifies the string CRCs
            check_bundle.check(len(values) == 1, "object graph is not a scalar string")
            graph_bytes = bytes.fromhex(values[0])
    check_bundle.check(graph_bytes is not None, "no _CHECKPOINTABLE_OBJECT_GRAPH entry")
    graph = build_graph_class()()
    graph.ParseFromString(graph_bytes)
    nodes = []
    for node in graph.nodes:
        for a in node.attributes:
            check_bundle.check(a.checkpoint_key in keys, "missing key " + a.checkpoint_key)
        for c in node.children:
            check_bundle.check(0 <= c.node_id < len(graph.nodes), "child id out of range")
        nodes.append({
            "children": [[c.local_name, c.node_id] for c in node.children],
            "attributes": [[a.name, a.full_name, a.checkpoint_key] for a in node.attributes],
            "slot_variables": [[s.original_variable_node_id, s.slot_name, s.slot_variable_node_id]
                               for s in node.slot_variables],
            "has_checkpoint_values": node.has_checkpoint_values.value
            if node.HasField("has_checkpoint_values") else None,
        })
    # Re-serializing with the reference implementation must give our bytes back (field order,
    # default omission, packed encodings).
    json.dump({"nodes": nodes, "keys": keys,
               "reserialized_equal": graph.SerializeToString() == graph_bytes}, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # noqa: BLE001 - any failure is a rejection
        print("check_object_graph: %s: %s" % (sys.argv[1], exc), file=sys.stderr)
        sys.exit(1)
