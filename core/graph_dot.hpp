#pragma once
// The autograd graph behind a tensor as Graphviz DOT: see what backward() will walk.
//
//     std::ofstream("graph.dot") << to_dot(loss, {{"W", W}, {"b", b}});
//     $ dot -Tsvg graph.dot -o graph.svg
//
// Ops are boxes labelled with the op's name and output shape; leaves that require grad
// (parameters, inputs) are ellipses labelled with their shape, and their name when given.
// Arrows go from an input to the op that used it. Tensors that do not require grad (constants)
// are not part of the graph and are not drawn.

#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse {

// `names` labels leaves: pairs of (name, tensor), as a module's named_parameters() gives them.
std::string to_dot(const Tensor& output,
                   const std::vector<std::pair<std::string, Tensor>>& names = {});

}  // namespace glimpse
