/// \file
/// Reductions over one or several axes, with keepdim like PyTorch.
#pragma once
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::tensor {

/// Sum of all elements, as a rank-0 tensor.
Tensor sum(const Tensor& a);
/// Sum over `axes` (negative counts from the end; empty means all axes).
Tensor sum(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim = false);
Tensor mean(const Tensor& a);
Tensor mean(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim = false);
/// Largest / smallest element over `axes`; throws on a zero-size reduction.
Tensor max(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim = false);
Tensor min(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim = false);
Tensor max(const Tensor& a);
Tensor min(const Tensor& a);
/// Index (as float) of the first largest element along one axis.
Tensor argmax(const Tensor& a, int64_t axis, bool keepdim = false);
/// Variance over `axes`; unbiased divides by n-1 (PyTorch's default), else n.
Tensor var(const Tensor& a, const std::vector<int64_t>& axes, bool unbiased = true, bool keepdim = false);

/// The result shape of reducing `shape` over `axes` (normalized, sorted, unique).
Shape reduced_shape(const Shape& shape, const std::vector<int64_t>& axes, bool keepdim);

}  // namespace iotgrad::tensor
