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

namespace iotgrad::nn {

/// The feed-forward block's nonlinearity.
enum class Activation { Relu, Gelu };

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
    TransformerEncoderLayer(int64_t d_model, int64_t nhead, int64_t dim_feedforward, Generator& gen,
                            float dropout = 0.1f, Activation activation = Activation::Relu, bool batch_first = false,
                            bool norm_first = false, float layer_norm_eps = 1e-5f);
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
    /// Builds num_layers layers with the given arguments, each with its own weights.
    TransformerEncoder(int64_t num_layers, int64_t d_model, int64_t nhead, int64_t dim_feedforward, Generator& gen,
                       float dropout = 0.1f, Activation activation = Activation::Relu, bool batch_first = false,
                       bool norm_first = false);
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
