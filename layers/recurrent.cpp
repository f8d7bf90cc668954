#include "layers/recurrent.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include "autograd/ops.hpp"

namespace iotgrad::nn {

// ---- shared machinery ------------------------------------------------------------------

RecurrentBase::RecurrentBase(std::string type, int64_t gates, int64_t input_size, int64_t hidden_size, Generator& gen,
                             int64_t num_layers, bool bias, bool batch_first)
    : type_(std::move(type)),
      gates_(gates),
      input_size_(input_size),
      hidden_size_(hidden_size),
      num_layers_(num_layers),
      bias_(bias),
      batch_first_(batch_first) {
    if (input_size <= 0 || hidden_size <= 0)
        throw std::invalid_argument(type_ + ": input_size and hidden_size must be positive, got " +
                                    std::to_string(input_size) + " and " + std::to_string(hidden_size));
    if (num_layers < 1 || num_layers > kMaxLayers)
        throw std::invalid_argument(type_ + ": num_layers must be in 1.." + std::to_string(kMaxLayers) + ", got " +
                                    std::to_string(num_layers));
    // PyTorch: every weight and bias ~ U(-k, k) with k = 1/sqrt(hidden_size),
    // drawn in the order weight_ih, weight_hh, bias_ih, bias_hh of each layer.
    const float k = 1.0f / std::sqrt(static_cast<float>(hidden_size));
    const int64_t rows = gates * hidden_size;
    for (int64_t l = 0; l < num_layers; ++l) {
        LayerWeights& w = weights_[l];
        const int64_t in = l == 0 ? input_size : hidden_size;
        const std::string s = "_l" + std::to_string(l);
        w.w_ih = Variable(Tensor::rand({rows, in}, gen, -k, k));
        w.w_hh = Variable(Tensor::rand({rows, hidden_size}, gen, -k, k));
        register_parameter("weight_ih" + s, w.w_ih);
        register_parameter("weight_hh" + s, w.w_hh);
        if (bias) {
            w.b_ih = Variable(Tensor::rand({rows}, gen, -k, k));
            w.b_hh = Variable(Tensor::rand({rows}, gen, -k, k));
            register_parameter("bias_ih" + s, w.b_ih);
            register_parameter("bias_hh" + s, w.b_hh);
        }
    }
}

int64_t RecurrentBase::check_layer(int64_t layer) const {
    if (layer < 0 || layer >= num_layers_)
        throw std::out_of_range(type_ + ": layer " + std::to_string(layer) + " out of range for " +
                                std::to_string(num_layers_) + " layers");
    return layer;
}

std::string RecurrentBase::extra_repr() const {
    std::string s = std::to_string(input_size_) + ", " + std::to_string(hidden_size_);
    if (num_layers_ != 1) s += ", num_layers=" + std::to_string(num_layers_);
    if (!bias_) s += ", bias=false";
    if (batch_first_) s += ", batch_first=true";
    return s;
}

void RecurrentBase::check_state(const Variable& s, const char* name, int64_t batch) const {
    if (!s.defined()) return;
    const Shape want{num_layers_, batch, hidden_size_};
    if (s.shape() != want)
        throw ShapeError(type_ + ": initial " + name + " must be " + shape_str(want) +
                         " [num_layers, N, hidden], got " + shape_str(s.shape()));
}

Variable RecurrentBase::hidden_projection(int64_t layer, const Variable& h, const Variable& w_hh_t) const {
    Variable hw = matmul(h, w_hh_t);
    return bias_ ? hw + weights_[layer].b_hh : hw;
}

Variable RecurrentBase::forward(const Variable& x) { return forward(x, RecurrentState{}).output; }

RecurrentOutput RecurrentBase::forward(const Variable& x, const RecurrentState& initial) {
    if (x.dim() != 3 || x.size(2) != input_size_)
        throw ShapeError(type_ + ": input must be [T, N, " + std::to_string(input_size_) + "] ([N, T, " +
                         std::to_string(input_size_) + "] with batch_first), got " + shape_str(x.shape()));
    const int64_t time_dim = batch_first_ ? 1 : 0;
    const int64_t steps = x.size(time_dim), batch = x.size(1 - time_dim), H = hidden_size_;
    if (steps == 0) throw ShapeError(type_ + ": the input has no time steps, shape " + shape_str(x.shape()));
    check_state(initial.h, "h", batch);
    if (has_cell_state())
        check_state(initial.c, "c", batch);
    else if (initial.c.defined())
        throw std::invalid_argument(type_ + ": has no cell state, but an initial c was given");

    if (has_cell_state()) return forward_lstm(x, initial);

    // The sequence is kept as one Variable per step. Slicing one big [T, N, .]
    // Variable per step would make the backward quadratic in T: each slice's
    // gradient is a zero tensor of the full [T, N, .] shape. Per-step pieces
    // keep every gradient step-sized, and layer l+1 reads layer l's h_t directly.
    std::vector<Variable> seq(static_cast<size_t>(steps));
    for (int64_t t = 0; t < steps; ++t) seq[t] = select(x, time_dim, t);  // [N, in]

    std::vector<Variable> h_n, c_n;
    for (int64_t l = 0; l < num_layers_; ++l) {
        const LayerWeights& w = weights_[l];
        RecurrentState s;
        s.h = initial.h.defined() ? select(initial.h, 0, l) : Variable(Tensor::zeros({batch, H}));
        if (has_cell_state()) s.c = initial.c.defined() ? select(initial.c, 0, l) : Variable(Tensor::zeros({batch, H}));
        // Transposed views made once per sequence: their backward sums the
        // gradient of every step, which is BPTT's sum over time for W.
        const Variable w_ih_t = transpose(w.w_ih, 0, 1), w_hh_t = transpose(w.w_hh, 0, 1);
        for (int64_t t = 0; t < steps; ++t) {
            Variable xw = matmul(seq[t], w_ih_t);  // W_ih x_t + b_ih: [N, G*H]
            if (bias_) xw = xw + w.b_ih;
            s = cell(l, xw, w_hh_t, s);
            seq[t] = s.h;  // the next layer's input at step t
        }
        h_n.push_back(s.h);
        if (has_cell_state()) c_n.push_back(s.c);
    }
    RecurrentOutput out;
    out.output = stack(seq, time_dim);
    out.h_n = stack(h_n, 0);
    if (has_cell_state()) out.c_n = stack(c_n, 0);
    return out;
}

/// The LSTM (the one cell with a cell state) runs each layer over the whole
/// sequence as one fused node, lstm_layer (autograd/ops_lstm.cpp): the same
/// equations as LSTM::cell below, which stays as the readable specification
/// and which tests/autograd/test_fused_ops.cpp compares the kernel against.
RecurrentOutput RecurrentBase::forward_lstm(const Variable& x, const RecurrentState& initial) {
    const int64_t steps = x.size(batch_first_ ? 1 : 0), batch = x.size(batch_first_ ? 0 : 1), H = hidden_size_;
    Variable seq = batch_first_ ? transpose(x, 0, 1) : x;  // [T, N, in]
    std::vector<Variable> h_n, c_n;
    for (int64_t l = 0; l < num_layers_; ++l) {
        const LayerWeights& w = weights_[l];
        const Variable h0 = initial.h.defined() ? select(initial.h, 0, l) : Variable(Tensor::zeros({batch, H}));
        const Variable c0 = initial.c.defined() ? select(initial.c, 0, l) : Variable(Tensor::zeros({batch, H}));
        const Variable hc = lstm_layer(seq, h0, c0, w.w_ih, w.w_hh, w.b_ih, w.b_hh);  // [T, N, 2H]: h | c
        seq = slice(hc, 2, 0, H);
        h_n.push_back(select(seq, 0, steps - 1));
        c_n.push_back(select(slice(hc, 2, H, 2 * H), 0, steps - 1));
    }
    RecurrentOutput out;
    out.output = batch_first_ ? transpose(seq, 0, 1) : seq;
    out.h_n = stack(h_n, 0);
    out.c_n = stack(c_n, 0);
    return out;
}

// ---- the three cells ---------------------------------------------------------------------

RNN::RNN(int64_t input_size, int64_t hidden_size, Generator& gen, int64_t num_layers, bool bias, bool batch_first)
    : RecurrentBase("RNN", 1, input_size, hidden_size, gen, num_layers, bias, batch_first) {}

/// \f$ h_t = \tanh(xw_t + W_{hh} h_{t-1} + b_{hh}) \f$.
RecurrentState RNN::cell(int64_t layer, const Variable& xw_t, const Variable& w_hh_t,
                         const RecurrentState& prev) const {
    return {tanh(xw_t + hidden_projection(layer, prev.h, w_hh_t)), Variable()};
}

LSTM::LSTM(int64_t input_size, int64_t hidden_size, Generator& gen, int64_t num_layers, bool bias, bool batch_first)
    : RecurrentBase("LSTM", 4, input_size, hidden_size, gen, num_layers, bias, batch_first) {}

/// Gates in blocks of H columns, order i, f, g, o;
/// \f$ c_t = f \odot c_{t-1} + i \odot g,\ h_t = o \odot \tanh(c_t) \f$.
RecurrentState LSTM::cell(int64_t layer, const Variable& xw_t, const Variable& w_hh_t,
                          const RecurrentState& prev) const {
    const int64_t H = hidden_size();
    const Variable gates = xw_t + hidden_projection(layer, prev.h, w_hh_t);  // [N, 4H]
    const Variable i = sigmoid(slice(gates, 1, 0, H));
    const Variable f = sigmoid(slice(gates, 1, H, 2 * H));
    const Variable g = tanh(slice(gates, 1, 2 * H, 3 * H));
    const Variable o = sigmoid(slice(gates, 1, 3 * H, 4 * H));
    const Variable c = f * prev.c + i * g;
    return {o * tanh(c), c};
}

GRU::GRU(int64_t input_size, int64_t hidden_size, Generator& gen, int64_t num_layers, bool bias, bool batch_first)
    : RecurrentBase("GRU", 3, input_size, hidden_size, gen, num_layers, bias, batch_first) {}

/// Gates r, z, n; the reset gate scales \f$ W_{hn} h + b_{hn} \f$ (PyTorch's form),
/// and \f$ h_t = (1 - z) \odot n + z \odot h_{t-1} = n + z \odot (h_{t-1} - n) \f$.
RecurrentState GRU::cell(int64_t layer, const Variable& xw_t, const Variable& w_hh_t,
                         const RecurrentState& prev) const {
    const int64_t H = hidden_size();
    const Variable hw = hidden_projection(layer, prev.h, w_hh_t);  // [N, 3H]
    const Variable r = sigmoid(slice(xw_t, 1, 0, H) + slice(hw, 1, 0, H));
    const Variable z = sigmoid(slice(xw_t, 1, H, 2 * H) + slice(hw, 1, H, 2 * H));
    const Variable n = tanh(slice(xw_t, 1, 2 * H, 3 * H) + r * slice(hw, 1, 2 * H, 3 * H));
    return {n + z * (prev.h - n), Variable()};
}

}  // namespace iotgrad::nn
