#include "layers/loss.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "tensor/elementwise.hpp"

namespace iotgrad::nn {

const char* reduction_name(Reduction reduction) {
    switch (reduction) {
        case Reduction::Mean: return "mean";
        case Reduction::Sum: return "sum";
        case Reduction::None: return "none";
    }
    return "?";
}

namespace {
Variable reduce(const Variable& per_element, Reduction reduction) {
    switch (reduction) {
        case Reduction::Mean: return mean(per_element);
        case Reduction::Sum: return sum(per_element);
        case Reduction::None: return per_element;
    }
    throw std::invalid_argument("loss: unknown reduction");
}

void check_same_shape(const char* op, const Variable& input, const Variable& target) {
    if (input.shape() != target.shape())
        throw ShapeError(std::string(op) + ": input " + shape_str(input.shape()) + " and target " +
                         shape_str(target.shape()) + " must have the same shape");
}

/// The class weights as a vector of C values (all 1 when undefined).
std::vector<float> class_weights(const Tensor& weight, int64_t classes) {
    if (!weight.defined()) return std::vector<float>(static_cast<size_t>(classes), 1.0f);
    if (weight.shape() != Shape{classes})
        throw ShapeError("cross_entropy: class weights " + shape_str(weight.shape()) + " must be [C] = [" +
                         std::to_string(classes) + "]");
    return weight.to_vector();
}

/// Checks and converts class-index targets [N] with values in [0, C).
std::vector<int64_t> class_targets(const Tensor& targets, int64_t n, int64_t classes) {
    std::vector<int64_t> out;
    out.reserve(static_cast<size_t>(n));
    for (float v : targets.to_vector()) {
        if (!(v >= 0 && v < static_cast<float>(classes) && v == std::floor(v))) {
            std::ostringstream os;
            os << "cross_entropy: target " << v << " is not a class index in [0, " << classes << ")";
            throw std::invalid_argument(os.str());
        }
        out.push_back(static_cast<int64_t>(v));
    }
    return out;
}
}  // namespace

// Every variant is -sum_c A[n, c] log p[n, c] for a constant coefficient matrix A
// (the smoothed, weighted target), which is exactly what the fused soft-target op
// computes, with gradient p * sum_c A[n, c] - A[n, c]. Only the divisor of Mean differs.
Variable cross_entropy(const Variable& logits, const Tensor& targets, const CrossEntropyOptions& options) {
    if (logits.dim() != 2) throw ShapeError("cross_entropy: logits must be [N, C], got " + shape_str(logits.shape()));
    const float eps = options.label_smoothing;
    if (!(eps >= 0.0f && eps <= 1.0f))
        throw std::invalid_argument("cross_entropy: label_smoothing must be in [0, 1], got " + std::to_string(eps));
    const int64_t n = logits.size(0), c = logits.size(1);
    const bool indices = targets.shape() == Shape{n};
    if (!indices && targets.shape() != logits.shape())
        throw ShapeError("cross_entropy: targets " + shape_str(targets.shape()) +
                         " must be class indices [N] or probabilities [N, C] for logits " +
                         shape_str(logits.shape()));
    // The plain case is equation 2 itself: the fused op, unchanged.
    if (indices && !options.weight.defined() && eps == 0.0f)
        return iotgrad::cross_entropy(logits, targets, options.reduction);

    const std::vector<float> w = class_weights(options.weight, c);
    Tensor a = Tensor::empty({n, c});
    float* ap = a.data();
    double divisor = static_cast<double>(n);
    if (indices) {
        const std::vector<int64_t> t = class_targets(targets, n, c);
        divisor = 0;
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t j = 0; j < c; ++j) ap[i * c + j] = eps / static_cast<float>(c) * w[j];
            ap[i * c + t[i]] += (1.0f - eps) * w[t[i]];
            divisor += w[t[i]];  // PyTorch's weighted mean: divide by the weights of the targets
        }
    } else {
        const Tensor tc = targets.contiguous();
        const float* tp = tc.data();
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < c; ++j)
                ap[i * c + j] = w[j] * ((1.0f - eps) * tp[i * c + j] + eps / static_cast<float>(c));
    }
    if (options.reduction != Reduction::Mean) return cross_entropy_soft(logits, a, options.reduction);
    return cross_entropy_soft(logits, a, Reduction::Sum) / static_cast<float>(divisor);
}

Variable mse_loss(const Variable& input, const Variable& target, Reduction reduction) {
    check_same_shape("mse_loss", input, target);
    const Variable d = input - target;
    return reduce(d * d, reduction);
}

Variable l1_loss(const Variable& input, const Variable& target, Reduction reduction) {
    check_same_shape("l1_loss", input, target);
    return reduce(abs(input - target), reduction);
}

Variable binary_cross_entropy_with_logits(const Variable& logits, const Variable& target, Reduction reduction,
                                          const Tensor& pos_weight) {
    check_same_shape("binary_cross_entropy_with_logits", logits, target);
    // softplus(-z) = -log sigma(z) and (1 - y) z + softplus(-z) = -log(1 - sigma(z)) (1 - y) - y log sigma(z).
    Variable log_weight = softplus(-logits);
    if (pos_weight.defined()) {
        if (broadcast_shapes(pos_weight.shape(), logits.shape(), "binary_cross_entropy_with_logits") != logits.shape())
            throw ShapeError("binary_cross_entropy_with_logits: pos_weight " + shape_str(pos_weight.shape()) +
                             " does not broadcast to logits " + shape_str(logits.shape()));
        // 1 + (p - 1) y: the positive term's weight p, the negative's 1.
        log_weight = log_weight * (1.0f + Variable(tensor::add(pos_weight, -1.0f)) * target);
    }
    return reduce((1.0f - target) * logits + log_weight, reduction);
}

Variable mse_loss(const Variable& input, const Tensor& target, Reduction reduction) {
    return mse_loss(input, Variable(target), reduction);
}
Variable l1_loss(const Variable& input, const Tensor& target, Reduction reduction) {
    return l1_loss(input, Variable(target), reduction);
}
Variable binary_cross_entropy_with_logits(const Variable& logits, const Tensor& target, Reduction reduction,
                                          const Tensor& pos_weight) {
    return binary_cross_entropy_with_logits(logits, Variable(target), reduction, pos_weight);
}

std::string CrossEntropyLoss::extra_repr() const {
    std::ostringstream os;
    os << "reduction=" << reduction_name(options.reduction);
    if (options.label_smoothing != 0.0f) os << ", label_smoothing=" << options.label_smoothing;
    if (options.weight.defined()) os << ", weight=" << shape_str(options.weight.shape());
    return os.str();
}

std::string BCEWithLogitsLoss::extra_repr() const {
    std::string s = std::string("reduction=") + reduction_name(reduction);
    if (pos_weight.defined()) s += ", pos_weight=" + shape_str(pos_weight.shape());
    return s;
}

}  // namespace iotgrad::nn
