// Gradcheck cases for the shape family: views (reshape, permute, slice,
// select, expand) and the copying ops (concat, stack, index_select), with
// negative axes, steps > 1, rank-0 / size-1 edges and repeated indices.
// gradcheck weights every output element differently, so a backward that
// sent a gradient to the wrong element fails.
#include "op_cases.hpp"

namespace iotgrad::testing {

std::vector<OpCase> shape_cases() {
    using V = const std::vector<Variable>&;
    const Tensor rows = Tensor::from({4}, {1, 3, 1, 1});
    const Tensor cols = Tensor::from({3}, {4, 0, 4});
    // clang-format off
    return {
        {Op::Reshape, "reshape [2,3] -> [3,2]", {{2, 3}}, [](V v) { return reshape(v[0], {3, 2}); }},
        {Op::Reshape, "reshape with -1 [2,3,4] -> [4,-1]", {{2, 3, 4}}, [](V v) { return reshape(v[0], {4, -1}); }},
        {Op::Reshape, "reshape of a transposed (non-contiguous) input", {{3, 4}},
         [](V v) { return reshape(transpose(v[0], 0, 1), {2, 6}); }},
        {Op::Reshape, "reshape rank-0 -> [1,1]", {{}}, [](V v) { return reshape(v[0], {1, 1}); }},
        {Op::Reshape, "squeeze(1) of [3,1,2]", {{3, 1, 2}}, [](V v) { return squeeze(v[0], 1); }},
        {Op::Reshape, "unsqueeze(-1) of [2,3]", {{2, 3}}, [](V v) { return unsqueeze(v[0], -1); }},
        {Op::Reshape, "flatten(1) of [2,3,2]", {{2, 3, 2}}, [](V v) { return flatten(v[0]); }},
        {Op::Permute, "permute [2,3,4] by {2,0,1}", {{2, 3, 4}}, [](V v) { return permute(v[0], {2, 0, 1}); }},
        {Op::Permute, "permute with negative dims {-1,0,1}", {{2, 3, 4}},
         [](V v) { return permute(v[0], {-1, 0, 1}); }},
        {Op::Permute, "transpose(-1,-2) then exp (non-contiguous into exp)", {{3, 2}},
         [](V v) { return exp(transpose(v[0], -1, -2)); }},
        {Op::Slice, "slice dim 0 step 2 of [5,3]", {{5, 3}}, [](V v) { return slice(v[0], 0, 0, 5, 2); }},
        {Op::Slice, "slice middle dim 1:7:3 of [2,8,2]", {{2, 8, 2}}, [](V v) { return slice(v[0], 1, 1, 7, 3); }},
        {Op::Slice, "slice negative dim and start -3: of [2,5]", {{2, 5}}, [](V v) { return slice(v[0], -1, -3, 5); }},
        {Op::Slice, "two overlapping slices add up", {{6}},
         [](V v) { return slice(v[0], 0, 0, 4) * slice(v[0], 0, 2, 6); }},
        {Op::Slice, "select(1, -1) of [3,4]", {{3, 4}}, [](V v) { return select(v[0], 1, -1); }},
        {Op::Slice, "select of a 1-d tensor gives rank-0", {{4}}, [](V v) { return select(v[0], 0, 2) * v[0]; }},
        {Op::Expand, "expand [3,1] -> [2,3,4]", {{3, 1}}, [](V v) { return expand(v[0], {2, 3, 4}); }},
        {Op::Expand, "expand rank-0 -> [2,2]", {{}}, [](V v) { return expand(v[0], {2, 2}); }},
        {Op::Concat, "concat along middle dim: [2,3,2], [2,1,2], [2,2,2]", {{2, 3, 2}, {2, 1, 2}, {2, 2, 2}},
         [](V v) { return concat({v[0], v[1], v[2]}, 1); }},
        {Op::Concat, "concat dim -1: [2,1] and [2,3]", {{2, 1}, {2, 3}}, [](V v) { return concat({v[0], v[1]}, -1); }},
        {Op::Concat, "concat the same variable twice", {{3}}, [](V v) { return concat({v[0], v[0]}, 0); }},
        {Op::Concat, "stack three [2,3] along dim 1", {{2, 3}, {2, 3}, {2, 3}},
         [](V v) { return stack({v[0], v[1], v[2]}, 1); }},
        {Op::Concat, "stack rank-0 values", {{}, {}}, [](V v) { return stack({v[0], v[1]}, 0); }},
        {Op::IndexSelect, "index_select dim 0 with repeated rows {1,3,1,1}", {{4, 3}},
         [rows](V v) { return index_select(v[0], 0, rows); }},
        {Op::IndexSelect, "index_select middle dim {4,0,4} of [2,5,2]", {{2, 5, 2}},
         [cols](V v) { return index_select(v[0], 1, cols); }},
        {Op::IndexSelect, "index_select dim -1 of [3,5]", {{3, 5}},
         [cols](V v) { return index_select(v[0], -1, cols); }},
    };
    // clang-format on
}

}  // namespace iotgrad::testing
