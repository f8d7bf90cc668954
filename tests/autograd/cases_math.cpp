// Gradcheck cases for the elementwise math family: each op on an ordinary
// shape, broadcast operands for the binary ops, and rank-0 / size-1 edges.
// Ops with a kink (abs, clamp, maximum, minimum) get values on a grid that
// keeps them far from the kink compared with the finite-difference step.
#include "op_cases.hpp"

namespace iotgrad::testing {

namespace {
Tensor positive(size_t, const Shape& s, Generator& g) { return Tensor::rand(s, g, 0.5f, 2.0f); }

// Distinct values (k - n/2) * 0.1 + offset in shuffled order: never 0 and no
// two closer than 0.1, far beyond the 2e-3 a central difference spans.
Tensor grid(const Shape& s, Generator& g, float offset) {
    const int64_t n = numel_of(s);
    std::vector<float> v(n);
    for (int64_t k = 0; k < n; ++k) v[k] = static_cast<float>(k - n / 2) * 0.1f + offset;
    for (int64_t k = n - 1; k > 0; --k) std::swap(v[k], v[g.below(k + 1)]);
    return Tensor::from(s, v);
}
Tensor off_kink(size_t, const Shape& s, Generator& g) { return grid(s, g, 0.05f); }
// Input 0 on the grid offset 0.05, input 1 on offset 0: a and b never tie.
Tensor no_ties(size_t i, const Shape& s, Generator& g) { return grid(s, g, i == 0 ? 0.05f : 0.0f); }
}  // namespace

std::vector<OpCase> math_cases() {
    using V = const std::vector<Variable>&;
    const Tensor mask23 = Tensor::from({2, 1}, {1, 0});
    const Tensor mask3 = Tensor::from({3}, {0, 1, 1});
    // clang-format off
    return {
        {Op::Exp, "exp [2,3]", {{2, 3}}, [](V v) { return exp(v[0]); }},
        {Op::Exp, "exp rank-0", {{}}, [](V v) { return exp(v[0]); }},
        {Op::Log, "log [2,3] (positive)", {{2, 3}}, [](V v) { return log(v[0]); }, positive},
        {Op::Log, "log size-1 [1]", {{1}}, [](V v) { return log(v[0]); }, positive},
        {Op::Pow, "pow x^3 [2,3]", {{2, 3}}, [](V v) { return pow(v[0], 3.0f); }},
        {Op::Pow, "pow x^2 rank-0", {{}}, [](V v) { return pow(v[0], 2.0f); }},
        {Op::Pow, "pow x^0.5 (positive)", {{4}}, [](V v) { return pow(v[0], 0.5f); }, positive},
        {Op::Pow, "pow x^-1.5 (positive)", {{2, 2}}, [](V v) { return pow(v[0], -1.5f); }, positive},
        {Op::Pow, "pow x^0 has zero gradient", {{3}}, [](V v) { return pow(v[0], 0.0f) * v[0]; }},
        {Op::Sqrt, "sqrt [2,3] (positive)", {{2, 3}}, [](V v) { return sqrt(v[0]); }, positive},
        {Op::Sqrt, "sqrt rank-0 (positive)", {{}}, [](V v) { return sqrt(v[0]); }, positive},
        {Op::Abs, "abs [3,4] (off the kink)", {{3, 4}}, [](V v) { return abs(v[0]); }, off_kink},
        {Op::Clamp, "clamp [-0.5, 0.5] on [4,5] (off the bounds)", {{4, 5}},
         [](V v) { return clamp(v[0], -0.5f, 0.5f); }, off_kink},
        {Op::Clamp, "clamp rank-0", {{}}, [](V v) { return clamp(v[0], -1.0f, 1.0f); }, off_kink},
        {Op::Maximum, "maximum [2,3] vs [2,3]", {{2, 3}, {2, 3}}, [](V v) { return maximum(v[0], v[1]); }, no_ties},
        {Op::Maximum, "maximum broadcast [2,3] vs [3]", {{2, 3}, {3}},
         [](V v) { return maximum(v[0], v[1]); }, no_ties},
        {Op::Maximum, "maximum broadcast rank-0 vs [4]", {{}, {4}}, [](V v) { return maximum(v[0], v[1]); }, no_ties},
        {Op::Minimum, "minimum broadcast [2,1,3] vs [4,1]", {{2, 1, 3}, {4, 1}},
         [](V v) { return minimum(v[0], v[1]); }, no_ties},
        {Op::Minimum, "minimum [5] vs [5]", {{5}, {5}}, [](V v) { return minimum(v[0], v[1]); }, no_ties},
        {Op::Where, "where [2,1] mask, [2,3] and [2,3]", {{2, 3}, {2, 3}},
         [mask23](V v) { return where(mask23, v[0], v[1]); }},
        {Op::Where, "where [3] mask, rank-0 a, [2,3] b (all broadcast)", {{}, {2, 3}},
         [mask3](V v) { return where(mask3, v[0], v[1]); }},
        {Op::Where, "where [2,1] mask, [3] a, [1] b (output larger than a and b)", {{3}, {1}},
         [mask23](V v) { return where(mask23, v[0], v[1]); }},
    };
    // clang-format on
}

}  // namespace iotgrad::testing
