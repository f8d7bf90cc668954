// Gradcheck cases for the fused ops that layers use on their hot paths
// (linear, lstm_layer, attention): each is also compared with the plain
// composition of elementary ops in tests/autograd/test_fused_ops.cpp.
#include "op_cases.hpp"

namespace iotgrad::testing {

std::vector<OpCase> fused_cases() {
    using V = const std::vector<Variable>&;
    return {
        {Op::Linear, "linear [3,4] -> 2 with bias", {{3, 4}, {2, 4}, {2}},
         [](V v) { return linear(v[0], v[1], v[2]); }},
        {Op::Linear, "linear batched [2,3,4] -> 5, no bias", {{2, 3, 4}, {5, 4}},
         [](V v) { return linear(v[0], v[1]); }},
        // x [T=3, N=2, C=3], h0, c0 [2, 2], w_ih [8, 3], w_hh [8, 2], b_ih, b_hh [8].
        {Op::LstmLayer, "lstm_layer T=3 N=2 C=3 H=2 with biases", {{3, 2, 3}, {2, 2}, {2, 2}, {8, 3}, {8, 2}, {8}, {8}},
         [](V v) { return lstm_layer(v[0], v[1], v[2], v[3], v[4], v[5], v[6]); }},
        {Op::LstmLayer, "lstm_layer T=2 N=1 C=2 H=3 no bias", {{2, 1, 2}, {1, 3}, {1, 3}, {12, 2}, {12, 3}},
         [](V v) { return lstm_layer(v[0], v[1], v[2], v[3], v[4]); }},
        {Op::Attention, "attention [2,3,2] x [2,4,2] x [2,4,3]", {{2, 3, 2}, {2, 4, 2}, {2, 4, 3}},
         [](V v) { return attention(v[0], v[1], v[2], 0.7f); }},
        {Op::LayerNorm, "layer_norm [2,3,4] over the last dimension", {{2, 3, 4}, {4}, {4}},
         [](V v) { return layer_norm(v[0], v[1], v[2]); }},
    };
}

}  // namespace iotgrad::testing
