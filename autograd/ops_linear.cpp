/// \file
/// The affine map of a Linear layer as one op,
/// \f$ y = x W^\top + b \f$ for x of shape [..., in], W [out, in], b [out].
/// The same value as matmul(x, transpose(W)) + b, but with every leading
/// dimension of x folded into the rows of one GEMM, and a backward that is
/// three products with no transposed copy and no broadcast reduction:
/// \f$ \partial L/\partial x = G W \f$,
/// \f$ \partial L/\partial W = G^\top X \f$ (the sum over all rows is the GEMM's k loop),
/// \f$ \partial L/\partial b = \sum_{\text{rows}} G \f$.
#include <string>

#include "autograd/ops.hpp"
#include "tensor/gemm.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad {

namespace {
/// C[m, n] = op(A) op(B) (+ C when accumulate), all row-major and contiguous.
void gemm_rm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c,
             bool accumulate) {
    if (m == 0 || n == 0) return;
    tensor::GemmArgs g;
    g.trans_a = ta, g.trans_b = tb;
    g.m = m, g.n = n, g.k = k;
    g.a = a, g.lda = ta ? m : k;
    g.b = b, g.ldb = tb ? k : n;
    g.beta = accumulate ? 1.0f : 0.0f;
    g.c = c, g.ldc = n;
    tensor::gemm(g);
}
}  // namespace

Variable linear(const Variable& x, const Variable& w, const Variable& b) {
    if (!x.defined() || !w.defined()) throw std::invalid_argument("linear: x and weight must be defined");
    if (w.dim() != 2 || x.dim() < 1 || x.size(-1) != w.size(1))
        throw ShapeError("linear: input " + shape_str(x.shape()) + " and weight " + shape_str(w.shape()) +
                         " do not fit: need x [..., in] and weight [out, in]");
    const int64_t in = w.size(1), out = w.size(0);
    if (b.defined() && b.shape() != Shape{out})
        throw ShapeError("linear: bias " + shape_str(b.shape()) + " must be [" + std::to_string(out) + "]");
    const Tensor xc = x.value().contiguous(), wc = w.value().contiguous();
    const int64_t rows = in > 0 ? xc.numel() / in : 0;
    Shape ys = x.shape();
    ys.back() = out;
    Tensor y = Tensor::empty(ys);
    if (b.defined()) {
        // Start every row at b, then accumulate x W^T onto it (beta = 1).
        const Tensor bc = b.value().contiguous();
        float* yp = y.data();
        const float* bp = bc.data();
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t o = 0; o < out; ++o) yp[r * out + o] = bp[o];
    }
    if (in > 0) gemm_rm(false, true, rows, out, in, xc.data(), wc.data(), y.data(), b.defined());
    std::vector<Variable> inputs{x, w};
    if (b.defined()) inputs.push_back(b);
    return make_result(Op::Linear, y, std::move(inputs),
                       [xc, wc, rows, in, out, xs = x.shape()](const Tensor& g_in, const std::vector<bool>& needs) {
                           const Tensor g = g_in.contiguous();
                           Grads grads(needs.size());
                           if (needs[0]) {
                               Tensor gx = Tensor::empty(xs);
                               gemm_rm(false, false, rows, in, out, g.data(), wc.data(), gx.data(), false);
                               grads[0] = gx;
                           }
                           if (needs[1]) {
                               Tensor gw = Tensor::empty({out, in});
                               gemm_rm(true, false, out, in, rows, g.data(), xc.data(), gw.data(), false);
                               grads[1] = gw;
                           }
                           if (needs.size() > 2 && needs[2]) {
                               Tensor gb = Tensor::zeros({out});
                               float* bp = gb.data();
                               const float* gp = g.data();
                               for (int64_t r = 0; r < rows; ++r)
                                   for (int64_t o = 0; o < out; ++o) bp[o] += gp[r * out + o];
                               grads[2] = gb;
                           }
                           return grads;
                       });
}

}  // namespace iotgrad
