/// \file
/// Recurrent layers: the Elman RNN (tanh or ReLU), LSTM and GRU, with
/// PyTorch's options, gate order, parameter names, weight layouts and default
/// initialization, so a state_dict moves between the two unchanged:
/// \code
/// nn::LSTM lstm(nn::LSTMOptions(9, 64).num_layers(2).bidirectional(true).batch_first(true), gen);
/// \endcode
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
///
/// Taught in \ref tutorial_07_rnn_lstm (the RNN cell by hand, BPTT, the LSTM on sensor windows).
#pragma once
#include <array>
#include <string>

#include "layers/module.hpp"
#include "layers/options.hpp"
#include "tensor/random.hpp"

namespace iotgrad::nn {

/// Options of nn::RNN, as PyTorch's `torch::nn::RNNOptions`: the sizes are
/// required, the rest has PyTorch's defaults.
class RNNOptions {
public:
    /// The two required sizes: features per step in, hidden units per layer.
    RNNOptions(int64_t input_size, int64_t hidden_size) : input_size_(input_size), hidden_size_(hidden_size) {}
    /// Features of x at each step.
    IOTGRAD_OPTION(int64_t, input_size);
    /// Features of h (per direction).
    IOTGRAD_OPTION(int64_t, hidden_size);
    /// Stacked layers: layer k > 0 reads layer k-1's outputs.
    IOTGRAD_OPTION(int64_t, num_layers) = 1;
    /// "tanh" (default) or "relu": the RNN's activation.
    IOTGRAD_OPTION(std::string, nonlinearity) = "tanh";
    /// With false, no bias_ih / bias_hh parameters.
    IOTGRAD_OPTION(bool, bias) = true;
    /// Input and output as [N, T, .] instead of [T, N, .] (h_n stays [layers, N, hidden]).
    IOTGRAD_OPTION(bool, batch_first) = false;
    /// Dropout probability on the outputs of every layer but the last (training only).
    IOTGRAD_OPTION(float, dropout) = 0.0f;
    /// A second direction per layer, running over reversed time.
    IOTGRAD_OPTION(bool, bidirectional) = false;
};

/// Options of nn::LSTM and nn::GRU, as PyTorch's `torch::nn::LSTMOptions`
/// (without proj_size) and `torch::nn::GRUOptions`, which hold the same fields.
class RecurrentOptions {
public:
    /// The two required sizes: features per step in, hidden units per layer.
    RecurrentOptions(int64_t input_size, int64_t hidden_size) : input_size_(input_size), hidden_size_(hidden_size) {}
    /// Features of x at each step.
    IOTGRAD_OPTION(int64_t, input_size);
    /// Features of h (and of the LSTM's c), per direction.
    IOTGRAD_OPTION(int64_t, hidden_size);
    /// Stacked layers: layer k > 0 reads layer k-1's outputs.
    IOTGRAD_OPTION(int64_t, num_layers) = 1;
    /// With false, no bias_ih / bias_hh parameters.
    IOTGRAD_OPTION(bool, bias) = true;
    /// Input and output as [N, T, .] instead of [T, N, .] (h_n, c_n stay [layers, N, hidden]).
    IOTGRAD_OPTION(bool, batch_first) = false;
    /// Dropout probability on the outputs of every layer but the last (training only).
    IOTGRAD_OPTION(float, dropout) = 0.0f;
    /// A second direction per layer, running over reversed time.
    IOTGRAD_OPTION(bool, bidirectional) = false;
};
/// Options of nn::LSTM: `LSTMOptions(9, 64).num_layers(2)`.
using LSTMOptions = RecurrentOptions;
/// Options of nn::GRU: `GRUOptions(9, 64).bidirectional(true)`.
using GRUOptions = RecurrentOptions;

/// An initial state for a recurrent layer. Undefined members mean zeros.
/// h is [num_layers * D, N, hidden] (D = 2 if bidirectional, else 1); c (LSTM only) likewise.
struct RecurrentState {
    Variable h{};
    Variable c{};  // default initializers: `{h0}` alone is a complete state
};

/// What a recurrent layer returns, like PyTorch's `output, h_n` / `output, (h_n, c_n)`.
struct RecurrentOutput {
    /// Hidden state of the last layer at every step: [T, N, D*hidden] ([N, T, D*hidden]
    /// with batch_first); bidirectional: forward h_t in the first hidden columns, reverse in the last.
    Variable output;
    /// Final hidden state of every layer and direction: [num_layers * D, N, hidden], ordered
    /// layer 0 forward, layer 0 reverse, layer 1 forward, ... (never batch-first, as in PyTorch).
    /// The reverse direction's final state is the one after reading x_0.
    Variable h_n;
    /// Final cell state of every layer and direction (LSTM only; undefined for RNN and GRU).
    Variable c_n;
};

/// What RNN, LSTM and GRU share: parameters, input layout, the loop over
/// layers, directions and time steps. Only the cell (one step of one layer) differs.
///
/// Layer k has `weight_ih_l{k}` [G*hidden, in_k], `weight_hh_l{k}` [G*hidden, hidden],
/// `bias_ih_l{k}` and `bias_hh_l{k}` [G*hidden] (in_0 = input_size, later
/// layers take the D*hidden outputs below), all drawn from
/// \f$ U(-1/\sqrt{hidden}, 1/\sqrt{hidden}) \f$ as PyTorch does. A bidirectional
/// layer has a second set named `..._l{k}_reverse`, which reads the sequence
/// from the last step to the first:
/// \f$ \overleftarrow{h}_t = \mathrm{cell}(x_t, \overleftarrow{h}_{t+1}) \f$, and the
/// layer's output at step t is \f$ [\overrightarrow{h}_t ; \overleftarrow{h}_t] \f$.
///
/// With dropout p > 0 and in training mode, each layer's output (except the
/// last layer's) is multiplied by an inverted-dropout mask (nn::dropout_mask)
/// before the next layer reads it. The masks come from the layer's own
/// generator, split off the constructor's generator after the weights are drawn
/// (only when p > 0, so layers without dropout draw exactly as before).
class RecurrentBase : public Module {
public:
    /// Module registers parameters as members, so the per-layer weights live
    /// in a fixed-size array (2 * kMaxLayers entries: two directions per
    /// layer); 8 stacked layers is far beyond IoT models.
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
    /// True if every layer also runs over reversed time.
    bool bidirectional() const { return directions_ == 2; }
    /// 2 if bidirectional, else 1 (PyTorch's D).
    int64_t num_directions() const { return directions_; }
    /// The dropout probability between layers.
    float dropout() const { return dropout_; }

