/// \file
/// to_dot / write_dot: the recorded graph as Graphviz DOT text.
#include "autograd/dot.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace iotgrad {

namespace {

/// A DOT string literal body: quotes and backslashes escaped, newlines as \n.
std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string leaf_label(const Variable& v) {
    std::ostringstream os;
    if (!v.name().empty())
        os << v.name() << "\n";
    else if (v.numel() == 1 && !v.requires_grad())
        os << v.value().item() << "\n";  // a constant like the 2 in x * 2
    os << shape_str(v.shape());
    if (v.requires_grad()) os << "\nrequires_grad";
    return os.str();
}

std::string node_label(const Node& n) {
    std::string label = op_name(n.op);
    label += "\n" + shape_str(n.out_shape);
    if (!n.detail.empty()) label += "\n" + n.detail;
    return label;
}

/// Assigns DOT ids ("n0", "n1", ...) to op nodes and leaves in discovery order.
class Ids {
public:
    std::pair<std::string, bool> get(const void* key) {
        auto it = ids_.find(key);
        if (it != ids_.end()) return {it->second, false};
        std::string id = "n" + std::to_string(ids_.size());
        ids_.emplace(key, id);
        return {id, true};
    }

private:
    std::unordered_map<const void*, std::string> ids_;
};

}  // namespace

std::string to_dot(const Variable& v) {
    if (!v.defined()) throw std::invalid_argument("to_dot: the variable is undefined (default-constructed)");
    std::ostringstream os;
    os << "digraph iotgrad {\n"
       << "  node [fontname=\"Helvetica\", fontsize=10];\n";
    Ids ids;
    auto declare_leaf = [&](const Variable& leaf) {
        auto [id, fresh] = ids.get(leaf.id());
        if (fresh) {
            os << "  " << id << " [shape=ellipse, label=\"" << escape(leaf_label(leaf)) << "\"";
            if (leaf.requires_grad()) os << ", style=filled, fillcolor=\"#a8d5ff\"";
            if (leaf.id() == v.id()) os << ", peripheries=2";
            os << "];\n";
        }
        return id;
    };
    if (!v.grad_fn()) {
        declare_leaf(v);
        os << "}\n";
        return os.str();
    }
    // Depth-first over nodes with an explicit stack: a 10,000-step recurrent
    // graph would overflow the call stack if walked recursively.
    std::vector<const Node*> stack{v.grad_fn().get()};
    ids.get(stack.back());
    while (!stack.empty()) {
        const Node* n = stack.back();
        stack.pop_back();
        const std::string nid = ids.get(n).first;
        std::string label = node_label(*n);
        const bool is_root = n == v.grad_fn().get();
        if (is_root && !v.name().empty()) label = v.name() + " = " + label;
        os << "  " << nid << " [shape=box, label=\"" << escape(label) << "\"" << (is_root ? ", peripheries=2" : "")
           << "];\n";
        for (const Variable& in : n->inputs) {
            std::string src;
            if (const Node* child = in.grad_fn().get()) {
                auto [cid, fresh] = ids.get(child);
                if (fresh) stack.push_back(child);
                src = cid;
            } else {
                src = declare_leaf(in);
            }
            os << "  " << src << " -> " << nid << ";\n";
        }
    }
    os << "}\n";
    return os.str();
}

void write_dot(const Variable& v, const std::string& path) {
    const std::string text = to_dot(v);
    std::ofstream out(path);
    if (!out) throw std::runtime_error("write_dot: cannot open '" + path + "' for writing");
    out << text;
    out.close();
    if (!out) throw std::runtime_error("write_dot: writing '" + path + "' failed");
}

}  // namespace iotgrad
