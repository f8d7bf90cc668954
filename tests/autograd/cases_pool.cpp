// Gradcheck cases for pooling: non-overlapping, overlapping (stride < kernel)
// and padded windows, in one and two dimensions.
#include <numeric>

#include "op_cases.hpp"

namespace iotgrad::testing {

namespace {
// Distinct values 0.1 apart in random order: a finite-difference step of 1e-3
// can never change which element of a window is the maximum.
Tensor spaced(size_t, const Shape& s, Generator& g) {
    const int64_t n = numel_of(s);
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i) v[i] = 0.1f * static_cast<float>(i - n / 2);
    for (int64_t i = n - 1; i > 0; --i) std::swap(v[i], v[g.below(static_cast<uint64_t>(i + 1))]);
    return Tensor::from(s, v);
}
}  // namespace

std::vector<OpCase> pool_cases() {
    using V = const std::vector<Variable>&;
    return {
        {Op::MaxPool1d, "max_pool1d k=2 (stride = kernel) [2,3,6]", {{2, 3, 6}},
         [](V v) { return max_pool1d(v[0], 2); }, spaced},
        {Op::MaxPool1d, "max_pool1d k=3 s=1 overlapping [1,2,7]", {{1, 2, 7}},
         [](V v) { return max_pool1d(v[0], 3, 1); }, spaced},
        {Op::MaxPool1d, "max_pool1d k=3 s=2 p=1 [2,2,7]", {{2, 2, 7}},
         [](V v) { return max_pool1d(v[0], 3, 2, 1); }, spaced},
        {Op::MaxPool2d, "max_pool2d k=2 [2,2,4,4]", {{2, 2, 4, 4}}, [](V v) { return max_pool2d(v[0], 2); }, spaced},
        {Op::MaxPool2d, "max_pool2d k=3 s=1 p=1 overlapping [1,2,4,5]", {{1, 2, 4, 5}},
         [](V v) { return max_pool2d(v[0], 3, 1, 1); }, spaced},
        {Op::AvgPool1d, "avg_pool1d k=2 [2,3,6]", {{2, 3, 6}}, [](V v) { return avg_pool1d(v[0], 2); }},
        {Op::AvgPool1d, "avg_pool1d k=3 s=2 p=1 overlapping [1,2,8]", {{1, 2, 8}},
         [](V v) { return avg_pool1d(v[0], 3, 2, 1); }},
        {Op::AvgPool2d, "avg_pool2d k=2 [1,2,4,4]", {{1, 2, 4, 4}}, [](V v) { return avg_pool2d(v[0], 2); }},
        {Op::AvgPool2d, "avg_pool2d k=3 s=2 p=1 [2,1,5,5]", {{2, 1, 5, 5}},
         [](V v) { return avg_pool2d(v[0], 3, 2, 1); }},
    };
}

}  // namespace iotgrad::testing
