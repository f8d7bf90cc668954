#include "layers/linear.hpp"

#include "autograd/ops.hpp"
#include "layers/init.hpp"

namespace iotgrad::nn {

Linear::Linear(int64_t in_features, int64_t out_features, Generator& gen)
    : Linear(LinearOptions(in_features, out_features), gen) {}

Linear::Linear(const LinearOptions& options, Generator& gen)
    : in_(options.in_features()), out_(options.out_features()) {
    const int64_t in_features = in_, out_features = out_;
    const bool has_bias = options.bias();
    if (in_features < 1 || out_features < 1)
        throw std::invalid_argument("Linear: in_features and out_features must be >= 1, got " +
                                    std::to_string(in_features) + " and " + std::to_string(out_features));
    Tensor w = Tensor::empty({out_features, in_features});
    Tensor b = has_bias ? Tensor::empty({out_features}) : Tensor();
    init::default_linear_init(w, has_bias ? &b : nullptr, gen);
    weight = Variable(w);
    register_parameter("weight", weight);
    if (has_bias) {
        bias = Variable(b);
        register_parameter("bias", bias);
    }
}

Variable Linear::forward(const Variable& x) {
    if (x.dim() < 1 || x.size(-1) != in_)
        throw ShapeError("Linear(" + extra_repr() + "): input " + shape_str(x.shape()) +
                         " must end in in_features = " + std::to_string(in_));
    // One fused node (autograd/ops_linear.cpp): the same value as
    // matmul(x, transpose(weight, 0, 1)) + bias, which the tests compare it to.
    return linear(x, weight, bias);
}

std::string Linear::extra_repr() const {
    return std::to_string(in_) + ", " + std::to_string(out_) + (bias.defined() ? "" : ", bias=false");
}

Variable Flatten::forward(const Variable& x) { return flatten(x, start_dim_); }

}  // namespace iotgrad::nn
