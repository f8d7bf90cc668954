#include "layers/attention.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "autograd/ops.hpp"
#include "layers/init.hpp"
#include "tensor/elementwise.hpp"

namespace iotgrad::nn {

// ---- masks ----------------------------------------------------------------------------------

namespace {

/// The mask as an additive one (Boolean: 1 -> -inf, 0 -> 0), its values checked.
Tensor to_additive(const Tensor& mask, MaskKind kind, const std::string& who) {
    const Tensor c = mask.contiguous();
    Tensor out = Tensor::empty(c.shape());
    const float* p = c.data();
    float* o = out.data();
    for (int64_t i = 0; i < c.numel(); ++i) {
        const float m = p[i];
        if (kind == MaskKind::Boolean) {
            if (m != 0.0f && m != 1.0f)
                throw std::invalid_argument(who + " is a boolean mask (1 = masked out, 0 = kept) but holds " +
                                            std::to_string(m) +
                                            "; for a float mask added to the scores, set its kind to MaskKind::Additive");
            o[i] = m == 1.0f ? -INFINITY : 0.0f;
        } else {
            if (std::isnan(m) || m == INFINITY)
                throw std::invalid_argument(who + " is an additive mask but holds " + std::to_string(m) +
                                            "; its entries must be finite or -inf");
            o[i] = m;
        }
    }
    return out;
}

/// The first row (flat index over everything but the last dim) of a
/// contiguous [..., L, S] additive mask whose every entry is -inf, or -1.
int64_t first_fully_masked_row(const Tensor& full) {
    const int64_t S = full.size(-1), rows = S > 0 ? full.numel() / S : 0;
    const float* p = full.data();
    for (int64_t r = 0; r < rows; ++r) {
        bool all = true;
        for (int64_t j = 0; j < S && all; ++j) all = p[r * S + j] == -INFINITY;
        if (all) return r;
    }
    return -1;
}

const char* const kFullyMaskedHint =
    "; PyTorch would return NaN for this row, iotgrad refuses it: unmask at least one key per query";

}  // namespace

// ---- the equation -----------------------------------------------------------------------

AttentionOutput scaled_dot_product_attention(const Variable& q, const Variable& k, const Variable& v,
                                             const Tensor& mask, float dropout_p, Generator* gen, MaskKind mask_kind) {
    if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2 || q.size(-1) != k.size(-1) || k.size(-2) != v.size(-2))
        throw ShapeError("scaled_dot_product_attention: q " + shape_str(q.shape()) + ", k " + shape_str(k.shape()) +
                         " and v " + shape_str(v.shape()) + " must be [..., L, d_k], [..., S, d_k], [..., S, d_v]");
    if (dropout_p > 0.0f && gen == nullptr)
        throw std::invalid_argument("scaled_dot_product_attention: dropout_p > 0 needs a Generator");
    // Scores Q K^T / sqrt(d_k): the 1/sqrt(d_k) keeps their variance near 1 for
    // unit-variance q and k, so the softmax does not saturate as d_k grows.
    const float scale = 1.0f / std::sqrt(static_cast<float>(q.size(-1)));
    Variable scores = matmul(q, transpose(k, -2, -1)) * scale;  // [..., L, S]
    if (mask.defined()) {
        // + M: 0 keeps a score, -inf sends its weight e^{-inf} to exactly 0.
        const Tensor m = to_additive(mask, mask_kind, "scaled_dot_product_attention: the mask");
        const Tensor full = tensor::add(Tensor::zeros(scores.shape()), m);  // broadcast to [..., L, S]
        const int64_t row = first_fully_masked_row(full);
        if (row >= 0) {
            const int64_t L = scores.size(-2);
            Shape lead(scores.shape().begin(), scores.shape().end() - 2);
            std::vector<int64_t> at(lead.size());
            for (int64_t i = static_cast<int64_t>(lead.size()) - 1, rest = row / L; i >= 0; --i) {
                at[static_cast<size_t>(i)] = rest % lead[static_cast<size_t>(i)];
                rest /= lead[static_cast<size_t>(i)];
            }
            throw std::invalid_argument("scaled_dot_product_attention: every key is masked for query " +
                                        std::to_string(row % L) +
                                        (lead.empty() ? std::string() : " at leading index " + shape_str(at)) +
                                        kFullyMaskedHint);
        }
        scores = scores + Variable(m);
    }
    Variable weights = softmax(scores, -1);
    if (dropout_p > 0.0f) {
        const float keep = 1.0f - dropout_p;
        const Tensor drop = keep > 0.0f ? tensor::mul(Tensor::bernoulli(weights.shape(), keep, *gen), 1.0f / keep)
                                        : Tensor::zeros(weights.shape());
        weights = weights * Variable(drop);
    }
    return {matmul(weights, v), weights};
}