    /// Direct access to layer k's parameters (PyTorch's `weight_ih_l0`; direction 1 is `weight_ih_l0_reverse`).
    Variable& weight_ih(int64_t layer, int64_t direction = 0) { return weights_.at(check_index(layer, direction)).w_ih; }
    /// `weight_hh_l{layer}` (direction 1: `..._reverse`).
    Variable& weight_hh(int64_t layer, int64_t direction = 0) { return weights_.at(check_index(layer, direction)).w_hh; }
    /// `bias_ih_l{layer}` (direction 1: `..._reverse`); undefined without bias.
    Variable& bias_ih(int64_t layer, int64_t direction = 0) { return weights_.at(check_index(layer, direction)).b_ih; }
    /// `bias_hh_l{layer}` (direction 1: `..._reverse`); undefined without bias.
    Variable& bias_hh(int64_t layer, int64_t direction = 0) { return weights_.at(check_index(layer, direction)).b_hh; }

    std::string type_name() const override { return type_; }
    std::string extra_repr() const override;

protected:
    /// The options the three layers share (RNN's nonlinearity too: relu = false for LSTM and GRU).
    struct Config {
        int64_t input_size, hidden_size, num_layers;
        bool bias, batch_first, bidirectional;
        float dropout;
        bool relu;
    };
    /// The Config of an RNNOptions, LSTMOptions or GRUOptions.
    template <class Options>
    static Config config_of(const Options& o, bool relu = false) {
        return {o.input_size(), o.hidden_size(), o.num_layers(), o.bias(), o.batch_first(), o.bidirectional(),
                o.dropout(), relu};
    }

