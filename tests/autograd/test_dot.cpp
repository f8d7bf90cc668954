// to_dot / write_dot: the DOT text names every op with its output shape,
// marks parameters, draws one edge per input, and survives deep graphs.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "autograd/autograd.hpp"
#include "catch_compat.hpp"

using namespace iotgrad;

namespace {
size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
    return n;
}
}  // namespace

TEST_CASE("to_dot of relu(matmul(x, w) + b) names ops, shapes and parameters", "[autograd][dot]") {
    Generator gen(1);
    Variable x(Tensor::randn({4, 3}, gen));
    Variable w(Tensor::randn({3, 2}, gen), true);
    Variable b(Tensor::zeros({2}), true);
    x.set_name("x");
    w.set_name("w");
    b.set_name("b");
    Variable y = relu(matmul(x, w) + b);
    y.set_name("h");
    const std::string dot = to_dot(y);
    INFO(dot);
    CHECK(dot.rfind("digraph", 0) == 0);
    CHECK(dot.find('}') == dot.size() - 2);
    // One box per op, labelled with the op name and output shape.
    CHECK(count(dot, "shape=box") == 3);
    CHECK(dot.find("matmul\\n[4, 2]") != std::string::npos);
    CHECK(dot.find("add\\n[4, 2]") != std::string::npos);
    CHECK(dot.find("h = relu\\n[4, 2]") != std::string::npos);  // the output's name goes on its node
    // One ellipse per leaf; parameters are filled and say so, the data is not.
    CHECK(count(dot, "shape=ellipse") == 3);
    CHECK(dot.find("\"w\\n[3, 2]\\nrequires_grad\", style=filled") != std::string::npos);
    CHECK(dot.find("\"b\\n[2]\\nrequires_grad\", style=filled") != std::string::npos);
    CHECK(dot.find("\"x\\n[4, 3]\"]") != std::string::npos);
    // One edge per input: matmul 2, add 2, relu 1.
    CHECK(count(dot, " -> ") == 5);
    CHECK(count(dot, "peripheries=2") == 1);
}

TEST_CASE("to_dot draws a repeated input twice, shows details and constants", "[autograd][dot]") {
    Variable x(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}), true);
    Variable y = sum(x * x * 2.0f, {1}, true);
    const std::string dot = to_dot(y);
    INFO(dot);
    CHECK(count(dot, " -> ") == 5);           // mul(x, x): 2, mul(., 2): 2, sum: 1
    CHECK(count(dot, "shape=ellipse") == 2);  // x once, the constant 2 once
    CHECK(dot.find("axes=[1], keepdim") != std::string::npos);
    CHECK(dot.find("\"2\\n[]\"") != std::string::npos);  // a rank-0 constant shows its value
}

TEST_CASE("to_dot of a leaf, of a deep chain, and escaping of names", "[autograd][dot]") {
    Variable leaf(Tensor::zeros({3}), true);
    leaf.set_name("say \"hi\"");
    const std::string one = to_dot(leaf);
    CHECK(count(one, "shape=ellipse") == 1);
    CHECK(count(one, " -> ") == 0);
    CHECK(one.find("say \\\"hi\\\"") != std::string::npos);
    // 20,000 nodes deep: an explicit stack, not recursion.
    Variable h = leaf;
    for (int t = 0; t < 20000; ++t) h = tanh(h);
    CHECK(count(to_dot(h), " -> ") == 20000);
    CHECK_THROWS_AS(to_dot(Variable()), std::invalid_argument);
}

TEST_CASE("write_dot writes the same text and names a path it cannot write", "[autograd][dot]") {
    Variable x(Tensor::ones({2}), true);
    Variable y = exp(x);
    std::ostringstream name;
    name << "iotgrad_test_dot_" << reinterpret_cast<uintptr_t>(y.id()) << ".dot";
    const std::string path = (std::filesystem::temp_directory_path() / name.str()).string();
    write_dot(y, path);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == to_dot(y));
    std::remove(path.c_str());
    CHECK_THROWS_AS(write_dot(y, "/nonexistent-dir/graph.dot"), std::runtime_error);
    CHECK_THROWS_WITH(write_dot(y, "/nonexistent-dir/graph.dot"), IOTGRAD_HAS("/nonexistent-dir/graph.dot"));
}
