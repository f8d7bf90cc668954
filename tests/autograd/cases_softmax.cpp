// Gradcheck cases for softmax and log-softmax (equation 3) along every kind of
// axis, and cross-entropy (equation 2) with each reduction and soft targets.
#include "op_cases.hpp"

namespace iotgrad::testing {

namespace {
// Fixed class indices for [4, 3] logits.
Tensor targets4() { return Tensor::from({4}, {0, 2, 1, 2}); }
// Soft targets for [3, 4] logits: rows summing to 1, and one that does not
// (the gradient formula \hat y * sum(y) - y covers unnormalized targets too).
Tensor soft_targets(bool normalized) {
    return Tensor::from({3, 4}, {0.1f, 0.2f, 0.3f, 0.4f,  //
                                 0.0f, 1.0f, 0.0f, 0.0f,  //
                                 0.25f, 0.25f, 0.25f, normalized ? 0.25f : 0.75f});
}
}  // namespace

std::vector<OpCase> softmax_cases() {
    using V = const std::vector<Variable>&;
    return {
        {Op::Softmax, "softmax [3,4] dim -1", {{3, 4}}, [](V v) { return softmax(v[0], -1); }},
        {Op::Softmax, "softmax [3,4] dim 0", {{3, 4}}, [](V v) { return softmax(v[0], 0); }},
        {Op::Softmax, "softmax [2,3,4] dim 1 (middle axis)", {{2, 3, 4}}, [](V v) { return softmax(v[0], 1); }},
        {Op::Softmax, "softmax 1-d [5]", {{5}}, [](V v) { return softmax(v[0]); }},
        {Op::LogSoftmax, "log_softmax [3,4] dim -1", {{3, 4}}, [](V v) { return log_softmax(v[0], -1); }},
        {Op::LogSoftmax, "log_softmax [3,4] dim 0", {{3, 4}}, [](V v) { return log_softmax(v[0], 0); }},
        {Op::LogSoftmax, "log_softmax [2,3,4] dim 1 (middle axis)", {{2, 3, 4}},
         [](V v) { return log_softmax(v[0], 1); }},
        {Op::CrossEntropy, "cross_entropy [4,3] mean", {{4, 3}},
         [](V v) { return cross_entropy(v[0], targets4(), Reduction::Mean); }},
        {Op::CrossEntropy, "cross_entropy [4,3] sum", {{4, 3}},
         [](V v) { return cross_entropy(v[0], targets4(), Reduction::Sum); }},
        {Op::CrossEntropy, "cross_entropy [4,3] none", {{4, 3}},
         [](V v) { return cross_entropy(v[0], targets4(), Reduction::None); }},
        {Op::CrossEntropy, "cross_entropy probabilities [3,4] mean", {{3, 4}},
         [](V v) { return cross_entropy(v[0], soft_targets(true), Reduction::Mean); }},
        {Op::CrossEntropy, "cross_entropy unnormalized probabilities, sum", {{3, 4}},
         [](V v) { return cross_entropy(v[0], soft_targets(false), Reduction::Sum); }},
        {Op::CrossEntropy, "cross_entropy probabilities none", {{3, 4}},
         [](V v) { return cross_entropy(v[0], soft_targets(true), Reduction::None); }},
        {Op::CrossEntropy, "cross_entropy ignore_index, weights, smoothing, mean", {{4, 3}},
         [](V v) {
             return cross_entropy(v[0], Tensor::from({4}, {2, 1, -100, 0}),
                                  CrossEntropyOptions(Tensor::from({3}, {0.5f, 2.0f, 1.0f}), 0.1f));
         }},
        {Op::CrossEntropy, "cross_entropy integer labels, ignore_index 1, sum", {{4, 3}},
         [](V v) { return cross_entropy(v[0], std::vector<int64_t>{0, 1, 2, 1}, CrossEntropyOptions({}, 0, Reduction::Sum, 1)); }},
    };
}

}  // namespace iotgrad::testing
