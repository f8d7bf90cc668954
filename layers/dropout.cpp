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

Tensor dropout_mask(const Shape& shape, float p, Generator& gen) {
    // p = 1 drops everything (1/(1-p) would be infinite; PyTorch returns zeros too).
    const float scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
    return tensor::mul(Tensor::bernoulli(shape, 1.0f - p, gen), scale);
}

Dropout::Dropout(float p, Generator& gen) : p_(checked_p(p)), gen_(gen.split()) {}

Dropout::Dropout(float p, uint64_t seed) : p_(checked_p(p)), gen_(seed) {}

Variable Dropout::forward(const Variable& x) {
    if (!is_training() || p_ == 0.0f) return x;
    // The mask is a constant: dL/dx = m / (1 - p) * g, through the ordinary product.
    return x * Variable(dropout_mask(x.shape(), p_, gen_));
}

std::string Dropout::extra_repr() const {
    std::ostringstream os;
    os << "p=" << p_;
    return os.str();
}

}  // namespace iotgrad::nn
