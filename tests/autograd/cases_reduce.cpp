// Gradcheck cases for reductions: all axes and chosen axes, several axes at
// once, negative axes, keepdim both ways, rank-0 and size-1 shapes; max/min
// on distinct values and on an exact two-way tie (where the even split is
// also what central differences measure: half a step up, none down).
// var has no op of its own: its cases check the mean/sub/mul/sum graph it builds.
#include "op_cases.hpp"

namespace iotgrad::testing {

namespace {
// Distinct values 0.1 apart in shuffled order: no ties within eps.
Tensor distinct(size_t, const Shape& s, Generator& g) {
    const int64_t n = numel_of(s);
    std::vector<float> v(n);
    for (int64_t k = 0; k < n; ++k) v[k] = static_cast<float>(k - n / 2) * 0.1f;
    for (int64_t k = n - 1; k > 0; --k) std::swap(v[k], v[g.below(k + 1)]);
    return Tensor::from(s, v);
}
// Rows of [2,3] whose largest (first row) and smallest (second row) values tie exactly.
Tensor max_tie(size_t, const Shape& s, Generator&) { return Tensor::from(s, {0.5f, 2.0f, 2.0f, 1.0f, 3.0f, -1.0f}); }
Tensor min_tie(size_t, const Shape& s, Generator&) { return Tensor::from(s, {0.5f, 2.0f, 0.5f, 1.0f, -1.0f, -1.0f}); }
}  // namespace

std::vector<OpCase> reduce_cases() {
    using V = const std::vector<Variable>&;
    // clang-format off
    return {
        {Op::Sum, "sum all of [2,3]", {{2, 3}}, [](V v) { return sum(v[0]); }},
        {Op::Sum, "sum all of rank-0", {{}}, [](V v) { return sum(v[0]); }},
        {Op::Sum, "sum axes {0,2} of [2,3,4]", {{2, 3, 4}}, [](V v) { return sum(v[0], {0, 2}); }},
        {Op::Sum, "sum axis -1 keepdim of [2,3]", {{2, 3}}, [](V v) { return sum(v[0], {-1}, true); }},
        {Op::Sum, "sum over a size-1 axis of [3,1]", {{3, 1}}, [](V v) { return sum(v[0], {1}); }},
        {Op::Sum, "sum empty axes (= all) keepdim of [2,2]", {{2, 2}}, [](V v) { return sum(v[0], {}, true); }},
        {Op::Mean, "mean all of [3,4]", {{3, 4}}, [](V v) { return mean(v[0]); }},
        {Op::Mean, "mean axis 1 keepdim of [2,3,2]", {{2, 3, 2}}, [](V v) { return mean(v[0], {1}, true); }},
        {Op::Mean, "mean axes {0,-1} of [2,3,4]", {{2, 3, 4}}, [](V v) { return mean(v[0], {0, -1}); }},
        {Op::Mean, "mean of rank-0", {{}}, [](V v) { return mean(v[0]); }},
        {Op::Max, "max axis 1 of [3,4]", {{3, 4}}, [](V v) { return max(v[0], {1}); }, distinct},
        {Op::Max, "max axes {0,2} keepdim of [2,3,2]", {{2, 3, 2}},
         [](V v) { return max(v[0], {0, 2}, true); }, distinct},
        {Op::Max, "max all (empty axes) of [5]", {{5}}, [](V v) { return max(v[0], {}); }, distinct},
        {Op::Max, "max axis -1 of [2,3] with a two-way tie", {{2, 3}}, [](V v) { return max(v[0], {-1}); }, max_tie},
        {Op::Min, "min axis 0 of [4,3]", {{4, 3}}, [](V v) { return min(v[0], {0}); }, distinct},
        {Op::Min, "min axis -1 keepdim of [2,3] with a two-way tie", {{2, 3}},
         [](V v) { return min(v[0], {-1}, true); }, min_tie},
        {Op::Min, "min over a size-1 axis of [1,3]", {{1, 3}}, [](V v) { return min(v[0], {0}); }, distinct},
        {Op::Mean, "var unbiased axis 1 of [3,4]", {{3, 4}}, [](V v) { return var(v[0], {1}); }},
        {Op::Mean, "var biased all axes keepdim of [2,3]", {{2, 3}},
         [](V v) { return var(v[0], {0, 1}, false, true); }},
    };
    // clang-format on
}

}  // namespace iotgrad::testing
