#include "layers/embedding.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"
#include "layers/init.hpp"

namespace iotgrad::nn {

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, Generator& gen)
    : num_(num_embeddings), dim_(embedding_dim) {
    if (num_embeddings < 1 || embedding_dim < 1)
        throw std::invalid_argument("Embedding: num_embeddings and embedding_dim must be >= 1, got " +
                                    std::to_string(num_embeddings) + " and " + std::to_string(embedding_dim));
    Tensor w = Tensor::empty({num_embeddings, embedding_dim});
    init::normal(w, gen);
    weight = Variable(w);
    register_parameter("weight", weight);
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
    Shape out = indices.shape();
    out.push_back(dim_);
    return reshape(rows, out);
}

Variable Embedding::forward(const Variable& indices) { return forward(indices.value()); }

}  // namespace iotgrad::nn
