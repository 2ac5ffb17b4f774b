// Graph export: a breadth-first walk from the output, numbering each op and leaf the first
// time it is reached. The walk uses a queue, not recursion, so a graph of any depth (a long
// unrolled RNN) is fine.

#include "core/graph_dot.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "core/autograd.hpp"
#include "core/check.hpp"

namespace glimpse {

namespace {

// One box or ellipse of the drawing: an op or a leaf (exactly one is set).
struct Vertex {
    const Node* op = nullptr;
    const TensorImpl* leaf = nullptr;
};

// A DOT label: the lines (quotes and backslashes escaped) joined by line breaks, in quotes.
std::string label(const std::vector<std::string>& lines) {
    std::string out = "\"";
    for (std::size_t k = 0; k < lines.size(); ++k) {
        if (k > 0) out += "\\n";
        for (char c : lines[k]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
    }
    return out + "\"";
}

class DotWriter {
  public:
    explicit DotWriter(const std::vector<std::pair<std::string, Tensor>>& names) {
        for (const auto& [name, tensor] : names) {
            if (tensor.defined()) names_[tensor.impl()] = name;
        }
    }

    std::string write(const Tensor& output) {
        out_ = "digraph autograd {\n    node [fontname=\"monospace\"];\n";
        if (output.grad_fn()) {
            id_of(output.grad_fn().get(), {.op = output.grad_fn().get()});
        } else {
            id_of(output.impl(), {.leaf = output.impl()});
        }
        // vertices_ grows as the walk reaches new inputs: it is the queue.
        for (std::size_t id = 0; id < vertices_.size(); ++id) write_vertex(id);
        return out_ + "}\n";
    }

  private:
    // A vertex's number, given (and queued to be written) the first time it is seen.
    std::size_t id_of(const void* key, Vertex vertex) {
        const auto [found, is_new] = ids_.try_emplace(key, vertices_.size());
        if (is_new) vertices_.push_back(vertex);
        return found->second;
    }

    void write_vertex(std::size_t id) {
        const Vertex vertex = vertices_[id];
        if (vertex.leaf) {
            std::vector<std::string> lines{shape_str(vertex.leaf->shape)};
            const auto name = names_.find(vertex.leaf);
            if (name != names_.end()) lines.insert(lines.begin(), name->second);
            out_ += fmt::format("    n{} [label={}];\n", id, label(lines));
            return;
        }
        const Node& op = *vertex.op;
        out_ += fmt::format("    n{} [label={}, shape=box];\n", id,
                            label({op.op, shape_str(op.shape)}));
        for (const Edge& edge : op.edges) {
            if (!edge.needs_grad()) continue;
            const std::size_t input = edge.node ? id_of(edge.node.get(), {.op = edge.node.get()})
                                                : id_of(edge.leaf.get(), {.leaf = edge.leaf.get()});
            out_ += fmt::format("    n{} -> n{};\n", input, id);
        }
    }

    std::unordered_map<const TensorImpl*, std::string> names_;
    std::unordered_map<const void*, std::size_t> ids_;
    std::vector<Vertex> vertices_;
    std::string out_;
};

}  // namespace

std::string to_dot(const Tensor& output, const std::vector<std::pair<std::string, Tensor>>& names) {
    check_defined("to_dot", output);
    return DotWriter(names).write(output);
}

}  // namespace glimpse
