/// \file
/// Matrix product with torch.matmul's rules: 1-d, 2-d, and batched n-d
/// operands whose batch dimensions broadcast.
#pragma once
#include "tensor/tensor.hpp"

namespace iotgrad::tensor {

/// - 1-d · 1-d: dot product (rank 0).
/// - 2-d · 2-d: matrix product.
/// - 1-d first operand: treated as a row [1, K], the 1 removed afterwards;
///   1-d second operand: a column [K, 1], the 1 removed afterwards.
/// - rank > 2: batches of matrices; batch dimensions broadcast.
/// Throws ShapeError like `matmul: shapes [3, 4] and [5, 2] do not align (4 != 5)`.
/// Transposed views (e.g. `b.t()`) are passed to GEMM as flags, not copied.
Tensor matmul(const Tensor& a, const Tensor& b);

}  // namespace iotgrad::tensor
