/// \file
/// Recurrent layers: the Elman RNN (tanh), LSTM and GRU, with PyTorch's
/// argument order, gate order, parameter names, weight layouts and default
/// initialization, so a state_dict moves between the two unchanged.
///
/// Each layer is written as its unrolled equations: every time step is an
/// input product \f$ W_{ih} x_t \f$, a recurrent product \f$ W_{hh} h_{t-1} \f$
/// and the gates, built from ordinary differentiable ops. Backpropagation
/// through time (BPTT) is therefore nothing special: the autograd engine
/// walks the unrolled graph backwards like any other graph, and the gradient
/// of a weight is the sum of its contributions at every step,
/// \f$ \partial L/\partial W = \sum_t \partial L/\partial W|_t \f$.
///
/// Why not one matrix product for the input side of all steps at once? It
/// would need a [T, N, G*hidden] result sliced per step, and the backward of
/// each slice is a zero tensor of the full size: T slices make the backward
/// quadratic in T. Per-step products keep every gradient step-sized.
#pragma once
#include <array>
#include <string>

#include "layers/module.hpp"
#include "tensor/random.hpp"

namespace iotgrad::nn {

/// An initial state for a recurrent layer. Undefined members mean zeros.
/// h is [num_layers, N, hidden]; c (LSTM only) likewise.
struct RecurrentState {
    Variable h{};
    Variable c{};  // default initializers: `{h0}` alone is a complete state
};

/// What a recurrent layer returns, like PyTorch's `output, h_n` / `output, (h_n, c_n)`.
struct RecurrentOutput {
    /// Hidden state of the last layer at every step: [T, N, hidden] ([N, T, hidden] with batch_first).
    Variable output;
    /// Final hidden state of every layer: [num_layers, N, hidden] (never batch-first, as in PyTorch).
    Variable h_n;
    /// Final cell state of every layer (LSTM only; undefined for RNN and GRU).
    Variable c_n;
};

/// What RNN, LSTM and GRU share: parameters, input layout, the loop over
/// layers and time steps. Only the cell (one step of one layer) differs.
///
/// Layer k has `weight_ih_l{k}` [G*hidden, in_k], `weight_hh_l{k}` [G*hidden, hidden],
/// `bias_ih_l{k}` and `bias_hh_l{k}` [G*hidden] (in_0 = input_size, later
/// layers take the hidden state below), all drawn from
/// \f$ U(-1/\sqrt{hidden}, 1/\sqrt{hidden}) \f$ as PyTorch does.
class RecurrentBase : public Module {
public:
    /// Module registers parameters as members, so the per-layer weights live
    /// in a fixed-size array; 8 stacked layers is far beyond IoT models.
    static constexpr int64_t kMaxLayers = 8;

    /// The output sequence only, so the layer can sit in a Sequential.
    Variable forward(const Variable& x) override;
    /// The output sequence and the final states; `initial` may be `{}` (zeros).
    /// x is [T, N, input_size], or [N, T, input_size] with batch_first.
    RecurrentOutput forward(const Variable& x, const RecurrentState& initial);

    int64_t input_size() const { return input_size_; }
    int64_t hidden_size() const { return hidden_size_; }
    int64_t num_layers() const { return num_layers_; }
    bool batch_first() const { return batch_first_; }
    bool has_bias() const { return bias_; }

    /// Direct access to layer k's parameters (PyTorch's `weight_ih_l0` etc.).
    Variable& weight_ih(int64_t layer) { return weights_.at(check_layer(layer)).w_ih; }
    Variable& weight_hh(int64_t layer) { return weights_.at(check_layer(layer)).w_hh; }
    Variable& bias_ih(int64_t layer) { return weights_.at(check_layer(layer)).b_ih; }
    Variable& bias_hh(int64_t layer) { return weights_.at(check_layer(layer)).b_hh; }

