/// \file
/// Embedding: a lookup table of learned vectors, one per token (or sensor
/// state, or device id), indexed by integer.
#pragma once
#include <cstdint>
#include <string>

#include "layers/module.hpp"

namespace iotgrad::nn {

/// \f$ y[\ldots, :] = W[\mathrm{index}[\ldots], :] \f$: row lookup, as
/// torch.nn.Embedding (weight [num_embeddings, embedding_dim], initialized
/// \f$ \mathcal N(0, 1) \f$). The gradient of a row is the sum of the
/// gradients of every position that picked it (index_select's backward).
class Embedding : public Module {
public:
    Embedding(int64_t num_embeddings, int64_t embedding_dim, Generator& gen);
    Embedding(Embedding&&) = default;

    /// indices: integer-valued floats of any shape S (no gradient flows to
    /// them) -> [S..., embedding_dim]. Throws naming an index that is out of range.
    Variable forward(const Variable& indices) override;
    Variable forward(const Tensor& indices);
    Variable operator()(const Tensor& indices) { return forward(indices); }
    Variable operator()(const Variable& indices) { return forward(indices); }

    std::string type_name() const override { return "Embedding"; }
    std::string extra_repr() const override { return std::to_string(num_) + ", " + std::to_string(dim_); }
    int64_t num_embeddings() const { return num_; }
    int64_t embedding_dim() const { return dim_; }

    Variable weight;  ///< [num_embeddings, embedding_dim]

private:
    int64_t num_, dim_;
};

}  // namespace iotgrad::nn