Tensor causal_mask(int64_t L, int64_t S) {
    Tensor m = Tensor::zeros({L, S});
    for (int64_t i = 0; i < L; ++i)
        for (int64_t j = i + 1; j < S; ++j) m.at({i, j}) = 1.0f;
    return m;
}

// ---- multi-head attention -------------------------------------------------------------------

MultiheadAttention::MultiheadAttention(const MultiheadAttentionOptions& o, Generator& gen)
    : out_proj(LinearOptions(o.embed_dim() > 0 ? o.embed_dim() : 1, o.embed_dim() > 0 ? o.embed_dim() : 1).bias(o.bias()), gen),
      embed_dim_(o.embed_dim()),
      num_heads_(o.num_heads()),
      head_dim_(o.num_heads() > 0 ? o.embed_dim() / o.num_heads() : 0),
      dropout_(o.dropout()),
      batch_first_(o.batch_first()),
      gen_(gen.split()) {
    const int64_t embed_dim = o.embed_dim(), num_heads = o.num_heads();
    const float dropout = o.dropout();
    if (embed_dim <= 0 || num_heads <= 0 || embed_dim % num_heads != 0)
        throw std::invalid_argument("MultiheadAttention: embed_dim (" + std::to_string(embed_dim) +
                                    ") must be a positive multiple of num_heads (" + std::to_string(num_heads) + ")");
    if (!(dropout >= 0.0f && dropout < 1.0f))
        throw std::invalid_argument("MultiheadAttention: dropout must be in [0, 1), got " + std::to_string(dropout));
    Tensor w = Tensor::empty({3 * embed_dim, embed_dim});
    init::xavier_uniform(w, gen);
    in_proj_weight = Variable(w);
    register_parameter("in_proj_weight", in_proj_weight);
    if (o.bias()) {
        in_proj_bias = Variable(Tensor::zeros({3 * embed_dim}));
        register_parameter("in_proj_bias", in_proj_bias);
        init::zeros(out_proj.bias.value());
    }
    register_module("out_proj", out_proj);
}

std::string MultiheadAttention::extra_repr() const {
    std::ostringstream os;
    os << "embed_dim=" << embed_dim_ << ", num_heads=" << num_heads_;
    if (dropout_ > 0.0f) os << ", dropout=" << dropout_;
    if (!in_proj_bias.defined()) os << ", bias=false";
    if (batch_first_) os << ", batch_first=true";
    return os.str();
}

Variable MultiheadAttention::project(const Variable& x, int64_t start) const {
    const int64_t E = embed_dim_, N = x.size(0), T = x.size(1);
    // x W^T + b with W = rows [start, start + E) of in_proj_weight, as one
    // fused linear node (the row slice of W is contiguous: no copy).
    const Variable y = linear(x, slice(in_proj_weight, 0, start, start + E),
                              in_proj_bias.defined() ? slice(in_proj_bias, 0, start, start + E) : Variable());
    // [N, T, E] -> [N, T, h, d] -> [N, h, T, d]: each head attends on its own d columns.
    return permute(reshape(y, {N, T, num_heads_, head_dim_}), {0, 2, 1, 3});
}

