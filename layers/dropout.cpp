#include "layers/dropout.hpp"

#include <sstream>
#include <stdexcept>

#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"

namespace iotgrad::nn {

namespace {
float checked_p(float p) {
    if (!(p >= 0.0f && p <= 1.0f))
        throw std::invalid_argument("Dropout: p must be in [0, 1], got " + std::to_string(p));
    return p;
}
}  // namespace

Dropout::Dropout(float p, Generator& gen) : p_(checked_p(p)), gen_(gen.split()) {}

Dropout::Dropout(float p, uint64_t seed) : p_(checked_p(p)), gen_(seed) {}

Variable Dropout::forward(const Variable& x) {
    if (!is_training() || p_ == 0.0f) return x;
    // p = 1 drops everything (1/(1-p) would be infinite; PyTorch returns zeros too).
    const float scale = p_ < 1.0f ? 1.0f / (1.0f - p_) : 0.0f;
    // The mask is a constant: dL/dx = m / (1 - p) * g, through the ordinary product.
    const Tensor mask = tensor::mul(Tensor::bernoulli(x.shape(), 1.0f - p_, gen_), scale);
    return x * Variable(mask);
}

std::string Dropout::extra_repr() const {
    std::ostringstream os;
    os << "p=" << p_;
    return os.str();
}

}  // namespace iotgrad::nn
