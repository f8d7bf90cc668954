/// \file
/// Scaled dot-product attention without mask or dropout as one node:
/// \f$ O = \mathrm{softmax}(s\,Q K^\top) V \f$ per batch entry (e.g. per
/// sample and head), with the row softmax stabilised by its maximum,
/// \f$ p_{ij} = e^{z_{ij} - \max_j z_{ij}} / \sum_j e^{z_{ij} - \max_j z_{ij}} \f$.
/// Each batch entry's score block (L x S floats, 64 KiB at 128 x 128) is
/// computed, normalised and used while it is in cache; entries run in
/// parallel. Backward, with \f$ G = \partial L/\partial O \f$:
/// \f$ \partial L/\partial V = P^\top G \f$, \f$ D = G V^\top \f$,
/// \f$ \partial L/\partial Z = P \odot (D - \mathrm{rowsum}(D \odot P)) \f$,
/// \f$ \partial L/\partial Q = s\,(\partial L/\partial Z) K \f$,
/// \f$ \partial L/\partial K = s\,(\partial L/\partial Z)^\top Q \f$.
/// Products with a narrow side (the head size d) are computed transposed, so
/// the GEMM's long side is the wide one.
#include <algorithm>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "tensor/fast_math.hpp"
#include "tensor/gemm.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad {

namespace {
void gemm_rm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
             const float* b, int64_t ldb, float* c, int64_t ldc) {
    tensor::GemmArgs g;
    g.trans_a = ta, g.trans_b = tb;
    g.m = m, g.n = n, g.k = k, g.alpha = alpha;
    g.a = a, g.lda = lda, g.b = b, g.ldb = ldb;
    g.c = c, g.ldc = ldc;
    tensor::gemm(g);
}

/// dst [cols, rows] = src [rows, cols]^T.
void transpose_into(const float* src, int64_t rows, int64_t cols, float* dst) {
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = src[r * cols + c];
}

/// Row-wise stable softmax in place over a [rows, n] block.
void softmax_rows(float* z, int64_t rows, int64_t n) {
    for (int64_t r = 0; r < rows; ++r) {
        float* row = z + r * n;
        const float mx = fastmath::max(row, n);
        for (int64_t j = 0; j < n; ++j) row[j] = fastmath::exp(row[j] - mx);
        const float inv = 1.0f / fastmath::sum(row, n);
        for (int64_t j = 0; j < n; ++j) row[j] *= inv;
    }
}

struct AttnSaved {
    Tensor q, k, v, p;  // contiguous [B, L, d], [B, S, d], [B, S, dv], [B, L, S]
    int64_t B, L, S, d, dv;
    float scale;
    Shape q_shape, k_shape, v_shape;
};

Grads attention_backward(const AttnSaved& s, const Tensor& g_in, const std::vector<bool>& needs) {
    const Tensor g = g_in.contiguous();  // [B, L, dv]
    const int64_t L = s.L, S = s.S, d = s.d, dv = s.dv;
    Tensor dq = Tensor::empty({s.B, L, d}), dk = Tensor::empty({s.B, S, d}), dv_t = Tensor::empty({s.B, S, dv});
    parallel_for(s.B, L * S * (2 * d + 2 * dv) / 16, [&](int64_t b0, int64_t b1) {  // as in the forward
        std::vector<float> dz(static_cast<size_t>(L * S)), tmp(static_cast<size_t>(std::max(S, L) * std::max(d, dv)));
        for (int64_t b = b0; b < b1; ++b) {
            const float* q = s.q.data() + b * L * d;
            const float* k = s.k.data() + b * S * d;
            const float* v = s.v.data() + b * S * dv;
            const float* p = s.p.data() + b * L * S;
            const float* go = g.data() + b * L * dv;
            // dV^T [dv, S] = G^T P.
            gemm_rm(true, false, dv, S, L, 1.0f, go, dv, p, S, tmp.data(), S);
            transpose_into(tmp.data(), dv, S, dv_t.data() + b * S * dv);
            // D = G V^T, then dZ = P (D - rowsum(D P)) in place; the scale s goes into the next two products.
            gemm_rm(false, true, L, S, dv, 1.0f, go, dv, v, dv, dz.data(), S);
            for (int64_t i = 0; i < L; ++i) {
                float* row = dz.data() + i * S;
                const float* prow = p + i * S;
                const float dot = fastmath::dot(row, prow, S);
                for (int64_t j = 0; j < S; ++j) row[j] = prow[j] * (row[j] - dot);
            }
            // dQ^T [d, L] = s K^T dZ^T;  dK^T [d, S] = s Q^T dZ.
            gemm_rm(true, true, d, L, S, s.scale, k, d, dz.data(), S, tmp.data(), L);
            transpose_into(tmp.data(), d, L, dq.data() + b * L * d);
            gemm_rm(true, false, d, S, L, s.scale, q, d, dz.data(), S, tmp.data(), S);
            transpose_into(tmp.data(), d, S, dk.data() + b * S * d);
        }
    });
    return {needs[0] ? dq.reshape(s.q_shape) : Tensor(), needs[1] ? dk.reshape(s.k_shape) : Tensor(),
            needs[2] ? dv_t.reshape(s.v_shape) : Tensor()};
}
}  // namespace

