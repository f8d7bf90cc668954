#include "layers/autoencoder.hpp"

#include <sstream>
#include <stdexcept>

#include "autograd/ops.hpp"
#include "layers/activation.hpp"
#include "layers/conv.hpp"
#include "layers/linear.hpp"

namespace iotgrad::nn {

Variable corrupt(const Variable& x, float noise_std, Generator& gen) {
    if (!(noise_std >= 0.0f))
        throw std::invalid_argument("corrupt: noise_std must be >= 0, got " + std::to_string(noise_std));
    if (noise_std == 0.0f) return x;
    return x + Variable(Tensor::randn(x.shape(), gen, 0.0f, noise_std));
}

// ---- the shared part ---------------------------------------------------------------------

Autoencoder::Autoencoder(float noise_std, Generator& gen) : noise_std_(noise_std), noise_gen_(gen.split()) {
    if (!(noise_std >= 0.0f))
        throw std::invalid_argument("Autoencoder: noise_std must be >= 0, got " + std::to_string(noise_std));
}

Variable Autoencoder::forward(const Variable& x) {
    const bool denoising = is_training() && noise_std_ > 0.0f;
    return decode(encode(denoising ? corrupt(x, noise_std_, noise_gen_) : x));
}

Variable Autoencoder::reconstruction_error(const Variable& x) {
    if (x.dim() < 2) throw ShapeError(type_name() + ": input must be [N, ...], got " + shape_str(x.shape()));
    // The target is always the clean x, even when forward() corrupted its input.
    const Variable diff = flatten(forward(x), 1) - flatten(x, 1);
    return mean(diff * diff, {1});
}

Variable Autoencoder::loss(const Variable& x) { return mean(reconstruction_error(x)); }

std::string Autoencoder::noise_repr() const {
    if (noise_std_ == 0.0f) return "";
    std::ostringstream os;
    os << ", noise_std=" << noise_std_;
    return os.str();
}

// ---- dense ----------------------------------------------------------------------------------

DenseAutoencoder::DenseAutoencoder(int64_t input_dim, const std::vector<int64_t>& hidden_dims, int64_t code_dim,
                                   Generator& gen, float noise_std)
    : Autoencoder(noise_std, gen), input_dim_(input_dim), code_dim_(code_dim) {
    if (input_dim < 1 || code_dim < 1)
        throw std::invalid_argument("DenseAutoencoder: input_dim and code_dim must be >= 1, got " +
                                    std::to_string(input_dim) + " and " + std::to_string(code_dim));
    // Widths input -> h_1 -> ... -> code, and the decoder walks them backwards.
    std::vector<int64_t> widths{input_dim};
    widths.insert(widths.end(), hidden_dims.begin(), hidden_dims.end());
    widths.push_back(code_dim);
    for (size_t i = 0; i + 1 < widths.size(); ++i) {
        encoder.emplace_back(Linear(widths[i], widths[i + 1], gen));
        encoder.emplace_back(ReLU());
    }
    for (size_t i = widths.size() - 1; i > 0; --i) {
        decoder.emplace_back(Linear(widths[i], widths[i - 1], gen));
        if (i > 1) decoder.emplace_back(ReLU());  // linear output layer
    }
    register_module("encoder", encoder);
    register_module("decoder", decoder);
}

Variable DenseAutoencoder::encode(const Variable& x) {
    if (x.dim() < 2 || x.numel() != x.size(0) * input_dim_)
        throw ShapeError("DenseAutoencoder: input must be [N, ...] with " + std::to_string(input_dim_) +
                         " values per sample, got " + shape_str(x.shape()));
    return encoder(flatten(x, 1));
}

Variable DenseAutoencoder::decode(const Variable& code) { return decoder(code); }

std::string DenseAutoencoder::extra_repr() const {
    return "input_dim=" + std::to_string(input_dim_) + ", code_dim=" + std::to_string(code_dim_) + noise_repr();
}

// ---- convolutional ---------------------------------------------------------------------------

Upsample1d::Upsample1d(int64_t scale) : scale_(scale) {
    if (scale < 1) throw std::invalid_argument("Upsample1d: scale must be >= 1, got " + std::to_string(scale));
}

/// \f$ y[n, c, t] = x[n, c, \lfloor t / s \rfloor] \f$: [N, C, L] -> [N, C, L, 1] -> [N, C, L, s] -> [N, C, sL].
Variable Upsample1d::forward(const Variable& x) {
    if (x.dim() != 3) throw ShapeError("Upsample1d: input must be [N, C, L], got " + shape_str(x.shape()));
    const int64_t N = x.size(0), C = x.size(1), L = x.size(2);
    return reshape(expand(unsqueeze(x, 3), {N, C, L, scale_}), {N, C, L * scale_});
}

ConvAutoencoder1d::ConvAutoencoder1d(int64_t in_channels, const std::vector<int64_t>& channels, Generator& gen,
                                     int64_t kernel_size, float noise_std)
    : Autoencoder(noise_std, gen), in_channels_(in_channels), levels_(static_cast<int64_t>(channels.size())) {
    if (in_channels < 1 || channels.empty())
        throw std::invalid_argument("ConvAutoencoder1d: needs in_channels >= 1 and at least one level of channels");
    if (kernel_size < 1 || kernel_size % 2 == 0)
        throw std::invalid_argument("ConvAutoencoder1d: kernel_size must be odd (for 'same' padding), got " +
                                    std::to_string(kernel_size));
    const int64_t pad = kernel_size / 2;
    std::vector<int64_t> widths{in_channels};
    widths.insert(widths.end(), channels.begin(), channels.end());
    // Stride 2 with padding k/2 maps length L to ceil(L / 2).
    for (size_t i = 0; i + 1 < widths.size(); ++i) {
        encoder.emplace_back(Conv1d(Conv1dOptions(widths[i], widths[i + 1], kernel_size).stride(2).padding(pad), gen));
        encoder.emplace_back(ReLU());
    }
    for (size_t i = widths.size() - 1; i > 0; --i) {
        decoder.emplace_back(Upsample1d(2));
        decoder.emplace_back(Conv1d(Conv1dOptions(widths[i], widths[i - 1], kernel_size).padding(pad), gen));
        if (i > 1) decoder.emplace_back(ReLU());
    }
    register_module("encoder", encoder);
    register_module("decoder", decoder);
}

Variable ConvAutoencoder1d::encode(const Variable& x) {
    const int64_t factor = int64_t{1} << levels_;
    if (x.dim() != 3 || x.size(1) != in_channels_ || x.size(2) % factor != 0 || x.size(2) == 0)
        throw ShapeError("ConvAutoencoder1d: input must be [N, " + std::to_string(in_channels_) +
                         ", L] with L a positive multiple of " + std::to_string(factor) + ", got " +
                         shape_str(x.shape()));
    return encoder(x);
}

Variable ConvAutoencoder1d::decode(const Variable& code) { return decoder(code); }

std::string ConvAutoencoder1d::extra_repr() const {
    return "in_channels=" + std::to_string(in_channels_) + ", levels=" + std::to_string(levels_) + noise_repr();
}

}  // namespace iotgrad::nn