    /// gates: G, the number of stacked gate blocks (RNN 1, LSTM 4, GRU 3).
    RecurrentBase(std::string type, int64_t gates, const Config& config, Generator& gen);

    /// One step of one layer and direction (its weights are weights_[index],
    /// index = layer * D + direction): the new state from
    /// \f$ xw_t = W_{ih} x_t + b_{ih} \f$ ([N, G*hidden]) and the previous state.
    virtual RecurrentState cell(int64_t index, const Variable& xw_t, const Variable& w_hh_t,
                                const RecurrentState& prev) const = 0;
    /// True for LSTM, which carries a cell state c next to h.
    virtual bool has_cell_state() const { return false; }
    /// \f$ W_{hh} h + b_{hh} \f$ for weights_[index], with w_hh_t = \f$ W_{hh}^\top \f$ (made once per sequence).
    Variable hidden_projection(int64_t index, const Variable& h, const Variable& w_hh_t) const;
    /// The LSTM's fast path: one fused lstm_layer node per layer and direction.
    RecurrentOutput forward_lstm(const Variable& x, const RecurrentState& initial);
    /// True for an RNN built with nonlinearity "relu".
    bool relu_;

private:
    int64_t check_index(int64_t layer, int64_t direction) const;
    void check_state(const Variable& s, const char* name, int64_t batch) const;
    /// Dropout between layers: applies after layer `layer` (not the last) in training mode with p > 0.
    bool drops_after(int64_t layer) const;

    struct LayerWeights {
        Variable w_ih, w_hh, b_ih, b_hh;
    };
    std::string type_;
    int64_t gates_, input_size_, hidden_size_, num_layers_, directions_;
    bool bias_, batch_first_;
    float dropout_;
    Generator dropout_gen_;
    std::array<LayerWeights, 2 * kMaxLayers> weights_;
};

/// Elman RNN, one step per time t:
/// \f[ h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}) \f]
/// (ReLU instead of tanh with nonlinearity "relu").
/// Stacked layers feed each layer's h_t to the next as its x_t.
class RNN : public RecurrentBase {
public:
    /// The options struct of this layer (for code templated on the layer type).
    using Options = RNNOptions;
    /// Weights drawn from gen in PyTorch's order (layer by layer, forward before reverse).
    RNN(const RNNOptions& options, Generator& gen);
    /// One layer, tanh, with bias, time-major: `RNN(RNNOptions(input_size, hidden_size), gen)`.
    RNN(int64_t input_size, int64_t hidden_size, Generator& gen);

protected:
    RecurrentState cell(int64_t index, const Variable& xw_t, const Variable& w_hh_t,
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
    /// The options struct of this layer (for code templated on the layer type).
    using Options = LSTMOptions;
    /// Weights drawn from gen in PyTorch's order (layer by layer, forward before reverse).
    LSTM(const LSTMOptions& options, Generator& gen);
    /// One layer, with bias, time-major: `LSTM(LSTMOptions(input_size, hidden_size), gen)`.
    LSTM(int64_t input_size, int64_t hidden_size, Generator& gen);

protected:
    RecurrentState cell(int64_t index, const Variable& xw_t, const Variable& w_hh_t,
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
    /// The options struct of this layer (for code templated on the layer type).
    using Options = GRUOptions;
    /// Weights drawn from gen in PyTorch's order (layer by layer, forward before reverse).
    GRU(const GRUOptions& options, Generator& gen);
    /// One layer, with bias, time-major: `GRU(GRUOptions(input_size, hidden_size), gen)`.
    GRU(int64_t input_size, int64_t hidden_size, Generator& gen);

protected:
    RecurrentState cell(int64_t index, const Variable& xw_t, const Variable& w_hh_t,
                        const RecurrentState& prev) const override;
};

}  // namespace iotgrad::nn
