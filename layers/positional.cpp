#include "layers/positional.hpp"

#include <cmath>
#include <stdexcept>

#include "autograd/ops.hpp"

namespace iotgrad::nn {

namespace {
void check_sizes(const char* who, int64_t max_len, int64_t d_model) {
    if (max_len < 1 || d_model < 1)
        throw std::invalid_argument(std::string(who) + ": max_len and d_model must be >= 1, got " +
                                    std::to_string(max_len) + " and " + std::to_string(d_model));
}

/// Checks x against the table and returns the sequence length T.
int64_t sequence_length(const char* who, const Variable& x, int64_t max_len, int64_t d_model, bool batch_first) {
    if (x.dim() != 3 || x.size(2) != d_model)
        throw ShapeError(std::string(who) + ": input must be [T, N, " + std::to_string(d_model) + "] ([N, T, " +
                         std::to_string(d_model) + "] with batch_first), got " + shape_str(x.shape()));
    const int64_t T = x.size(batch_first ? 1 : 0);
    if (T > max_len)
        throw ShapeError(std::string(who) + ": sequence of " + std::to_string(T) + " steps is longer than max_len = " +
                         std::to_string(max_len) + " (input " + shape_str(x.shape()) + ")");
    return T;
}

/// Rows 0..T-1 of a [max_len, d] table shaped to broadcast against x:
/// [T, 1, d] for time-major x, [T, d] (aligned right) for batch-first x.
Variable rows_for(const Variable& table, int64_t T, bool batch_first) {
    const Variable rows = slice(table, 0, 0, T);
    return batch_first ? rows : unsqueeze(rows, 1);
}
}  // namespace

SinusoidalPositionalEncoding::SinusoidalPositionalEncoding(int64_t d_model, int64_t max_len)
    : SinusoidalPositionalEncoding(PositionalEncodingOptions(d_model, max_len)) {}

SinusoidalPositionalEncoding::SinusoidalPositionalEncoding(const PositionalEncodingOptions& options)
    : d_model_(options.d_model()), max_len_(options.max_len()), batch_first_(options.batch_first()) {
    const int64_t d_model = d_model_, max_len = max_len_;
    check_sizes("SinusoidalPositionalEncoding", max_len, d_model);
    pe = Tensor::zeros({max_len, d_model});
    float* p = pe.data();
    for (int64_t pos = 0; pos < max_len; ++pos)
        for (int64_t i = 0; 2 * i < d_model; ++i) {
            // 1 / 10000^(2i/d), in double so long tables stay accurate.
            const double angle = pos * std::exp(-std::log(10000.0) * (2.0 * i) / d_model);
            p[pos * d_model + 2 * i] = static_cast<float>(std::sin(angle));
            if (2 * i + 1 < d_model) p[pos * d_model + 2 * i + 1] = static_cast<float>(std::cos(angle));
        }
    register_buffer("pe", pe);
}

Variable SinusoidalPositionalEncoding::forward(const Variable& x) {
    const int64_t T = sequence_length("SinusoidalPositionalEncoding", x, max_len_, d_model_, batch_first_);
    // A constant: the gradient flows to x only.
    return x + rows_for(Variable(pe), T, batch_first_);
}

std::string SinusoidalPositionalEncoding::extra_repr() const {
    return "d_model=" + std::to_string(d_model_) + ", max_len=" + std::to_string(max_len_) +
           (batch_first_ ? ", batch_first=true" : "");
}

LearnedPositionalEncoding::LearnedPositionalEncoding(int64_t max_len, int64_t d_model, Generator& gen)
    : LearnedPositionalEncoding(PositionalEncodingOptions(d_model, max_len), gen) {}

LearnedPositionalEncoding::LearnedPositionalEncoding(const PositionalEncodingOptions& options, Generator& gen)
    : max_len_(options.max_len()), d_model_(options.d_model()), batch_first_(options.batch_first()) {
    const int64_t d_model = d_model_, max_len = max_len_;
    check_sizes("LearnedPositionalEncoding", max_len, d_model);
    weight = Variable(Tensor::randn({max_len, d_model}, gen, 0.0f, 0.02f));
    register_parameter("weight", weight);
}

Variable LearnedPositionalEncoding::forward(const Variable& x) {
    const int64_t T = sequence_length("LearnedPositionalEncoding", x, max_len_, d_model_, batch_first_);
    // Each position's row receives the sum of the gradients at that step over the batch.
    return x + rows_for(weight, T, batch_first_);
}

std::string LearnedPositionalEncoding::extra_repr() const {
    return "max_len=" + std::to_string(max_len_) + ", d_model=" + std::to_string(d_model_) +
           (batch_first_ ? ", batch_first=true" : "");
}

}  // namespace iotgrad::nn