    std::string type_name() const override { return type_; }
    std::string extra_repr() const override;

protected:
    /// gates: G, the number of stacked gate blocks (RNN 1, LSTM 4, GRU 3).
    RecurrentBase(std::string type, int64_t gates, int64_t input_size, int64_t hidden_size, Generator& gen,
                  int64_t num_layers, bool bias, bool batch_first);

    /// One step of one layer: the new state from \f$ xw_t = W_{ih} x_t + b_{ih} \f$
    /// ([N, G*hidden]) and the previous state.
    virtual RecurrentState cell(int64_t layer, const Variable& xw_t, const Variable& w_hh_t,
                                const RecurrentState& prev) const = 0;
    /// True for LSTM, which carries a cell state c next to h.
    virtual bool has_cell_state() const { return false; }
    /// \f$ W_{hh} h + b_{hh} \f$ for layer k, with w_hh_t = \f$ W_{hh}^\top \f$ (made once per sequence).
    Variable hidden_projection(int64_t layer, const Variable& h, const Variable& w_hh_t) const;
    /// The LSTM's fast path: one fused lstm_layer node per layer.
    RecurrentOutput forward_lstm(const Variable& x, const RecurrentState& initial);

private:
    int64_t check_layer(int64_t layer) const;
    void check_state(const Variable& s, const char* name, int64_t batch) const;

    struct LayerWeights {
        Variable w_ih, w_hh, b_ih, b_hh;
    };
    std::string type_;
    int64_t gates_, input_size_, hidden_size_, num_layers_;
    bool bias_, batch_first_;
    std::array<LayerWeights, kMaxLayers> weights_;
};

/// Elman RNN with tanh, one step per time t:
/// \f[ h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}) \f]
/// Stacked layers feed each layer's h_t to the next as its x_t.
class RNN : public RecurrentBase {
public:
    RNN(int64_t input_size, int64_t hidden_size, Generator& gen, int64_t num_layers = 1, bool bias = true,
        bool batch_first = false);

protected:
    RecurrentState cell(int64_t layer, const Variable& xw_t, const Variable& w_hh_t,
                        const RecurrentState& prev) const override;
};

/// Long short-term memory (Hochreiter & Schmidhuber, 1997), PyTorch's gate order i, f, g, o:
/// - \f$ i_t = \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \f$
/// - \f$ f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \f$
/// - \f$ g_t = \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \f$
/// - \f$ o_t = \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \f$
/// - \f$ c_t = f_t \odot c_{t-1} + i_t \odot g_t \f$
/// - \f$ h_t = o_t \odot \tanh(c_t) \f$
/// The four blocks are stacked in that order in `weight_ih_l{k}` [4*hidden, in].
/// The additive path \f$ c_{t-1} \to c_t \f$ (gradient \f$ f_t \f$ per step) is why
/// BPTT through an LSTM vanishes much more slowly than through a plain RNN.
class LSTM : public RecurrentBase {
public:
    LSTM(int64_t input_size, int64_t hidden_size, Generator& gen, int64_t num_layers = 1, bool bias = true,
         bool batch_first = false);

protected:
    RecurrentState cell(int64_t layer, const Variable& xw_t, const Variable& w_hh_t,
                        const RecurrentState& prev) const override;
    bool has_cell_state() const override { return true; }
};

/// Gated recurrent unit (Cho et al., 2014), PyTorch's gate order r, z, n:
/// - \f$ r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}) \f$
/// - \f$ z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}) \f$
/// - \f$ n_t = \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})) \f$
/// - \f$ h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1} \f$
/// Note r multiplies \f$ W_{hn} h + b_{hn} \f$ including its bias, exactly as
/// PyTorch (and cuDNN) do; the original paper applies r before the product.
class GRU : public RecurrentBase {
public:
    GRU(int64_t input_size, int64_t hidden_size, Generator& gen, int64_t num_layers = 1, bool bias = true,
        bool batch_first = false);

protected:
    RecurrentState cell(int64_t layer, const Variable& xw_t, const Variable& w_hh_t,
                        const RecurrentState& prev) const override;
};

}  // namespace iotgrad::nn
