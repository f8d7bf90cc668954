// Gradcheck cases for the activations of equation 5, a = f(z): ordinary
// shapes, rank-0, and inputs far into the tails where a naive formula would
// overflow. ReLU and leaky ReLU get values away from their kink at 0.
#include "op_cases.hpp"

namespace iotgrad::testing {

namespace {
// Distinct values (k - n/2) * 0.1 + 0.05 in shuffled order: never within 0.05 of 0.
Tensor off_kink(size_t, const Shape& s, Generator& g) {
    const int64_t n = numel_of(s);
    std::vector<float> v(n);
    for (int64_t k = 0; k < n; ++k) v[k] = static_cast<float>(k - n / 2) * 0.1f + 0.05f;
    for (int64_t k = n - 1; k > 0; --k) std::swap(v[k], v[g.below(k + 1)]);
    return Tensor::from(s, v);
}
// Both tails and the middle.
Tensor wide(size_t, const Shape& s, Generator&) {
    return Tensor::from(s, {-30.0f, -6.0f, -1.0f, 0.0f, 1.5f, 6.0f, 30.0f});
}
Tensor scaled(size_t, const Shape& s, Generator& g) { return Tensor::randn(s, g, 0.0f, 3.0f); }
}  // namespace

std::vector<OpCase> activation_cases() {
    using V = const std::vector<Variable>&;
    // clang-format off
    return {
        {Op::Relu, "relu [3,4] (off the kink)", {{3, 4}}, [](V v) { return relu(v[0]); }, off_kink},
        {Op::Relu, "relu rank-0", {{}}, [](V v) { return relu(v[0]); }, off_kink},
        {Op::LeakyRelu, "leaky_relu slope 0.1 [3,4]", {{3, 4}}, [](V v) { return leaky_relu(v[0], 0.1f); }, off_kink},
        {Op::LeakyRelu, "leaky_relu default slope [1]", {{1}}, [](V v) { return leaky_relu(v[0]); }, off_kink},
        {Op::Sigmoid, "sigmoid [2,3]", {{2, 3}}, [](V v) { return sigmoid(v[0]); }, scaled},
        {Op::Sigmoid, "sigmoid tails [7]", {{7}}, [](V v) { return sigmoid(v[0]); }, wide},
        {Op::Sigmoid, "sigmoid rank-0", {{}}, [](V v) { return sigmoid(v[0]); }},
        {Op::Tanh, "tanh [2,3]", {{2, 3}}, [](V v) { return tanh(v[0]); }, scaled},
        {Op::Tanh, "tanh tails [7]", {{7}}, [](V v) { return tanh(v[0]); }, wide},
        {Op::Gelu, "gelu [2,3]", {{2, 3}}, [](V v) { return gelu(v[0]); }, scaled},
        {Op::Gelu, "gelu tails [7]", {{7}}, [](V v) { return gelu(v[0]); }, wide},
        {Op::Gelu, "gelu rank-0", {{}}, [](V v) { return gelu(v[0]); }},
        {Op::Gelu, "gelu tanh approximation [2,3]", {{2, 3}},
         [](V v) { return gelu(v[0], GeluApproximate::Tanh); }, scaled},
        {Op::Gelu, "gelu tanh approximation tails [7]", {{7}},
         [](V v) { return gelu(v[0], GeluApproximate::Tanh); }, wide},
        {Op::Softplus, "softplus [2,3]", {{2, 3}}, [](V v) { return softplus(v[0]); }, scaled},
        {Op::Softplus, "softplus tails [7]", {{7}}, [](V v) { return softplus(v[0]); }, wide},
    };
    // clang-format on
}

}  // namespace iotgrad::testing
