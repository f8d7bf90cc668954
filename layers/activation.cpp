#include "layers/activation.hpp"

#include <sstream>

#include "autograd/ops.hpp"

namespace iotgrad::nn {

Variable ReLU::forward(const Variable& z) { return relu(z); }
Variable LeakyReLU::forward(const Variable& z) { return leaky_relu(z, negative_slope); }
Variable Sigmoid::forward(const Variable& z) { return sigmoid(z); }
Variable Tanh::forward(const Variable& z) { return tanh(z); }
Variable GELU::forward(const Variable& z) { return gelu(z, approximate); }
Variable Softplus::forward(const Variable& z) { return softplus(z); }
Variable Softmax::forward(const Variable& z) { return softmax(z, dim); }
Variable LogSoftmax::forward(const Variable& z) { return log_softmax(z, dim); }

std::string LeakyReLU::extra_repr() const {
    std::ostringstream os;
    os << "negative_slope=" << negative_slope;
    return os.str();
}

}  // namespace iotgrad::nn
