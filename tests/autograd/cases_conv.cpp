// Gradcheck cases for convolution (equation 4): 1-d and 2-d, with and without
// bias, stride, padding, dilation, one channel, a kernel as long as the input,
// a non-square kernel, groups (and depthwise), and batches (which fold into one GEMM) as well as N = 1.
#include "op_cases.hpp"

namespace iotgrad::testing {

std::vector<OpCase> conv_cases() {
    using V = const std::vector<Variable>&;
    return {
        {Op::Conv1d, "conv1d [2,2,7] * [3,2,3] + bias", {{2, 2, 7}, {3, 2, 3}, {3}},
         [](V v) { return conv1d(v[0], v[1], v[2]); }},
        {Op::Conv1d, "conv1d no bias, stride 2, padding 1, dilation 2", {{2, 2, 9}, {2, 2, 3}},
         [](V v) { return conv1d(v[0], v[1], Variable(), 2, 1, 2); }},
        {Op::Conv1d, "conv1d N=1, one channel, kernel = input length", {{1, 1, 4}, {2, 1, 4}, {2}},
         [](V v) { return conv1d(v[0], v[1], v[2]); }},
        {Op::Conv1d, "conv1d padding larger than the kernel reach, stride 3", {{1, 2, 5}, {2, 2, 2}, {2}},
         [](V v) { return conv1d(v[0], v[1], v[2], 3, 3); }},
        {Op::Conv2d, "conv2d [2,2,4,4] * [2,2,3,3] + bias, padding 1", {{2, 2, 4, 4}, {2, 2, 3, 3}, {2}},
         [](V v) { return conv2d(v[0], v[1], v[2], 1, 1); }},
        {Op::Conv2d, "conv2d no bias, stride 2, dilation 2, padding 1", {{2, 1, 6, 5}, {2, 1, 2, 2}},
         [](V v) { return conv2d(v[0], v[1], Variable(), 2, 1, 2); }},
        {Op::Conv2d, "conv2d N=1, non-square kernel [3,2,2,3]", {{1, 2, 4, 5}, {3, 2, 2, 3}, {3}},
         [](V v) { return conv2d(v[0], v[1], v[2]); }},
        {Op::Conv1d, "conv1d groups 2: [2,4,6] * [6,2,3] + bias, padding 1", {{2, 4, 6}, {6, 2, 3}, {6}},
         [](V v) { return conv1d(v[0], v[1], v[2], 1, 1, 1, 2); }},
        {Op::Conv1d, "conv1d depthwise groups 3, stride 2, no bias", {{2, 3, 7}, {3, 1, 3}},
         [](V v) { return conv1d(v[0], v[1], Variable(), 2, 0, 1, 3); }},
        {Op::Conv2d, "conv2d groups 2: [1,4,4,4] * [2,2,3,3] + bias, padding 1", {{1, 4, 4, 4}, {2, 2, 3, 3}, {2}},
         [](V v) { return conv2d(v[0], v[1], v[2], 1, 1, 1, 2); }},
        {Op::Conv2d, "conv2d depthwise groups 2, multiplier 2, dilation 2", {{2, 2, 5, 5}, {4, 1, 2, 2}, {4}},
         [](V v) { return conv2d(v[0], v[1], v[2], 1, 0, 2, 2); }},
    };
}

}  // namespace iotgrad::testing
