/// \file
/// The matrix product and its two gradients.
#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/matmul.hpp"

namespace iotgrad {

/// \f$ Y = A B \f$; \f$ \partial L/\partial A = G B^\top,\ \partial L/\partial B = A^\top G \f$,
/// with batch dimensions that were broadcast summed back (sum_to). 1-d operands
/// are promoted to matrices for the backward exactly as in the forward.
Variable matmul(const Variable& a, const Variable& b) {
    return make_result(
        Op::Matmul, tensor::matmul(a.value(), b.value()), {a, b},
        [va = a.value(), vb = b.value()](const Tensor& g_in, const std::vector<bool>& needs) {
            const Tensor A = va.dim() == 1 ? va.unsqueeze(0) : va;
            const Tensor B = vb.dim() == 1 ? vb.unsqueeze(1) : vb;
            // Put back the size-1 dimensions the forward removed.
            Shape gs = g_in.shape();
            if (va.dim() == 1) gs.insert(gs.end() - (vb.dim() == 1 ? 0 : 1), 1);
            if (vb.dim() == 1) gs.push_back(1);
            const Tensor g = g_in.reshape(gs);
            Tensor ga, gb;
            // .t() is a view: GEMM reads it transposed, no copy is made.
            if (needs[0]) ga = tensor::sum_to(tensor::matmul(g, B.t()), A.shape()).reshape(va.shape());
            if (needs[1]) gb = tensor::sum_to(tensor::matmul(A.t(), g), B.shape()).reshape(vb.shape());
            return Grads{ga, gb};
        });
}

}  // namespace iotgrad
