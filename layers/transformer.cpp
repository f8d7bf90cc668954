#include "layers/transformer.hpp"

#include <sstream>
#include <stdexcept>

#include "autograd/ops.hpp"

namespace iotgrad::nn {

TransformerEncoderLayer::TransformerEncoderLayer(const TransformerEncoderLayerOptions& o, Generator& gen)
    : self_attn(MultiheadAttentionOptions(o.d_model(), o.nhead()).dropout(o.dropout()).batch_first(o.batch_first()),
                gen),
      linear1(o.d_model(), o.dim_feedforward(), gen),
      dropout(o.dropout(), gen),
      linear2(o.dim_feedforward(), o.d_model(), gen),
      norm1({o.d_model()}, o.layer_norm_eps()),
      norm2({o.d_model()}, o.layer_norm_eps()),
      dropout1(o.dropout(), gen),
      dropout2(o.dropout(), gen),
      activation_(o.activation()),
      norm_first_(o.norm_first()) {
    // PyTorch's registration order, so named_parameters() lists the same keys in the same order.
    register_module("self_attn", self_attn);
    register_module("linear1", linear1);
    register_module("dropout", dropout);
    register_module("linear2", linear2);
    register_module("norm1", norm1);
    register_module("norm2", norm2);
    register_module("dropout1", dropout1);
    register_module("dropout2", dropout2);
}

std::string TransformerEncoderLayer::extra_repr() const {
    std::ostringstream os;
    os << "d_model=" << self_attn.embed_dim() << ", nhead=" << self_attn.num_heads()
       << ", dim_feedforward=" << linear1.out_features() << ", dropout=" << dropout.p()
       << ", activation=" << (activation_ == Activation::Relu ? "relu" : "gelu");
    if (self_attn.batch_first()) os << ", batch_first=true";
    if (norm_first_) os << ", norm_first=true";
    return os.str();
}

/// \f$ \mathrm{FF}(x) = W_2\, \mathrm{Dropout}(\mathrm{act}(W_1 x + b_1)) + b_2 \f$.
Variable TransformerEncoderLayer::feed_forward(const Variable& x) {
    const Variable h = linear1(x);
    return linear2(dropout(activation_ == Activation::Relu ? relu(h) : gelu(h)));
}

Variable TransformerEncoderLayer::forward(const Variable& src, const AttentionMask& mask) {
    auto self_attention = [&](const Variable& x) {
        return dropout1(self_attn.forward(x, x, x, mask, /*need_weights*/ false).output);
    };
    Variable x = src;
    if (norm_first_) {
        x = x + self_attention(norm1(x));
        x = x + dropout2(feed_forward(norm2(x)));
    } else {
        x = norm1(x + self_attention(x));
        x = norm2(x + dropout2(feed_forward(x)));
    }
    return x;
}

// ---- the stack ---------------------------------------------------------------------------

TransformerEncoder::TransformerEncoder(const TransformerEncoderLayerOptions& layer, int64_t num_layers,
                                       Generator& gen) {
    if (num_layers < 1)
        throw std::invalid_argument("TransformerEncoder: num_layers must be >= 1, got " + std::to_string(num_layers));
    for (int64_t i = 0; i < num_layers; ++i) layers.emplace_back(TransformerEncoderLayer(layer, gen));
    register_module("layers", layers);
}

Variable TransformerEncoder::forward(const Variable& src, const AttentionMask& mask) {
    Variable x = src;
    for (size_t i = 0; i < layers.size(); ++i) x = layer(i).forward(x, mask);
    return x;
}

}  // namespace iotgrad::nn
