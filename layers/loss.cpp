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

}  // namespace

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
    if (options.ignore_index != -100) os << ", ignore_index=" << options.ignore_index;
    return os.str();
}

std::string BCEWithLogitsLoss::extra_repr() const {
    std::string s = std::string("reduction=") + reduction_name(reduction);
    if (pos_weight.defined()) s += ", pos_weight=" + shape_str(pos_weight.shape());
    return s;
}

}  // namespace iotgrad::nn
