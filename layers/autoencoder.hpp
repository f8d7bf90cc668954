/// \file
/// Autoencoders as worked models. An encoder maps the input x to a smaller
/// code \f$ z = f(x) \f$, a decoder maps the code back to a reconstruction
/// \f$ \hat x = g(z) \f$, and training minimizes the reconstruction error
/// \f$ \lVert x - \hat x \rVert^2 \f$: the code must keep what matters to
/// rebuild x. On IoT data the per-sample error is an anomaly score: a window
/// unlike the training data reconstructs badly.
///
/// Denoising autoencoders (Vincent et al., 2008) corrupt the input with
/// noise while the target stays the clean x, so the model cannot just copy
/// its input: \f$ \min \lVert x - g(f(x + \varepsilon)) \rVert^2,\ \varepsilon \sim \mathcal N(0, \sigma^2) \f$.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "layers/module.hpp"
#include "tensor/random.hpp"

namespace iotgrad::nn {

/// \f$ x + \varepsilon \f$ with \f$ \varepsilon \sim \mathcal N(0, \mathrm{noise\_std}^2) \f$ drawn from gen;
/// the noise is a constant, so the gradient flows to x unchanged.
Variable corrupt(const Variable& x, float noise_std, Generator& gen);

/// Encoder and decoder, and the reconstruction error they are trained on.
///
/// With noise_std > 0 the model is a denoising autoencoder: in training mode
/// forward() corrupts its input first (corrupt(), with the model's own
/// generator); in evaluation mode it never does. reconstruction_error always
/// compares against the clean input.
class Autoencoder : public Module {
public:
    /// The code z = f(x).
    virtual Variable encode(const Variable& x) = 0;
    /// The reconstruction \f$ \hat x = g(z) \f$.
    virtual Variable decode(const Variable& code) = 0;
    /// \f$ g(f(x)) \f$, or \f$ g(f(x + \varepsilon)) \f$ when denoising in training mode.
    Variable forward(const Variable& x) override;

    /// Per-sample mean squared error [N]:
    /// \f$ e_n = \frac{1}{D} \sum_j (\hat x_{nj} - x_{nj})^2 \f$ over the D values of sample n.
    /// Its mean over the batch is the training loss (PyTorch's mse_loss(forward(x), x)).
    Variable reconstruction_error(const Variable& x);
    /// The training loss: the mean of reconstruction_error(x).
    Variable loss(const Variable& x);

    float noise_std() const { return noise_std_; }

protected:
    /// ", noise_std=0.1" for a denoising model, else "" (for extra_repr).
    std::string noise_repr() const;
    Autoencoder(float noise_std, Generator& gen);
    Autoencoder(Autoencoder&&) = default;

private:
    float noise_std_;
    Generator noise_gen_;
};

/// A fully connected autoencoder on flattened inputs, mirroring the
/// benchmark's Autoencoder: encoder Linear(input_dim, h_1), ReLU, ...,
/// Linear(h_last, code_dim), ReLU; decoder the mirror image with a linear
/// output layer. Submodules "encoder" and "decoder" are Sequentials, so the
/// parameter names ("encoder.0.weight", "decoder.2.bias", ...) match PyTorch's.
/// Inputs of any shape [N, ...] are flattened to [N, input_dim]; the output is [N, input_dim].
class DenseAutoencoder : public Autoencoder {
public:
    DenseAutoencoder(int64_t input_dim, const std::vector<int64_t>& hidden_dims, int64_t code_dim, Generator& gen,
                     float noise_std = 0.0f);
    DenseAutoencoder(DenseAutoencoder&&) = default;

    Variable encode(const Variable& x) override;
    Variable decode(const Variable& code) override;
    std::string type_name() const override { return "DenseAutoencoder"; }
    std::string extra_repr() const override;

    Sequential encoder, decoder;

private:
    int64_t input_dim_, code_dim_;
};

/// Nearest-neighbour upsampling of [N, C, L] to [N, C, scale * L]: each step is
/// repeated scale times (a reshape of an expand; the backward sums the copies).
class Upsample1d : public Module {
public:
    explicit Upsample1d(int64_t scale = 2);
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "Upsample1d"; }
    std::string extra_repr() const override { return "scale=" + std::to_string(scale_) + ", mode=nearest"; }

private:
    int64_t scale_;
};

/// A convolutional autoencoder for sensor windows [N, C, L]. Each encoder
/// level halves the length: Conv1d(k, stride 2, padding k/2), ReLU. Each
/// decoder level doubles it back: Upsample1d(2), Conv1d(k, stride 1, padding
/// k/2), ReLU (none after the last, so the output can take any sign).
/// iotgrad has no transposed convolution, so the decoder upsamples by nearest
/// neighbour and then convolves (which also avoids the checkerboard artefacts
/// of strided transposed convolutions). The length L must be a multiple of
/// \f$ 2^{\text{levels}} \f$ and the kernel odd, so the output is [N, C, L] again.
class ConvAutoencoder1d : public Autoencoder {
public:
    /// channels: the encoder's channel counts per level, e.g. {16, 32}; the code is [N, channels.back(), L / 2^levels].
    ConvAutoencoder1d(int64_t in_channels, const std::vector<int64_t>& channels, Generator& gen,
                      int64_t kernel_size = 5, float noise_std = 0.0f);
    ConvAutoencoder1d(ConvAutoencoder1d&&) = default;

    Variable encode(const Variable& x) override;
    Variable decode(const Variable& code) override;
    std::string type_name() const override { return "ConvAutoencoder1d"; }
    std::string extra_repr() const override;

    Sequential encoder, decoder;

private:
    int64_t in_channels_, levels_;
};

}  // namespace iotgrad::nn
