// Walks the gradcheck table: every differentiable op must be checked against
// finite differences, on ordinary, broadcast and edge shapes.
#include <set>

#include "catch_compat.hpp"
#include "op_cases.hpp"

using namespace iotgrad;
using namespace iotgrad::testing;

namespace {
std::vector<OpCase> all_cases() {
    std::vector<OpCase> all;
    for (auto family : {arith_cases, math_cases, shape_cases, reduce_cases, activation_cases, softmax_cases, conv_cases, pool_cases, fused_cases}) {
        auto cases = family();
        all.insert(all.end(), cases.begin(), cases.end());
    }
    return all;
}

// The ops that occur in the graph behind v.
std::set<Op> ops_in_graph(const Variable& v) {
    std::set<Op> ops;
    std::vector<const Node*> stack;
    std::set<const Node*> seen;
    if (v.grad_fn()) stack.push_back(v.grad_fn().get());
    while (!stack.empty()) {
        const Node* n = stack.back();
        stack.pop_back();
        if (!seen.insert(n).second) continue;
        ops.insert(n->op);
        for (const Variable& in : n->inputs)
            if (in.grad_fn()) stack.push_back(in.grad_fn().get());
    }
    return ops;
}
}  // namespace

TEST_CASE("every op in the table has a gradcheck case", "[autograd][gradcheck]") {
    std::set<Op> covered;
    for (const OpCase& c : all_cases()) covered.insert(c.op);
    for (int i = 0; i < static_cast<int>(Op::Count); ++i) {
        INFO("op '" << kOpNames[i] << "' has no case in tests/autograd/cases_*.cpp");
        CHECK(covered.count(static_cast<Op>(i)) == 1);
    }
}

TEST_CASE("every op's backward matches central finite differences", "[autograd][gradcheck]") {
    uint64_t seed = 100;
    for (const OpCase& c : all_cases()) {
        Generator gen(seed++);
        std::vector<Variable> inputs;
        for (size_t i = 0; i < c.shapes.size(); ++i)
            inputs.emplace_back(c.init ? c.init(i, c.shapes[i], gen) : Tensor::randn(c.shapes[i], gen), true);
        INFO("case: " << c.label << " (op '" << op_name(c.op) << "')");
        const Variable probe = c.f(inputs);
        CHECK(ops_in_graph(probe).count(c.op) == 1);
        const GradcheckResult r = gradcheck(c.f, inputs, c.options);
        INFO(r.message);
        CHECK(r.ok);
    }
}
