/// \file
/// Positional encodings: attention is blind to order (permuting the tokens
/// permutes the outputs), so the position of each step is added to its
/// embedding, either as fixed sinusoids or as a learned table.
#pragma once
#include <cstdint>
#include <string>

#include "layers/module.hpp"
#include "layers/options.hpp"
#include "tensor/random.hpp"

namespace iotgrad::nn {

/// The fixed encoding of Vaswani et al. (2017), for position p and feature pair i:
/// \f[ PE_{p, 2i} = \sin\!\left(p / 10000^{2i/d}\right), \qquad
///     PE_{p, 2i+1} = \cos\!\left(p / 10000^{2i/d}\right) \f]
/// Each pair is a rotation at its own frequency, so \f$ PE_{p+k} \f$ is a fixed
/// linear function of \f$ PE_p \f$: relative offsets are easy to attend to.
/// forward(x) returns \f$ x + PE_{0..T-1} \f$ for x [T, N, d_model] ([N, T, d_model]
/// with batch_first). The table is a buffer "pe" [max_len, d_model] (saved with
/// the model, not trained). An odd d_model drops the last cosine column.
/// Options of both positional encodings:
/// `PositionalEncodingOptions(32, /*max_len=*/64).batch_first(true)`.
struct PositionalEncodingOptions {
    explicit PositionalEncodingOptions(int64_t d_model, int64_t max_len = 5000) : d_model_(d_model), max_len_(max_len) {}
    IOTGRAD_OPTION(int64_t, d_model);
    /// The longest sequence the table covers.
    IOTGRAD_OPTION(int64_t, max_len);
    /// Input [N, T, d_model] instead of [T, N, d_model].
    IOTGRAD_OPTION(bool, batch_first) = false;
};

class SinusoidalPositionalEncoding : public Module {
public:
    explicit SinusoidalPositionalEncoding(int64_t d_model, int64_t max_len = 5000);
    explicit SinusoidalPositionalEncoding(const PositionalEncodingOptions& options);
    SinusoidalPositionalEncoding(SinusoidalPositionalEncoding&&) = default;

    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "SinusoidalPositionalEncoding"; }
    std::string extra_repr() const override;

    Tensor pe;  ///< [max_len, d_model]

private:
    int64_t d_model_, max_len_;
    bool batch_first_;
};

/// A learned table, one trainable vector per position (as in BERT/GPT and the
/// benchmark's TransformerNet): forward(x) returns \f$ x + P_{0..T-1} \f$. The
/// parameter "weight" [max_len, d_model] starts at \f$ \mathcal N(0, 0.02^2) \f$.
class LearnedPositionalEncoding : public Module {
public:
    LearnedPositionalEncoding(int64_t max_len, int64_t d_model, Generator& gen);
    LearnedPositionalEncoding(const PositionalEncodingOptions& options, Generator& gen);
    LearnedPositionalEncoding(LearnedPositionalEncoding&&) = default;

    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "LearnedPositionalEncoding"; }
    std::string extra_repr() const override;

    Variable weight;  ///< [max_len, d_model]

private:
    int64_t max_len_, d_model_;
    bool batch_first_;
};

}  // namespace iotgrad::nn
