// to_dot: the autograd graph as Graphviz DOT, exact text for small graphs.

#include <doctest/doctest.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/graph_dot.hpp"
#include "core/ops.hpp"

using namespace glimpse;

TEST_CASE("to_dot: ops are boxes, leaves are named ellipses, constants are left out") {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});  // a constant input
    const Tensor w = ones({2, 3}).requires_grad_();
    const Tensor b = zeros({3}).requires_grad_();
    const Tensor loss = sum(tanh(x * w + b));
    CHECK(to_dot(loss, {{"w", w}, {"b", b}}) ==
          "digraph autograd {\n"
          "    node [fontname=\"monospace\"];\n"
          "    n0 [label=\"sum\\n[]\", shape=box];\n"
          "    n1 -> n0;\n"
          "    n1 [label=\"tanh\\n[2, 3]\", shape=box];\n"
          "    n2 -> n1;\n"
          "    n2 [label=\"add\\n[2, 3]\", shape=box];\n"
          "    n3 -> n2;\n"
          "    n4 -> n2;\n"
          "    n3 [label=\"mul\\n[2, 3]\", shape=box];\n"
          "    n5 -> n3;\n"
          "    n4 [label=\"b\\n[3]\"];\n"
          "    n5 [label=\"w\\n[2, 3]\"];\n"
          "}\n");
}

TEST_CASE("to_dot: a tensor used twice has two arrows; an unnamed leaf shows its shape") {
    const Tensor x = ones({2}).requires_grad_();
    CHECK(to_dot(x * x) ==
          "digraph autograd {\n"
          "    node [fontname=\"monospace\"];\n"
          "    n0 [label=\"mul\\n[2]\", shape=box];\n"
          "    n1 -> n0;\n"
          "    n1 -> n0;\n"
          "    n1 [label=\"[2]\"];\n"
          "}\n");
}

TEST_CASE("to_dot: a shared intermediate is drawn once") {
    const Tensor x = ones({2}).requires_grad_();
    const Tensor h = tanh(x);
    const std::string dot = to_dot(h + exp(h));
    // Header 2, vertices 4 (add, tanh, exp, x), arrows 4, closing brace 1.
    CHECK(std::count(dot.begin(), dot.end(), '\n') == 11);
    CHECK(dot.find("n1 [label=\"tanh\\n[2]\", shape=box];\n") != std::string::npos);
    CHECK(dot.find("n1 -> n2;\n") != std::string::npos);  // tanh feeds exp too
    CHECK(dot.find("tanh", dot.find("tanh") + 1) == std::string::npos);
}

TEST_CASE("to_dot: a leaf alone, and names with quotes are escaped") {
    const Tensor w = ones({3}).requires_grad_();
    CHECK(to_dot(w, {{"say \"w\"", w}}) ==
          "digraph autograd {\n"
          "    node [fontname=\"monospace\"];\n"
          "    n0 [label=\"say \\\"w\\\"\\n[3]\"];\n"
          "}\n");
    CHECK_THROWS_AS(to_dot(Tensor()), Error);
}

TEST_CASE("to_dot: a 10,000-op chain is walked without recursion") {
    const Tensor w = full({1}, 0.5).requires_grad_();
    Tensor h = w;
    for (int t = 0; t < 10000; ++t) h = tanh(h);
    const std::string dot = to_dot(h);
    // Two header lines, a vertex line per op and the leaf, an arrow per op, the closing brace.
    CHECK(std::count(dot.begin(), dot.end(), '\n') == 2 + 10001 + 10000 + 1);
}
