/// \file
/// Attention (Vaswani et al., 2017, "Attention is all you need"): the scaled
/// dot-product equation as a free function, and multi-head attention with
/// torch.nn.MultiheadAttention's arguments, parameter names and layouts.
#pragma once
#include <cstdint>
#include <string>

#include "layers/linear.hpp"
#include "layers/module.hpp"
#include "tensor/random.hpp"

namespace iotgrad::nn {

/// The attended values and the attention weights that produced them.
struct AttentionOutput {
    Variable output;
    /// Softmax weights; each row sums to 1 over the keys.
    Variable weights;
};

/// A masked score is replaced by this before the softmax, so its weight is
/// \f$ e^{-10^9 - \max} = 0 \f$. Finite on purpose: a row whose keys are all
/// masked gets equal scores and so attends uniformly to every key (its output
/// is the mean of v) instead of becoming NaN as with \f$ -\infty \f$ (PyTorch
/// returns NaN there); no NaN reaches the gradients either.
inline constexpr float kMaskedScore = -1e9f;

/// Scaled dot-product attention, written as its equation:
/// \f[ \mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V \f]
/// q [..., L, d_k], k [..., S, d_k], v [..., S, d_v] (leading dims broadcast, e.g.
/// [N, heads]); returns output [..., L, d_v] and weights [..., L, S].
/// `mask` (optional) broadcasts to [..., L, S]; a nonzero entry means "query
/// i may not attend to key j" (PyTorch's boolean mask convention): its score
/// becomes kMaskedScore. With dropout_p > 0, the weights are dropped out
/// (inverted dropout, mask from `gen`) before multiplying V, as in PyTorch.
AttentionOutput scaled_dot_product_attention(const Variable& q, const Variable& k, const Variable& v,
                                             const Tensor& mask = Tensor(), float dropout_p = 0.0f,
                                             Generator* gen = nullptr);

/// The causal mask [L, S]: 1 where key j lies in the future of query i (j > i), else 0.
Tensor causal_mask(int64_t L, int64_t S);
inline Tensor causal_mask(int64_t L) { return causal_mask(L, L); }

/// Which keys each query may not see. Every part is optional; they combine (logical or).
struct AttentionMask {
    /// [N, S]: nonzero marks a padding key of that sample; no query attends to it.
    Tensor key_padding{};
    /// [L, S] or [N * num_heads, L, S]: nonzero forbids query i -> key j (PyTorch's attn_mask, boolean form).
    Tensor attn{};
    /// Adds causal_mask(L, S): every position sees only itself and the past.
    bool causal = false;
};

/// Multi-head attention, as torch.nn.MultiheadAttention:
/// \f[ \mathrm{MultiHead}(Q, K, V) = \mathrm{Concat}(\mathrm{head}_1, \ldots, \mathrm{head}_h)\, W^O, \quad
///     \mathrm{head}_i = \mathrm{Attention}(Q W_i^Q, K W_i^K, V W_i^V) \f]
/// with head dimension d = embed_dim / num_heads. Parameters, named as in
/// PyTorch's state_dict: `in_proj_weight` [3E, E] (the rows of \f$W^Q, W^K, W^V\f$
/// stacked), `in_proj_bias` [3E], and `out_proj.weight` [E, E], `out_proj.bias` [E]
/// (a Linear submodule). Initialization as PyTorch: xavier_uniform for
/// in_proj_weight, Linear's default for out_proj.weight, zero biases.
///
/// Inputs are [L, N, E] (query) and [S, N, E] (key, value), or [N, L, E] /
/// [N, S, E] with batch_first.
class MultiheadAttention : public Module {
public:
    MultiheadAttention(int64_t embed_dim, int64_t num_heads, Generator& gen, float dropout = 0.0f, bool bias = true,
                       bool batch_first = false);
    MultiheadAttention(MultiheadAttention&&) = default;

    /// output in the input's layout, and the attention weights averaged over
    /// the heads, [N, L, S] (PyTorch's average_attn_weights=True); with
    /// need_weights = false the average is skipped and weights is undefined.
    AttentionOutput forward(const Variable& query, const Variable& key, const Variable& value,
                            const AttentionMask& mask = {}, bool need_weights = true);
    /// Self-attention, output only (query = key = value = x), so the layer fits a Sequential.
    Variable forward(const Variable& x) override;

    std::string type_name() const override { return "MultiheadAttention"; }
    std::string extra_repr() const override;

    int64_t embed_dim() const { return embed_dim_; }
    int64_t num_heads() const { return num_heads_; }
    bool batch_first() const { return batch_first_; }

    Variable in_proj_weight;  ///< [3E, E]
    Variable in_proj_bias;    ///< [3E]; undefined with bias = false
    Linear out_proj;          ///< E -> E

private:
    /// x [N, T, E] -> rows [start, start+E) of the input projection, split into heads [N, h, T, d].
    Variable project(const Variable& x, int64_t start) const;
    Tensor combined_mask(const AttentionMask& mask, int64_t N, int64_t L, int64_t S) const;

    int64_t embed_dim_, num_heads_, head_dim_;
    float dropout_;
    bool batch_first_;
    Generator gen_;  ///< for dropout on the attention weights
};

}  // namespace iotgrad::nn
