#include "catch_compat.hpp"

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"

using namespace iotgrad;

TEST_CASE("broadcast add and mul reduce gradients to operand shapes", "[autograd][broadcast]") {
    Generator gen(1);
    Variable a(Tensor::randn({2, 3}, gen), true), b(Tensor::randn({3}, gen), true);
    auto r = gradcheck([](const std::vector<Variable>& v) { return v[0] * v[1] + v[1] / (v[0] * v[0] + 1.0f); }, {a, b});
    INFO(r.message);
    CHECK(r.ok);
}

TEST_CASE("matmul gradient matches finite differences for 1-d, 2-d and batched", "[autograd][matmul]") {
    Generator gen(2);
    auto mm = [](const std::vector<Variable>& v) { return matmul(v[0], v[1]); };
    for (auto shapes : std::vector<std::pair<Shape, Shape>>{
             {{3}, {3}}, {{2, 3}, {3}}, {{3}, {3, 4}}, {{2, 3}, {3, 4}}, {{2, 2, 3}, {3, 4}}, {{2, 1, 2, 3}, {3, 3, 2}}}) {
        Variable a(Tensor::randn(shapes.first, gen), true), b(Tensor::randn(shapes.second, gen), true);
        auto r = gradcheck(mm, {a, b});
        INFO(shape_str(shapes.first) << " @ " << shape_str(shapes.second) << ": " << r.message);
        CHECK(r.ok);
    }
}
