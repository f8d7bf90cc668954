/// \file
/// The graph behind a Variable, written in Graphviz DOT: look at what
/// backward() will walk. Render with `dot -Tsvg graph.dot -o graph.svg`
/// (Graphviz is not needed to build or to write the file).
#pragma once
#include <string>

#include "autograd/variable.hpp"

namespace iotgrad {

/// The graph behind v as a DOT digraph. Each op node is a box labelled with
/// its op name, output shape and detail (e.g. "axes=[1]"); each leaf is an
/// ellipse labelled with its name (if set) and shape, filled when it requires
/// a gradient (a parameter) and plain when it is a constant. Edges run from
/// each input to the op that consumes it, one per input (x * x gives two).
/// The output node has a double border. A graph already freed by backward()
/// shows only its last node. Walks the graph iteratively (deep graphs are fine).
std::string to_dot(const Variable& v);

/// Writes to_dot(v) to path; throws std::runtime_error naming the path if the
/// file cannot be written.
void write_dot(const Variable& v, const std::string& path);

/// Sets the detail to_dot shows under the op name of v's node (e.g. the axes
/// of a reduction); does nothing when v is a leaf (no node was recorded).
inline void set_op_detail(const Variable& v, std::string detail) {
    if (v.grad_fn()) v.grad_fn()->detail = std::move(detail);
}

}  // namespace iotgrad
