// Model::summary(): the table tf.keras prints (seed 004 shows it), column for column.
#include <cstdio>
#include <sstream>

#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"

namespace keras {
namespace {

std::string shape_text(const Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ", ";
    out += s[i] < 0 ? "None" : std::to_string(s[i]);
  }
  if (s.size() == 1) out += ",";
  return out + ")";
}

std::string with_commas(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// Keras's print_row: each field cut to its column (2 spaces kept between columns), padded.
void print_row(std::ostringstream& os, const std::vector<std::string>& fields,
               const std::vector<int>& positions) {
  std::vector<std::string> left = fields;
  auto any_left = [&] {
    for (const auto& f : left)
      if (!f.empty()) return true;
    return false;
  };
  do {
    std::string line;
    for (size_t col = 0; col < left.size(); ++col) {
      const int start = col ? positions[col - 1] : 0;
      const int end = positions[col];
      const int space = col + 1 != positions.size() ? 2 : 0;
      size_t cutoff = static_cast<size_t>(std::max(0, end - start - space));
      std::string fit = left[col].substr(0, cutoff);
      // Break long shape lists after a closing bracket, as Keras does.
      size_t best = std::string::npos;
      for (const char* brk : {"),", "},", "],", "',"}) {
        const size_t p = fit.find(brk);
        if (p != std::string::npos) best = std::min(best, p + 2);
      }
      if (best != std::string::npos) {
        cutoff = best;
        fit = fit.substr(0, cutoff);
      }
      if (col == 0) line += ' ';
      line += fit;
      line += std::string(space, ' ');
      left[col] = left[col].size() > cutoff ? left[col].substr(cutoff) : "";
      if (static_cast<int>(line.size()) < end) line += std::string(end - line.size(), ' ');
    }
    os << line << "\n";
  } while (any_left());
}

}  // namespace

bool Model::sequential_like() const {
  if (dynamic_cast<const Sequential*>(this) || !is_functional()) return true;
  // Multiple nodes at one depth, a node with several inputs, or a shared layer: not sequential.
  for (const auto& gn : graph_) {
    const auto& node = gn.layer->inbound_nodes()[gn.node_index];
    if (node.inputs.size() > 1) return false;
  }
  std::map<const layers::Layer*, int> uses;
  for (const auto& gn : graph_)
    if (++uses[gn.layer.get()] > 1) return false;
  return inputs_.size() == 1 && outputs_.size() == 1;
}

std::string Model::summary(int line_length) const {
  const bool seq = sequential_like();
  if (line_length <= 0) line_length = seq ? 65 : 98;
  std::vector<double> rel = seq ? std::vector<double>{.45, .85, 1.}
                                : std::vector<double>{.33, .55, .67, 1.};
  std::vector<int> positions;
  for (double r : rel) positions.push_back(static_cast<int>(line_length * r));
  std::vector<std::string> header = {"Layer (type)", "Output Shape", "Param #"};
  if (!seq) header.push_back("Connected to");

  std::ostringstream os;
  os << "Model: \"" << name() << "\"\n";
  os << std::string(line_length, '_') << "\n";
  print_row(os, header, positions);
  os << std::string(line_length, '=') << "\n";

  for (const auto& layer : layers()) {
    // tf.keras's layer.output_shape: defined when every call produced the same shapes.
    std::string out_shape = "multiple";
    const auto& nodes = layer->inbound_nodes();
    const auto* input = dynamic_cast<const layers::InputLayer*>(layer.ptr().get());
    bool same = !nodes.empty() && !nodes[0].outputs.empty();
    for (const auto& node : nodes) {
      same = same && node.outputs.size() == nodes[0].outputs.size();
      for (size_t i = 0; same && i < node.outputs.size(); ++i)
        same = node.outputs[i].shape() == nodes[0].outputs[i].shape();
    }
    if (same) {
      if (nodes[0].outputs.size() == 1 && !input) {
        out_shape = shape_text(nodes[0].outputs[0].shape());
      } else {  // tf.keras prints InputLayers and multi-output layers as lists
        out_shape = "[";
        for (size_t i = 0; i < nodes[0].outputs.size(); ++i)
          out_shape += (i ? ", " : "") + shape_text(nodes[0].outputs[i].shape());
        out_shape += "]";
      }
    }
    std::string params =
        layer->built() ? std::to_string(layer->count_params()) : std::string("0 (unused)");
    std::vector<std::string> fields = {layer->name() + " (" + layer->class_name() + ")", out_shape,
                                       params};
    if (!seq) {
      std::string connected;
      for (const auto& node : nodes) {
        for (const auto& in : node.inputs) {
          if (!connected.empty()) connected += ", ";
          const auto& h = in.history();
          connected += "['" + h.layer->name() + "[" + std::to_string(h.node_index) + "][" +
                       std::to_string(h.tensor_index) + "]']";
        }
      }
      fields.push_back(connected);
    }
    print_row(os, fields, positions);
    os << std::string(line_length, ' ') << "\n";
  }
  os << std::string(line_length, '=') << "\n";
  int64_t trainable = 0, non_trainable = 0;
  for (const auto& v : trainable_weights()) trainable += v.value().size();
  for (const auto& v : non_trainable_weights()) non_trainable += v.value().size();
  os << "Total params: " << with_commas(trainable + non_trainable) << "\n";
  os << "Trainable params: " << with_commas(trainable) << "\n";
  os << "Non-trainable params: " << with_commas(non_trainable) << "\n";
  os << std::string(line_length, '_') << "\n";
  return os.str();
}

void Model::print_summary(int line_length) const { std::fputs(summary(line_length).c_str(), stdout); }

}  // namespace keras
