// TrackableObjectGraph wire format (field numbers in keras/saving/tf_checkpoint/object_graph.hpp).
#include "keras/saving/tf_checkpoint/object_graph.hpp"

#include "keras/core/errors.hpp"
#include "keras/io/protobuf_wire.hpp"

namespace keras::saving::tf_checkpoint {
namespace {

using io::pb::WireReader;
using io::pb::WireWriter;

void write_string(WireWriter& w, uint32_t field, const std::string& s) {
  if (!s.empty()) w.write_bytes(field, s);
}

void write_int32(WireWriter& w, uint32_t field, int32_t v) {
  if (v != 0) w.write_int32(field, v);
}

std::string serialize_node(const TrackableObject& node) {
  WireWriter w;
  for (const auto& c : node.children) {
    WireWriter r;
    write_int32(r, 1, c.node_id);
    write_string(r, 2, c.local_name);
    w.write_bytes(1, r.data());
  }
  for (const auto& a : node.attributes) {
    WireWriter t;
    write_string(t, 1, a.name);
    write_string(t, 2, a.full_name);
    write_string(t, 3, a.checkpoint_key);
    if (a.optional_restore) t.write_bool(4, true);
    w.write_bytes(2, t.data());
  }
  for (const auto& s : node.slot_variables) {
    WireWriter r;
    write_int32(r, 1, s.original_variable_node_id);
    write_string(r, 2, s.slot_name);
    write_int32(r, 3, s.slot_variable_node_id);
    w.write_bytes(3, r.data());
  }
  if (node.registered_saver) {
    WireWriter r;
    write_string(r, 1, node.registered_saver->name);
    write_string(r, 2, node.registered_saver->object_name);
    w.write_bytes(4, r.data());
  }
  if (node.has_checkpoint_values) {
    WireWriter b;
    if (*node.has_checkpoint_values) b.write_bool(1, true);
    w.write_bytes(5, b.data());
  }
  return w.take();
}

// Sub-messages are parsed with a reader whose `what` names the node for error messages.
ObjectReference parse_reference(std::string_view bytes, const std::string& what) {
  ObjectReference out;
  WireReader r(bytes, what);
  while (r.next()) {
    if (r.field() == 1) {
      out.node_id = r.read_int32();
    } else if (r.field() == 2) {
      out.local_name = std::string(r.read_bytes());
    } else {
      r.skip();
    }
  }
  return out;
}

SerializedTensor parse_tensor(std::string_view bytes, const std::string& what) {
  SerializedTensor out;
  WireReader r(bytes, what);
  while (r.next()) {
    switch (r.field()) {
      case 1:
        out.name = std::string(r.read_bytes());
        break;
      case 2:
        out.full_name = std::string(r.read_bytes());
        break;
      case 3:
        out.checkpoint_key = std::string(r.read_bytes());
        break;
      case 4:
        out.optional_restore = r.read_bool();
        break;
      default:
        r.skip();
    }
  }
  return out;
}

SlotVariableReference parse_slot(std::string_view bytes, const std::string& what) {
  SlotVariableReference out;
  WireReader r(bytes, what);
  while (r.next()) {
    switch (r.field()) {
      case 1:
        out.original_variable_node_id = r.read_int32();
        break;
      case 2:
        out.slot_name = std::string(r.read_bytes());
        break;
      case 3:
        out.slot_variable_node_id = r.read_int32();
        break;
      default:
        r.skip();
    }
  }
  return out;
}

TrackableObject parse_node(std::string_view bytes, const std::string& what) {
  TrackableObject node;
  WireReader r(bytes, what);
  while (r.next()) {
    switch (r.field()) {
      case 1:
        node.children.push_back(parse_reference(r.read_bytes(), what + " child"));
        break;
      case 2:
        node.attributes.push_back(parse_tensor(r.read_bytes(), what + " attribute"));
        break;
      case 3:
        node.slot_variables.push_back(parse_slot(r.read_bytes(), what + " slot variable"));
        break;
      case 4: {
        RegisteredSaver saver;
        WireReader s(r.read_bytes(), what + " registered_saver");
        while (s.next()) {
          if (s.field() == 1) {
            saver.name = std::string(s.read_bytes());
          } else if (s.field() == 2) {
            saver.object_name = std::string(s.read_bytes());
          } else {
            s.skip();
          }
        }
        node.registered_saver = std::move(saver);
        break;
      }
      case 5: {
        bool value = false;
        WireReader b(r.read_bytes(), what + " has_checkpoint_values");
        while (b.next()) {
          if (b.field() == 1) {
            value = b.read_bool();
          } else {
            b.skip();
          }
        }
        node.has_checkpoint_values = value;
        break;
      }
      default:
        r.skip();
    }
  }
  return node;
}

}  // namespace

std::string TrackableObjectGraph::serialize() const {
  WireWriter w;
  for (const auto& node : nodes) w.write_bytes(1, serialize_node(node));
  return w.take();
}

TrackableObjectGraph TrackableObjectGraph::parse(std::string_view bytes, const std::string& what) {
  TrackableObjectGraph graph;
  const std::string where = "TrackableObjectGraph in " + what;
  WireReader r(bytes, where);
  while (r.next()) {
    if (r.field() == 1) {
      graph.nodes.push_back(
          parse_node(r.read_bytes(), where + " node " + std::to_string(graph.nodes.size())));
    } else {
      r.skip();
    }
  }
  if (graph.nodes.empty())
    throw FileFormatError(where +
                          ": the object graph has no nodes (not an object-based "
                          "checkpoint, or a corrupted graph).");
  const auto n = static_cast<int64_t>(graph.nodes.size());
  auto check_id = [&](int64_t id, size_t node, const char* field) {
    if (id < 0 || id >= n)
      throw FileFormatError(where + ": node " + std::to_string(node) + " has " + field + " " +
                            std::to_string(id) + ", expected a node id in [0, " +
                            std::to_string(n) + ").");
  };
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    for (const auto& c : graph.nodes[i].children) check_id(c.node_id, i, "a child node_id");
    for (const auto& s : graph.nodes[i].slot_variables) {
      check_id(s.original_variable_node_id, i, "original_variable_node_id");
      check_id(s.slot_variable_node_id, i, "slot_variable_node_id");
    }
  }
  return graph;
}

std::string escape_local_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == '.') {
      out += "..";
    } else if (c == '/') {
      out += ".S";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace keras::saving::tf_checkpoint
