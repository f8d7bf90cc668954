/// \file
/// Attention (Vaswani et al., 2017, "Attention is all you need"): the scaled
/// dot-product equation as a free function, and multi-head attention with
/// torch.nn.MultiheadAttention's arguments, parameter names and layouts.
///
/// Taught in \ref tutorial_08_attention.
#pragma once
#include <cstdint>
#include <string>

#include "layers/linear.hpp"
#include "layers/module.hpp"
#include "layers/options.hpp"
#include "tensor/random.hpp"

namespace iotgrad::nn {

/// The attended values and the attention weights that produced them.
struct AttentionOutput {
    Variable output;
    /// Softmax weights; each row sums to 1 over the keys.
    Variable weights;
};

/// How the values of an attention mask are read (PyTorch tells them apart by
/// dtype, bool or float; iotgrad's tensors are all float32, so it is said here).
enum class MaskKind {
    /// 1 = masked out ("query i may not attend to key j"), 0 = allowed: PyTorch's
    /// bool masks (True = not allowed). Other values are refused, so a float
    /// mask is never taken as a boolean one by mistake.
    Boolean,
    /// Added to the scores before the softmax, as PyTorch's float masks: 0
    /// keeps a key, -0.5 lowers its weight, \f$ -\infty \f$ masks it out. NaN and
    /// \f$ +\infty \f$ are refused.
    Additive,
};

/// Scaled dot-product attention, written as its equation:
/// \f[ \mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}} + M\right) V \f]
/// q [..., L, d_k], k [..., S, d_k], v [..., S, d_v] (leading dims broadcast, e.g.
/// [N, heads]); returns output [..., L, d_v] and weights [..., L, S].
/// `mask` (optional) broadcasts to [..., L, S] and gives M: with
/// MaskKind::Boolean (the default) \f$ M_{ij} = -\infty \f$ where the mask is 1
/// and 0 where it is 0; with MaskKind::Additive M is the mask itself. A
/// uniform additive mask (every entry -0.5, say) changes nothing: the softmax
/// is invariant to adding a constant to a row.
///
/// Fully masked rows: a query whose every key is masked (all of its M row
/// \f$ -\infty \f$) has no distribution to attend with; PyTorch returns NaN for
/// that row (and NaN gradients). iotgrad refuses it instead: std::invalid_argument
/// naming the row (its leading indices and the query), before anything is
/// computed, so a NaN never reaches the weights silently. Unmask at least one
/// key per query (e.g. a padded sample keeps at least one real key).
///
/// With dropout_p > 0, the weights are dropped out (inverted dropout, mask
/// from `gen`) before multiplying V, as in PyTorch.
AttentionOutput scaled_dot_product_attention(const Variable& q, const Variable& k, const Variable& v,
                                             const Tensor& mask = Tensor(), float dropout_p = 0.0f,
                                             Generator* gen = nullptr, MaskKind mask_kind = MaskKind::Boolean);

/// The causal mask [L, S]: 1 where key j lies in the future of query i (j > i), else 0.
Tensor causal_mask(int64_t L, int64_t S);
inline Tensor causal_mask(int64_t L) { return causal_mask(L, L); }

/// Which keys each query may not see, or how much each is lowered. Every part
/// is optional; they combine as in PyTorch: each becomes an additive mask
/// (a boolean one as 0 / \f$ -\infty \f$) and they are summed, so a key masked
/// by any boolean part stays masked. A query whose keys are all masked is
/// refused (see scaled_dot_product_attention: PyTorch would return NaN).
struct AttentionMask {
    /// [N, S]: per sample and key (PyTorch's key_padding_mask); with
    /// MaskKind::Boolean, 1 marks a padding key that no query attends to.
    Tensor key_padding{};
    /// How key_padding is read: Boolean (1 = padding) or Additive (added to every query's scores).
    MaskKind key_padding_kind = MaskKind::Boolean;
    /// [L, S] or [N * num_heads, L, S]: per query and key (PyTorch's attn_mask);
    /// with MaskKind::Boolean, 1 forbids query i -> key j.
    Tensor attn{};
    /// How attn is read: Boolean (1 = forbidden) or Additive (added to the scores).
    MaskKind attn_kind = MaskKind::Boolean;
    /// Adds causal_mask(L, S): every position sees only itself and the past.
    bool causal = false;
};

/// MultiheadAttention's settings, as torch::nn::MultiheadAttentionOptions:
/// \code
/// nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(64, 4).dropout(0.1f).batch_first(true), gen);
/// \endcode
struct MultiheadAttentionOptions {
    /// The required sizes: embed_dim must be a positive multiple of num_heads.
    MultiheadAttentionOptions(int64_t embed_dim, int64_t num_heads) : embed_dim_(embed_dim), num_heads_(num_heads) {}
    /// E, the size of each token's vector (query, key, value and output).
    IOTGRAD_OPTION(int64_t, embed_dim);
    /// h, the number of heads; each works on E / h columns.
    IOTGRAD_OPTION(int64_t, num_heads);
    /// Dropout probability on the attention weights in training, in [0, 1).
    IOTGRAD_OPTION(float, dropout) = 0.0f;
    /// Biases in the input and output projections (in_proj_bias, out_proj.bias).
    IOTGRAD_OPTION(bool, bias) = true;
    /// Inputs and outputs are [N, T, E] instead of [T, N, E].
    IOTGRAD_OPTION(bool, batch_first) = false;
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
    /// Every setting from `options`; weights initialized from `gen`.
    MultiheadAttention(const MultiheadAttentionOptions& options, Generator& gen);
    /// The defaults (no dropout, biases, [T, N, E] layout).
    MultiheadAttention(int64_t embed_dim, int64_t num_heads, Generator& gen)
        : MultiheadAttention(MultiheadAttentionOptions(embed_dim, num_heads), gen) {}
    MultiheadAttention(MultiheadAttention&&) = default;

    /// output in the input's layout, and the attention weights averaged over
    /// the heads, [N, L, S] (PyTorch's average_attn_weights=True); with
    /// need_weights = false the average is skipped and weights is undefined.
    /// `mask`: see AttentionMask (boolean or additive parts); a query whose
    /// every key is masked throws std::invalid_argument naming its sample,
    /// head and position (PyTorch would return NaN for it).
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
    /// The parts of `mask` summed into one additive mask, broadcastable to [N, h, L, S] (undefined without parts).
    Tensor combined_mask(const AttentionMask& mask, int64_t N, int64_t L, int64_t S) const;

    int64_t embed_dim_, num_heads_, head_dim_;
    float dropout_;
    bool batch_first_;
    Generator gen_;  ///< for dropout on the attention weights
};

}  // namespace iotgrad::nn
