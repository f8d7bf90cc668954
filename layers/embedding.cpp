#include "layers/embedding.hpp"

#include <algorithm>
#include <stdexcept>

#include "autograd/ops.hpp"
#include "layers/init.hpp"

namespace iotgrad::nn {

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, Generator& gen)
    : Embedding(EmbeddingOptions(num_embeddings, embedding_dim), gen) {}

Embedding::Embedding(const EmbeddingOptions& options, Generator& gen)
    : num_(options.num_embeddings()), dim_(options.embedding_dim()) {
    if (num_ < 1 || dim_ < 1)
        throw std::invalid_argument("Embedding: num_embeddings and embedding_dim must be >= 1, got " +
                                    std::to_string(num_) + " and " + std::to_string(dim_));
    if (options.padding_idx()) {
        const int64_t p = *options.padding_idx();
        if (p < -num_ || p >= num_)
            throw std::invalid_argument("Embedding: padding_idx must be in [-" + std::to_string(num_) + ", " +
                                        std::to_string(num_) + ") for num_embeddings " + std::to_string(num_) +
                                        ", got " + std::to_string(p));
        padding_idx_ = p < 0 ? p + num_ : p;
    }
    Tensor w = Tensor::empty({num_, dim_});
    init::normal(w, gen);
    // PyTorch: the padding row starts at zero (after the same normal draw, so
    // the other rows are those of an Embedding without padding_idx).
    if (padding_idx_) std::fill(w.data() + *padding_idx_ * dim_, w.data() + (*padding_idx_ + 1) * dim_, 0.0f);
    weight = Variable(w);
    register_parameter("weight", weight);
}

std::string Embedding::extra_repr() const {
    std::string s = std::to_string(num_) + ", " + std::to_string(dim_);
    if (padding_idx_) s += ", padding_idx=" + std::to_string(*padding_idx_);
    return s;
}

Variable Embedding::forward(const Tensor& indices) {
    // index_select takes a 1-d index and checks every entry (integer, in range).
    const Tensor flat = indices.reshape({indices.numel()});
    Variable rows;
    try {
        rows = index_select(weight, 0, flat);
    } catch (const ShapeError& e) {
        throw ShapeError("Embedding(" + extra_repr() + "): " + e.what());
    }
    if (padding_idx_) {
        // Positions holding padding_idx read the row from a detached copy of the
        // weight, so the same value comes out but no gradient reaches W[p, :].
        Tensor is_pad = Tensor::zeros({flat.numel(), 1});
        const Tensor fc = flat.contiguous();
        for (int64_t i = 0; i < fc.numel(); ++i)
            is_pad.data()[i] = fc.data()[i] == static_cast<float>(*padding_idx_) ? 1.0f : 0.0f;
        rows = where(is_pad, index_select(weight.detach(), 0, flat), rows);
    }
    Shape out = indices.shape();
    out.push_back(dim_);
    return reshape(rows, out);
}

Variable Embedding::forward(const Variable& indices) { return forward(indices.value()); }

}  // namespace iotgrad::nn
