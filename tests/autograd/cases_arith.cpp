// Gradcheck cases for arithmetic and matmul: same shapes, broadcasting both
// ways, rank-0 operands, and the 1-d / batched forms of matmul.
#include "op_cases.hpp"

namespace iotgrad::testing {

namespace {
// Values kept away from zero, for divisors.
Tensor away_from_zero(size_t, const Shape& s, Generator& g) {
    Tensor t = Tensor::rand(s, g, 0.5f, 2.0f);
    return t;
}
}  // namespace

std::vector<OpCase> arith_cases() {
    using V = const std::vector<Variable>&;
    return {
        {Op::Add, "add [2,3] + [2,3]", {{2, 3}, {2, 3}}, [](V v) { return v[0] + v[1]; }},
        {Op::Add, "add broadcast [2,1,3] + [4,1]", {{2, 1, 3}, {4, 1}}, [](V v) { return v[0] + v[1]; }},
        {Op::Add, "add rank-0 + [3]", {{}, {3}}, [](V v) { return v[0] + v[1]; }},
        {Op::Sub, "sub broadcast [3] - [2,3]", {{3}, {2, 3}}, [](V v) { return v[0] - v[1]; }},
        {Op::Mul, "mul broadcast [2,3] * [2,1]", {{2, 3}, {2, 1}}, [](V v) { return v[0] * v[1]; }},
        {Op::Mul, "mul same variable twice", {{4}}, [](V v) { return v[0] * v[0]; }},
        {Op::Div, "div broadcast [2,3] / [3]", {{2, 3}, {3}}, [](V v) { return v[0] / v[1]; }, away_from_zero},
        {Op::Neg, "neg [2,2]", {{2, 2}}, [](V v) { return -v[0]; }},
        {Op::Matmul, "matmul [2,3] @ [3,4]", {{2, 3}, {3, 4}}, [](V v) { return matmul(v[0], v[1]); }},
        {Op::Matmul, "matmul 1-d @ 1-d", {{5}, {5}}, [](V v) { return matmul(v[0], v[1]); }},
        {Op::Matmul, "matmul batched broadcast [2,1,2,3] @ [3,3,2]", {{2, 1, 2, 3}, {3, 3, 2}},
         [](V v) { return matmul(v[0], v[1]); }},
        {Op::Matmul, "matmul with K = 1", {{3, 1}, {1, 2}}, [](V v) { return matmul(v[0], v[1]); }},
    };
}

}  // namespace iotgrad::testing
