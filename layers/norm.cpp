#include "layers/norm.hpp"

#include <sstream>
#include <stdexcept>

#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"

namespace iotgrad::nn {

BatchNorm1d::BatchNorm1d(int64_t features, float eps_, float momentum_)
    : weight(Tensor::ones({features})),
      bias(Tensor::zeros({features})),
      running_mean(Tensor::zeros({features})),
      running_var(Tensor::ones({features})),
      num_batches_tracked(Tensor::scalar(0.0f)),
      num_features(features),
      eps(eps_),
      momentum(momentum_) {
    if (features < 1)
        throw std::invalid_argument("BatchNorm1d: num_features must be >= 1, got " + std::to_string(features));
    if (!(eps_ > 0.0f)) throw std::invalid_argument("BatchNorm1d: eps must be > 0");
    if (!(momentum_ >= 0.0f && momentum_ <= 1.0f))
        throw std::invalid_argument("BatchNorm1d: momentum must be in [0, 1], got " + std::to_string(momentum_));
    register_parameter("weight", weight);
    register_parameter("bias", bias);
    register_buffer("running_mean", running_mean);
    register_buffer("running_var", running_var);
    register_buffer("num_batches_tracked", num_batches_tracked, /*integer=*/true);  // int64 in PyTorch
}

Variable BatchNorm1d::forward(const Variable& x) {
    if ((x.dim() != 2 && x.dim() != 3) || x.size(1) != num_features)
        throw ShapeError("BatchNorm1d(" + std::to_string(num_features) + "): expected input [N, " +
                         std::to_string(num_features) + "] or [N, " + std::to_string(num_features) + ", L], got " +
                         shape_str(x.shape()));
    // Per-channel vectors broadcast against [N, C] as [C] and against [N, C, L] as [C, 1].
    const Shape channel_shape = x.dim() == 2 ? Shape{num_features} : Shape{num_features, 1};
    const std::vector<int64_t> axes = x.dim() == 2 ? std::vector<int64_t>{0} : std::vector<int64_t>{0, 2};
    const Variable gamma = reshape(weight, channel_shape), beta = reshape(bias, channel_shape);

    if (!is_training()) {
        const Variable mu(running_mean.reshape(channel_shape)), var(running_var.reshape(channel_shape));
        return (x - mu) / sqrt(var + eps) * gamma + beta;
    }

    const int64_t m = x.numel() / num_features;
    if (m < 2)
        throw ShapeError("BatchNorm1d: training needs more than one value per channel, got input " +
                         shape_str(x.shape()));
    const Variable mu = mean(x, axes, /*keepdim=*/true);
    const Variable centered = x - mu;  // mu is [1, C] or [1, C, 1]: broadcasts
    const Variable var = mean(centered * centered, axes, /*keepdim=*/true);  // biased: divides by m
    const Variable x_hat = centered / sqrt(var + eps);

    // Running statistics are plain numbers: updated in place, outside the graph.
    const Tensor batch_mean = mu.value().reshape({num_features});
    const Tensor unbiased_var = tensor::mul(var.value().reshape({num_features}), static_cast<float>(m) / (m - 1));
    running_mean.copy_(tensor::add(tensor::mul(running_mean, 1.0f - momentum), tensor::mul(batch_mean, momentum)));
    running_var.copy_(tensor::add(tensor::mul(running_var, 1.0f - momentum), tensor::mul(unbiased_var, momentum)));
    num_batches_tracked.fill_(num_batches_tracked.item() + 1.0f);
    return x_hat * gamma + beta;
}

std::string BatchNorm1d::extra_repr() const {
    std::ostringstream os;
    os << num_features << ", eps=" << eps << ", momentum=" << momentum;
    return os.str();
}

LayerNorm::LayerNorm(Shape shape, float eps_)
    : weight(Tensor::ones(shape)), bias(Tensor::zeros(shape)), normalized_shape(std::move(shape)), eps(eps_) {
    if (normalized_shape.empty()) throw std::invalid_argument("LayerNorm: normalized_shape must not be empty");
    for (int64_t s : normalized_shape)
        if (s < 1) throw std::invalid_argument("LayerNorm: bad normalized_shape " + shape_str(normalized_shape));
    if (!(eps_ > 0.0f)) throw std::invalid_argument("LayerNorm: eps must be > 0");
    register_parameter("weight", weight);
    register_parameter("bias", bias);
}

Variable LayerNorm::forward(const Variable& x) {
    const int64_t k = static_cast<int64_t>(normalized_shape.size());
    bool ok = x.dim() >= k;
    for (int64_t i = 0; ok && i < k; ++i) ok = x.size(x.dim() - k + i) == normalized_shape[i];
    if (!ok)
        throw ShapeError("LayerNorm(" + shape_str(normalized_shape) + "): input " + shape_str(x.shape()) +
                         " does not end in " + shape_str(normalized_shape));
    // One fused node (autograd/ops_layer_norm.cpp) computing
    //   centered = x - mean(x), var = mean(centered^2),
    //   centered / sqrt(var + eps) * weight + bias
    // over the trailing dimensions; tests/autograd/test_fused_ops.cpp checks it
    // against exactly that composition of elementary ops.
    return layer_norm(x, weight, bias, eps);
}

std::string LayerNorm::extra_repr() const {
    std::ostringstream os;
    os << shape_str(normalized_shape) << ", eps=" << eps;
    return os.str();
}

}  // namespace iotgrad::nn