Tensor MultiheadAttention::combined_mask(const AttentionMask& mask, int64_t N, int64_t L, int64_t S) const {
    Tensor m;  // additive, broadcastable to [N, h, L, S]
    auto add = [&m](const Tensor& part) { m = m.defined() ? tensor::add(m, part) : part; };
    if (mask.key_padding.defined()) {
        if (mask.key_padding.shape() != Shape{N, S})
            throw ShapeError("MultiheadAttention: key_padding_mask must be [N, S] = " + shape_str({N, S}) + ", got " +
                             shape_str(mask.key_padding.shape()));
        add(to_additive(mask.key_padding, mask.key_padding_kind, "MultiheadAttention: key_padding_mask")
                .reshape({N, 1, 1, S}));
    }
    if (mask.attn.defined()) {
        const Shape& s = mask.attn.shape();
        const Tensor a = to_additive(mask.attn, mask.attn_kind, "MultiheadAttention: attn_mask");
        if (s == Shape{L, S})
            add(a);
        else if (s == Shape{N * num_heads_, L, S})
            add(a.reshape({N, num_heads_, L, S}));
        else
            throw ShapeError("MultiheadAttention: attn_mask must be [L, S] = " + shape_str({L, S}) +
                             " or [N*num_heads, L, S] = " + shape_str({N * num_heads_, L, S}) + ", got " +
                             shape_str(s));
    }
    if (mask.causal) add(to_additive(causal_mask(L, S), MaskKind::Boolean, "causal_mask"));
    if (m.defined()) {
        const Tensor full = tensor::add(Tensor::zeros({N, num_heads_, L, S}), m);
        const int64_t row = first_fully_masked_row(full);
        if (row >= 0)
            throw std::invalid_argument("MultiheadAttention: every key is masked for query " + std::to_string(row % L) +
                                        " of sample " + std::to_string(row / (L * num_heads_)) + " (head " +
                                        std::to_string(row / L % num_heads_) + ")" + kFullyMaskedHint);
    }
    return m;
}

AttentionOutput MultiheadAttention::forward(const Variable& query, const Variable& key, const Variable& value,
                                            const AttentionMask& mask, bool need_weights) {
    const int64_t E = embed_dim_;
    for (const Variable* x : {&query, &key, &value})
        if (x->dim() != 3 || x->size(2) != E)
            throw ShapeError("MultiheadAttention: query, key and value must be [T, N, " + std::to_string(E) +
                             "] ([N, T, " + std::to_string(E) + "] with batch_first), got " + shape_str(query.shape()) +
                             ", " + shape_str(key.shape()) + ", " + shape_str(value.shape()));
    // Batch-first inside: [N, T, E].
    auto to_batch = [this](const Variable& x) { return batch_first_ ? x : transpose(x, 0, 1); };
    const Variable q_in = to_batch(query), k_in = to_batch(key), v_in = to_batch(value);
    const int64_t N = q_in.size(0), L = q_in.size(1), S = k_in.size(1);
    if (k_in.size(0) != N || v_in.size(0) != N || v_in.size(1) != S)
        throw ShapeError(
            "MultiheadAttention: key and value must have the query's batch size and the same length, got " +
            shape_str(query.shape()) + ", " + shape_str(key.shape()) + ", " + shape_str(value.shape()));

    const Variable q = project(q_in, 0), k = project(k_in, E), v = project(v_in, 2 * E);  // [N, h, T, d]
    const bool dropping = is_training() && dropout_ > 0.0f;
    const Tensor m = combined_mask(mask, N, L, S);
    if (!need_weights && !dropping && !m.defined()) {
        // Fast path: one fused node (autograd/ops_attention.cpp), the same
        // values as scaled_dot_product_attention below, which stays the
        // reference (tests/layers/test_attention_fused.cpp compares them).
        const Variable heads = attention(q, k, v, 1.0f / std::sqrt(static_cast<float>(head_dim_)));
        Variable out = out_proj(reshape(permute(heads, {0, 2, 1, 3}), {N, L, E}));
        return {batch_first_ ? out : transpose(out, 0, 1), Variable()};
    }
    AttentionOutput heads =
        scaled_dot_product_attention(q, k, v, m, dropping ? dropout_ : 0.0f, &gen_, MaskKind::Additive);
    // Concat(head_1..head_h): [N, h, L, d] -> [N, L, h, d] -> [N, L, E], then W^O.
    Variable out = out_proj(reshape(permute(heads.output, {0, 2, 1, 3}), {N, L, E}));
    return {batch_first_ ? out : transpose(out, 0, 1), need_weights ? mean(heads.weights, {1}) : Variable()};
}

Variable MultiheadAttention::forward(const Variable& x) { return forward(x, x, x, {}, false).output; }

}  // namespace iotgrad::nn
