/// \file
/// Gradient clipping, in place on the parameters' gradients (as
/// torch.nn.utils.clip_grad_norm_ / clip_grad_value_). Safe because the
/// autograd engine stores a fresh copy of every leaf gradient: nothing else
/// shares that memory. Parameters without a gradient are skipped.
#pragma once
#include <limits>
#include <vector>

#include "autograd/variable.hpp"

namespace iotgrad::optim {

/// Rescales all gradients together so that their joint p-norm is at most max_norm.
/// The total norm is the p-norm of every gradient element of every parameter,
/// as if concatenated into one vector:
/// \f[ \|g\|_p = \Big(\sum_k \sum_i |g_{k,i}|^p\Big)^{1/p}, \qquad
///     \|g\|_\infty = \max_{k,i} |g_{k,i}| \f]
/// then, with PyTorch's guard against division by zero,
/// \f[ c = \frac{\text{max\_norm}}{\|g\|_p + 10^{-6}}, \qquad g \leftarrow c\, g \ \text{ only if } c < 1. \f]
/// Returns the total norm before clipping (accumulated in double). A NaN or
/// infinite norm leaves the gradients as they are (c < 1 is false for NaN, and
/// c = 0 would wipe them out). Pass std::numeric_limits<double>::infinity()
/// as norm_type for the max norm. Throws std::invalid_argument for
/// max_norm < 0 or norm_type <= 0.
double clip_grad_norm(const std::vector<Variable>& params, double max_norm, double norm_type = 2.0);

/// Clamps every gradient element into [-clip, clip]. Throws
/// std::invalid_argument for clip < 0.
void clip_grad_value(const std::vector<Variable>& params, double clip);

}  // namespace iotgrad::optim
