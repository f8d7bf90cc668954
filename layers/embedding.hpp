/// \file
/// Embedding: a lookup table of learned vectors, one per token (or sensor
/// state, or device id), indexed by integer.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "layers/module.hpp"
#include "layers/options.hpp"

namespace iotgrad::nn {

/// Options of Embedding, as torch::nn::EmbeddingOptions:
/// `nn::EmbeddingOptions(10, 4).padding_idx(0)`.
class EmbeddingOptions {
public:
    /// A table of num_embeddings rows of embedding_dim values.
    EmbeddingOptions(int64_t num_embeddings, int64_t embedding_dim)
        : num_embeddings_(num_embeddings), embedding_dim_(embedding_dim) {}
    /// Rows in the table.
    int64_t num_embeddings() const { return num_embeddings_; }
    /// Values per row.
    int64_t embedding_dim() const { return embedding_dim_; }

    /// The padding row p, as PyTorch's padding_idx (negative counts from the
    /// end: -1 is the last row): \f$ W[p, :] \f$ starts at zero and gets no
    /// gradient, so positions holding index p contribute nothing to the
    /// update (a "no token here" id). Unset: every row learns.
    IOTGRAD_OPTION(std::optional<int64_t>, padding_idx);

private:
    int64_t num_embeddings_, embedding_dim_;
};

/// \f$ y[\ldots, :] = W[\mathrm{index}[\ldots], :] \f$: row lookup, as
/// torch.nn.Embedding (weight [num_embeddings, embedding_dim], initialized
/// \f$ \mathcal N(0, 1) \f$). The gradient of a row is the sum of the
/// gradients of every position that picked it (index_select's backward),
/// except the padding row (EmbeddingOptions::padding_idx), whose gradient is 0.
class Embedding : public Module {
public:
    Embedding(int64_t num_embeddings, int64_t embedding_dim, Generator& gen);
    /// With options (padding_idx); throws std::invalid_argument for a
    /// padding_idx outside [-num_embeddings, num_embeddings).
    Embedding(const EmbeddingOptions& options, Generator& gen);
    Embedding(Embedding&&) = default;

    /// indices: integer-valued floats of any shape S (no gradient flows to
    /// them) -> [S..., embedding_dim]. Throws naming an index that is out of range.
    Variable forward(const Variable& indices) override;
    Variable forward(const Tensor& indices);
    Variable operator()(const Tensor& indices) { return forward(indices); }
    Variable operator()(const Variable& indices) { return forward(indices); }

    std::string type_name() const override { return "Embedding"; }
    std::string extra_repr() const override;
    int64_t num_embeddings() const { return num_; }
    int64_t embedding_dim() const { return dim_; }
    /// The padding row in [0, num_embeddings) (a negative option already
    /// counted from the end), or none.
    std::optional<int64_t> padding_idx() const { return padding_idx_; }

    Variable weight;  ///< [num_embeddings, embedding_dim]

private:
    int64_t num_, dim_;
    std::optional<int64_t> padding_idx_;
};

}  // namespace iotgrad::nn
