// Helpers for the layer tests: gradient checks through a module's parameters
// and its input, and small tensor comparisons.
#pragma once
#include <cmath>
#include <functional>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "catch_compat.hpp"
#include "layers/module.hpp"

namespace iotgrad::testing {

/// Checks d(module(x))/dx and d(module(x))/dθ for every parameter θ against
/// finite differences (the parameters are perturbed in place through their shared storage).
inline GradcheckResult check_module(nn::Module& m, const Tensor& x, const GradcheckOptions& options = {}) {
    std::vector<Variable> inputs{Variable(x.clone(), true)};
    for (const Variable& p : m.parameters()) inputs.push_back(p);
    return gradcheck([&m](const std::vector<Variable>& v) { return m(v[0]); }, inputs, options);
}

/// Element-by-element comparison with a readable failure (shape, then each value).
inline void check_values(const Tensor& actual, const Shape& shape, const std::vector<float>& expected,
                         float tolerance = 1e-5f) {
    REQUIRE(shape_str(actual.shape()) == shape_str(shape));
    const std::vector<float> a = actual.to_vector();
    REQUIRE(a.size() == expected.size());
    for (size_t i = 0; i < a.size(); ++i) {
        INFO("element " << i);
        CHECK(a[i] == Approx(expected[i]).margin(tolerance));
    }
}

}  // namespace iotgrad::testing
