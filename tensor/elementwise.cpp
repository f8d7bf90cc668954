#include "tensor/elementwise.hpp"

#include <algorithm>
#include <cmath>

#include "tensor/reduce.hpp"

namespace iotgrad::tensor {

void require_defined(const Tensor& t, const char* op) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": an operand is undefined (default-constructed)");
}

Tensor add(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return x + y; }, "add"); }
Tensor sub(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return x - y; }, "sub"); }
Tensor mul(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return x * y; }, "mul"); }
Tensor div(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return x / y; }, "div"); }
Tensor maximum(const Tensor& a, const Tensor& b) {
    return zip(a, b, [](float x, float y) { return std::max(x, y); }, "maximum");
}
Tensor minimum(const Tensor& a, const Tensor& b) {
    return zip(a, b, [](float x, float y) { return std::min(x, y); }, "minimum");
}
Tensor pow(const Tensor& a, const Tensor& b) {
    return zip(a, b, [](float x, float y) { return std::pow(x, y); }, "pow");
}
Tensor add(const Tensor& a, float b) { return map(a, [b](float x) { return x + b; }, "add"); }
Tensor mul(const Tensor& a, float b) { return map(a, [b](float x) { return x * b; }, "mul"); }
Tensor pow(const Tensor& a, float p) {
    if (p == 2.0f) return map(a, [](float x) { return x * x; }, "pow");
    return map(a, [p](float x) { return std::pow(x, p); }, "pow");
}

Tensor neg(const Tensor& a) { return map(a, [](float x) { return -x; }, "neg"); }
Tensor exp(const Tensor& a) { return map(a, [](float x) { return std::exp(x); }, "exp"); }
Tensor log(const Tensor& a) { return map(a, [](float x) { return std::log(x); }, "log"); }
Tensor sqrt(const Tensor& a) { return map(a, [](float x) { return std::sqrt(x); }, "sqrt"); }
Tensor abs(const Tensor& a) { return map(a, [](float x) { return std::fabs(x); }, "abs"); }
Tensor tanh(const Tensor& a) { return map(a, [](float x) { return std::tanh(x); }, "tanh"); }
Tensor sigmoid(const Tensor& a) {
    // For z < 0 use e^z / (1 + e^z): e^z never overflows there.
    return map(
        a,
        [](float z) {
            if (z >= 0) return 1.0f / (1.0f + std::exp(-z));
            const float e = std::exp(z);
            return e / (1.0f + e);
        },
        "sigmoid");
}
Tensor relu(const Tensor& a) { return map(a, [](float x) { return x > 0 ? x : 0.0f; }, "relu"); }
Tensor clamp(const Tensor& a, float lo, float hi) {
    if (!(lo <= hi)) throw std::invalid_argument("clamp: need lo <= hi, got lo " + std::to_string(lo) + ", hi " + std::to_string(hi));
    return map(a, [lo, hi](float x) { return std::min(std::max(x, lo), hi); }, "clamp");
}

Tensor eq(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return float(x == y); }, "eq"); }
Tensor ne(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return float(x != y); }, "ne"); }
Tensor lt(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return float(x < y); }, "lt"); }
Tensor le(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return float(x <= y); }, "le"); }
Tensor gt(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return float(x > y); }, "gt"); }
Tensor ge(const Tensor& a, const Tensor& b) { return zip(a, b, [](float x, float y) { return float(x >= y); }, "ge"); }
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
    return zip3(cond, a, b, [](float c, float x, float y) { return c != 0.0f ? x : y; }, "where");
}

bool allclose(const Tensor& a, const Tensor& b, float rtol, float atol) {
    if (a.shape() != b.shape()) return false;
    const std::vector<float> x = a.to_vector(), y = b.to_vector();
    for (size_t i = 0; i < x.size(); ++i)
        if (!(std::fabs(x[i] - y[i]) <= atol + rtol * std::fabs(y[i]))) return false;
    return true;
}

Tensor sum_to(const Tensor& g, const Shape& shape) {
    require_defined(g, "sum_to");
    if (g.shape() == shape) return g;
    const int64_t lead = g.dim() - static_cast<int64_t>(shape.size());
    // shape must broadcast to g's shape: each of its sizes is 1 or matches.
    bool ok = lead >= 0;
    for (int64_t d = std::max<int64_t>(lead, 0); ok && d < g.dim(); ++d)
        ok = shape[d - lead] == 1 || shape[d - lead] == g.shape()[d];
    if (!ok) throw ShapeError("sum_to: cannot reduce " + shape_str(g.shape()) + " to " + shape_str(shape));
    std::vector<int64_t> axes;
    for (int64_t d = 0; d < g.dim(); ++d)
        if (d < lead || (shape[d - lead] == 1 && g.shape()[d] != 1)) axes.push_back(d);
    Tensor r = axes.empty() ? g : sum(g, axes, /*keepdim=*/true);
    return r.reshape(shape);
}

}  // namespace iotgrad::tensor
