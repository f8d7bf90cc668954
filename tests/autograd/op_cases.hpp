// The gradcheck table: one or more cases per differentiable op. Each family's
// cases live in its own cases_*.cpp file; test_op_table.cpp walks them all and
// fails if any Op in autograd/op_table.hpp has no case, or if a case's graph
// does not actually contain the op it claims to check.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"

namespace iotgrad::testing {

struct OpCase {
    Op op;                                    ///< the op this case checks
    std::string label;                        ///< e.g. "add broadcast [2,3] + [3]"
    std::vector<Shape> shapes;                ///< one shape per input
    std::function<Variable(const std::vector<Variable>&)> f;
    /// Makes input i's value; default: randn. Use it for ops with a restricted
    /// domain (log, sqrt need positive inputs; max needs no ties).
    std::function<Tensor(size_t i, const Shape&, Generator&)> init = nullptr;
    GradcheckOptions options = {};
};

// One function per family; each returns that family's cases.
std::vector<OpCase> arith_cases();       // cases_arith.cpp
std::vector<OpCase> math_cases();        // cases_math.cpp
std::vector<OpCase> shape_cases();       // cases_shape.cpp
std::vector<OpCase> reduce_cases();      // cases_reduce.cpp
std::vector<OpCase> activation_cases();  // cases_activation.cpp
std::vector<OpCase> softmax_cases();     // cases_softmax.cpp
std::vector<OpCase> conv_cases();        // cases_conv.cpp
std::vector<OpCase> pool_cases();        // cases_pool.cpp
std::vector<OpCase> fused_cases();       // cases_fused.cpp

}  // namespace iotgrad::testing
