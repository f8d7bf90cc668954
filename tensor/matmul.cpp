#include "tensor/matmul.hpp"

#include <string>

#include "tensor/gemm.hpp"

namespace iotgrad::tensor {

namespace {
/// How GEMM reads the last two dimensions of a tensor: row-major with leading
/// dimension ld, or stored transposed. Anything else is copied first.
struct MatrixView {
    Tensor t;  // keeps the storage alive; possibly a contiguous copy
    bool trans = false;
    int64_t ld = 0;
};

MatrixView as_matrix(const Tensor& x) {
    const int64_t r = x.dim();
    const int64_t rows = x.shape()[r - 2], cols = x.shape()[r - 1];
    const int64_t sr = x.strides()[r - 2], sc = x.strides()[r - 1];
    if (sc == 1 && (sr >= cols || rows == 1)) return {x, false, rows == 1 ? cols : sr};
    if (sr == 1 && (sc >= rows || cols == 1)) return {x, true, cols == 1 ? rows : sc};
    Tensor c = x.contiguous();
    return {c, false, cols};
}

/// Removes the dimensions that 1-d operands were given.
Tensor finish(Tensor out, bool a_vec, bool b_vec) {
    if (a_vec) out = out.squeeze(-2);
    if (b_vec) out = out.squeeze(-1);
    return out;
}
}  // namespace

Tensor matmul(const Tensor& a_in, const Tensor& b_in) {
    if (!a_in.defined() || !b_in.defined())
        throw std::invalid_argument("matmul: an operand is undefined (default-constructed)");
    if (a_in.dim() == 0 || b_in.dim() == 0)
        throw ShapeError("matmul: both operands need at least one dimension, got " + shape_str(a_in.shape()) +
                         " and " + shape_str(b_in.shape()));
    const bool a_vec = a_in.dim() == 1, b_vec = b_in.dim() == 1;
    const Tensor a = a_vec ? a_in.unsqueeze(0) : a_in;
    const Tensor b = b_vec ? b_in.unsqueeze(1) : b_in;
    const int64_t m = a.size(-2), k = a.size(-1), kb = b.size(-2), n = b.size(-1);
    if (k != kb)
        throw ShapeError("matmul: shapes " + shape_str(a_in.shape()) + " and " + shape_str(b_in.shape()) +
                         " do not align (" + std::to_string(k) + " != " + std::to_string(kb) + ")");

    // Broadcast the batch dimensions (everything but the last two).
    const Shape batch_a(a.shape().begin(), a.shape().end() - 2), batch_b(b.shape().begin(), b.shape().end() - 2);
    Shape batch;
    try {
        batch = broadcast_shapes(batch_a, batch_b, "matmul");
    } catch (const ShapeError&) {
        // Name the operands the caller passed, not just their batch parts.
        throw ShapeError("matmul: batch dimensions " + shape_str(batch_a) + " and " + shape_str(batch_b) +
                         " of shapes " + shape_str(a_in.shape()) + " and " + shape_str(b_in.shape()) +
                         " do not broadcast");
    }
    Shape full_a = batch, full_b = batch, out_shape = batch;
    full_a.insert(full_a.end(), {m, k});
    full_b.insert(full_b.end(), {k, n});
    out_shape.insert(out_shape.end(), {m, n});
    Tensor out = Tensor::zeros(out_shape);
    // Nothing to compute: an empty result, or k == 0 where every sum is empty
    // and the zeros above are the answer. (Skipping also keeps pointer
    // arithmetic off the storage of empty operands.)
    if (out.numel() == 0 || k == 0) return finish(out, a_vec, b_vec);
    const MatrixView va = as_matrix(a.expand(full_a)), vb = as_matrix(b.expand(full_b));

    const int64_t nbatch = numel_of(batch);
    const int64_t rb = static_cast<int64_t>(batch.size());
    Shape idx(rb, 0);
    for (int64_t i = 0; i < nbatch; ++i) {
        int64_t oa = 0, ob = 0;
        for (int64_t d = 0; d < rb; ++d) oa += idx[d] * va.t.strides()[d], ob += idx[d] * vb.t.strides()[d];
        GemmArgs g;
        g.trans_a = va.trans, g.trans_b = vb.trans;
        g.m = m, g.n = n, g.k = k;
        g.a = va.t.data() + oa, g.lda = va.ld;
        g.b = vb.t.data() + ob, g.ldb = vb.ld;
        g.c = out.data() + i * m * n, g.ldc = n;
        gemm(g);
        for (int64_t d = rb - 1; d >= 0; --d) {
            if (++idx[d] < batch[d]) break;
            idx[d] = 0;
        }
    }
    return finish(out, a_vec, b_vec);
}

}  // namespace iotgrad::tensor