Variable attention(const Variable& q, const Variable& k, const Variable& v, float scale) {
    if (!q.defined() || !k.defined() || !v.defined()) throw std::invalid_argument("attention: q, k, v must be defined");
    const Shape &qs = q.shape(), &ks = k.shape(), &vs = v.shape();
    const bool ok = qs.size() >= 2 && ks.size() == qs.size() && vs.size() == qs.size() && qs.back() == ks.back() &&
                    ks[ks.size() - 2] == vs[vs.size() - 2] &&
                    std::equal(qs.begin(), qs.end() - 2, ks.begin()) && std::equal(qs.begin(), qs.end() - 2, vs.begin());
    if (!ok)
        throw ShapeError("attention: q " + shape_str(qs) + ", k " + shape_str(ks) + " and v " + shape_str(vs) +
                         " must be [..., L, d], [..., S, d], [..., S, dv] with the same leading dimensions");
    AttnSaved s;
    s.L = qs[qs.size() - 2], s.S = ks[ks.size() - 2], s.d = qs.back(), s.dv = vs.back(), s.scale = scale;
    s.B = numel_of(Shape(qs.begin(), qs.end() - 2));
    s.q_shape = qs, s.k_shape = ks, s.v_shape = vs;
    s.q = q.value().contiguous(), s.k = k.value().contiguous(), s.v = v.value().contiguous();
    const int64_t L = s.L, S = s.S, d = s.d, dv = s.dv;
    if (S == 0) throw ShapeError("attention: no keys (S = 0) in k " + shape_str(ks));
    // The backward needs every probability block; inference needs one at a
    // time (per thread), which keeps batch-256 inference 64 MB smaller.
    const bool record = grad_enabled() && (q.requires_grad() || k.requires_grad() || v.requires_grad());
    if (record) s.p = Tensor::empty({s.B, L, S});
    Shape os = qs;
    os.back() = dv;
    Tensor out = Tensor::empty(os);
    // Threads only for at least 16x parallel_for's usual amount of work (4M
    // multiply-adds): batch-1 inference (4 heads of 128 x 128) stays on one
    // thread, where waking a second one on a busy machine cost milliseconds.
    parallel_for(s.B, L * S * (d + dv) / 16, [&](int64_t b0, int64_t b1) {
        std::vector<float> tmp(static_cast<size_t>(L * dv)), block(record ? 0 : static_cast<size_t>(L * S));
        for (int64_t b = b0; b < b1; ++b) {
            float* p = record ? s.p.data() + b * L * S : block.data();
            gemm_rm(false, true, L, S, d, scale, s.q.data() + b * L * d, d, s.k.data() + b * S * d, d, p, S);
            softmax_rows(p, L, S);
            // O^T [dv, L] = V^T P^T, then transposed into place.
            gemm_rm(true, true, dv, L, S, 1.0f, s.v.data() + b * S * dv, dv, p, S, tmp.data(), L);
            transpose_into(tmp.data(), dv, L, out.data() + b * L * dv);
        }
    });
    return make_result(Op::Attention, out, {q, k, v},
                       [s = std::move(s)](const Tensor& g, const std::vector<bool>& needs) {
                           return attention_backward(s, g, needs);
                       });
}

}  // namespace iotgrad
