/// \file
/// The Transformer encoder layer (Vaswani et al., 2017) and a stack of them,
/// with torch.nn.TransformerEncoderLayer's arguments, submodule names and
/// both residual orders (post-norm, PyTorch's default, and pre-norm).
#pragma once
#include <cstdint>
#include <string>

#include "layers/attention.hpp"
#include "layers/dropout.hpp"
#include "layers/linear.hpp"
#include "layers/module.hpp"
#include "layers/norm.hpp"
#include "layers/options.hpp"

namespace iotgrad::nn {

/// The feed-forward block's nonlinearity.
enum class Activation { Relu, Gelu };

/// TransformerEncoderLayer's settings, as torch::nn::TransformerEncoderLayerOptions
/// (the same defaults as torch.nn.TransformerEncoderLayer):
/// \code
/// nn::TransformerEncoderLayer layer(
///     nn::TransformerEncoderLayerOptions(32, 4).dim_feedforward(64).dropout(0.0f).batch_first(true), gen);
/// \endcode
struct TransformerEncoderLayerOptions {
    /// The required sizes: d_model must be a positive multiple of nhead.
    TransformerEncoderLayerOptions(int64_t d_model, int64_t nhead) : d_model_(d_model), nhead_(nhead) {}
    /// The size of each token's vector.
    IOTGRAD_OPTION(int64_t, d_model);
    /// The number of attention heads.
    IOTGRAD_OPTION(int64_t, nhead);
    /// The feed-forward block's hidden size.
    IOTGRAD_OPTION(int64_t, dim_feedforward) = 2048;
    /// Dropout p on the attention weights, inside the feed-forward block and on both residual branches.
    IOTGRAD_OPTION(float, dropout) = 0.1f;
    /// The feed-forward block's nonlinearity.
    IOTGRAD_OPTION(Activation, activation) = Activation::Relu;
    /// Inputs and outputs are [N, T, d_model] instead of [T, N, d_model].
    IOTGRAD_OPTION(bool, batch_first) = false;
    /// Pre-norm (LayerNorm before each block) instead of post-norm.
    IOTGRAD_OPTION(bool, norm_first) = false;
    /// The LayerNorms' epsilon.
    IOTGRAD_OPTION(float, layer_norm_eps) = 1e-5f;
};

/// One encoder layer: self-attention, then a position-wise feed-forward
/// network \f$ \mathrm{FF}(x) = W_2\, \mathrm{act}(W_1 x + b_1) + b_2 \f$, each
/// wrapped in a residual connection and a LayerNorm.
///
/// Post-norm (norm_first = false, the original paper and PyTorch's default):
/// - \f$ x \leftarrow \mathrm{LN}_1(x + \mathrm{Dropout}(\mathrm{SelfAttn}(x))) \f$
/// - \f$ x \leftarrow \mathrm{LN}_2(x + \mathrm{Dropout}(\mathrm{FF}(x))) \f$
///
/// Pre-norm (norm_first = true; trains more stably in deep stacks because the
/// residual path is never normalized):
/// - \f$ x \leftarrow x + \mathrm{Dropout}(\mathrm{SelfAttn}(\mathrm{LN}_1(x))) \f$
/// - \f$ x \leftarrow x + \mathrm{Dropout}(\mathrm{FF}(\mathrm{LN}_2(x))) \f$
///
/// Submodules have PyTorch's names, so the state_dict keys match:
/// self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2.
/// Like PyTorch, self_attn applies the same dropout p to the attention weights.
class TransformerEncoderLayer : public Module {
public:
    /// Every setting from `options`; weights initialized from `gen`, dropout masks drawn from streams split off it.
    TransformerEncoderLayer(const TransformerEncoderLayerOptions& options, Generator& gen);
    /// PyTorch's defaults (dim_feedforward 2048, dropout 0.1, ReLU, [T, N, d_model], post-norm).
    TransformerEncoderLayer(int64_t d_model, int64_t nhead, Generator& gen)
        : TransformerEncoderLayer(TransformerEncoderLayerOptions(d_model, nhead), gen) {}
    TransformerEncoderLayer(TransformerEncoderLayer&&) = default;

    /// src [T, N, d_model] ([N, T, d_model] with batch_first); `mask` as in MultiheadAttention.
    Variable forward(const Variable& src, const AttentionMask& mask);
    Variable forward(const Variable& src) override { return forward(src, AttentionMask{}); }

    std::string type_name() const override { return "TransformerEncoderLayer"; }
    std::string extra_repr() const override;

    MultiheadAttention self_attn;
    Linear linear1;   ///< d_model -> dim_feedforward
    Dropout dropout;  ///< inside the feed-forward block
    Linear linear2;   ///< dim_feedforward -> d_model
    LayerNorm norm1, norm2;
    Dropout dropout1, dropout2;  ///< on the two residual branches

private:
    Variable feed_forward(const Variable& x);

    Activation activation_;
    bool norm_first_;
};

/// num_layers independent encoder layers applied in turn, as
/// torch.nn.TransformerEncoder (no final norm): parameter names are
/// "layers.0.self_attn.in_proj_weight", ... like PyTorch's.
class TransformerEncoder : public Module {
public:
    /// Builds num_layers layers with the same options, each with its own weights
    /// (as torch::nn::TransformerEncoderOptions(layer, num_layers)).
    TransformerEncoder(const TransformerEncoderLayerOptions& layer, int64_t num_layers, Generator& gen);
    TransformerEncoder(TransformerEncoder&&) = default;

    Variable forward(const Variable& src, const AttentionMask& mask);
    Variable forward(const Variable& src) override { return forward(src, AttentionMask{}); }
    std::string type_name() const override { return "TransformerEncoder"; }

    TransformerEncoderLayer& layer(size_t i) { return static_cast<TransformerEncoderLayer&>(layers[i]); }
    const TransformerEncoderLayer& layer(size_t i) const {
        return static_cast<const TransformerEncoderLayer&>(layers[i]);
    }

    Sequential layers;
};

}  // namespace iotgrad::nn
