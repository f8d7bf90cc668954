#include "layers/recurrent.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "autograd/ops.hpp"
#include "layers/dropout.hpp"

namespace iotgrad::nn {

// ---- shared machinery ------------------------------------------------------------------

RecurrentBase::RecurrentBase(std::string type, int64_t gates, const Config& config, Generator& gen)
    : relu_(config.relu),
      type_(std::move(type)),
      gates_(gates),
      input_size_(config.input_size),
      hidden_size_(config.hidden_size),
      num_layers_(config.num_layers),
      directions_(config.bidirectional ? 2 : 1),
      bias_(config.bias),
      batch_first_(config.batch_first),
      dropout_(config.dropout) {
    if (input_size_ <= 0 || hidden_size_ <= 0)
        throw std::invalid_argument(type_ + ": input_size and hidden_size must be positive, got " +
                                    std::to_string(input_size_) + " and " + std::to_string(hidden_size_));
    if (num_layers_ < 1 || num_layers_ > kMaxLayers)
        throw std::invalid_argument(type_ + ": num_layers must be in 1.." + std::to_string(kMaxLayers) + ", got " +
                                    std::to_string(num_layers_) + " (RecurrentBase::kMaxLayers)");
    if (num_layers_ * directions_ > static_cast<int64_t>(weights_.size()))  // unreachable while the array is 2 * kMaxLayers
        throw std::invalid_argument(type_ + ": " + std::to_string(num_layers_) + " layers x " +
                                    std::to_string(directions_) + " directions exceed the " +
                                    std::to_string(weights_.size()) + " weight sets of RecurrentBase");
    if (!(dropout_ >= 0.0f && dropout_ <= 1.0f))
        throw std::invalid_argument(type_ + ": dropout must be in [0, 1], got " + std::to_string(dropout_));
    // PyTorch: every weight and bias ~ U(-k, k) with k = 1/sqrt(hidden_size),
    // drawn in the order weight_ih, weight_hh, bias_ih, bias_hh of each layer,
    // forward direction before reverse (torch's _flat_weights_names).
    const float k = 1.0f / std::sqrt(static_cast<float>(hidden_size_));
    const int64_t rows = gates * hidden_size_;
    for (int64_t l = 0; l < num_layers_; ++l) {
        for (int64_t d = 0; d < directions_; ++d) {
            LayerWeights& w = weights_[l * directions_ + d];
            const int64_t in = l == 0 ? input_size_ : directions_ * hidden_size_;
            const std::string s = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
            w.w_ih = Variable(Tensor::rand({rows, in}, gen, -k, k));
            w.w_hh = Variable(Tensor::rand({rows, hidden_size_}, gen, -k, k));
            register_parameter("weight_ih" + s, w.w_ih);
            register_parameter("weight_hh" + s, w.w_hh);
            if (bias_) {
                w.b_ih = Variable(Tensor::rand({rows}, gen, -k, k));
                w.b_hh = Variable(Tensor::rand({rows}, gen, -k, k));
                register_parameter("bias_ih" + s, w.b_ih);
                register_parameter("bias_hh" + s, w.b_hh);
            }
        }
    }
    // The dropout masks' own generator, as nn::Dropout takes it (one draw of gen);
    // only with dropout, so a layer without it leaves gen as it always did.
    if (dropout_ > 0.0f) dropout_gen_ = gen.split();
}

int64_t RecurrentBase::check_index(int64_t layer, int64_t direction) const {
    if (layer < 0 || layer >= num_layers_)
        throw std::out_of_range(type_ + ": layer " + std::to_string(layer) + " out of range for " +
                                std::to_string(num_layers_) + " layers");
    if (direction < 0 || direction >= directions_)
        throw std::out_of_range(type_ + ": direction " + std::to_string(direction) + " out of range (" +
                                (directions_ == 2 ? "0 forward, 1 reverse)" : "0 only: not bidirectional)"));
    return layer * directions_ + direction;
}

std::string RecurrentBase::extra_repr() const {
    std::string s = std::to_string(input_size_) + ", " + std::to_string(hidden_size_);
    if (num_layers_ != 1) s += ", num_layers=" + std::to_string(num_layers_);
    if (relu_) s += ", nonlinearity=relu";
    if (!bias_) s += ", bias=false";
    if (batch_first_) s += ", batch_first=true";
    if (dropout_ != 0.0f) {
        std::ostringstream os;
        os << ", dropout=" << dropout_;
        s += os.str();
    }
    if (directions_ == 2) s += ", bidirectional=true";
    return s;
}

void RecurrentBase::check_state(const Variable& s, const char* name, int64_t batch) const {
    if (!s.defined()) return;
    const Shape want{num_layers_ * directions_, batch, hidden_size_};
    if (s.shape() != want)
        throw ShapeError(type_ + ": initial " + name + " must be " + shape_str(want) +
                         (directions_ == 2 ? " [num_layers * 2, N, hidden]" : " [num_layers, N, hidden]") + ", got " +
                         shape_str(s.shape()));
}

bool RecurrentBase::drops_after(int64_t layer) const {
    return dropout_ > 0.0f && is_training() && layer + 1 < num_layers_;
}

Variable RecurrentBase::hidden_projection(int64_t index, const Variable& h, const Variable& w_hh_t) const {
    Variable hw = matmul(h, w_hh_t);
    return bias_ ? hw + weights_[index].b_hh : hw;
}

Variable RecurrentBase::forward(const Variable& x) { return forward(x, RecurrentState{}).output; }

RecurrentOutput RecurrentBase::forward(const Variable& x, const RecurrentState& initial) {
    if (x.dim() != 3 || x.size(2) != input_size_)
        throw ShapeError(type_ + ": input must be [T, N, " + std::to_string(input_size_) + "] ([N, T, " +
                         std::to_string(input_size_) + "] with batch_first), got " + shape_str(x.shape()));
    const int64_t time_dim = batch_first_ ? 1 : 0;
    const int64_t steps = x.size(time_dim), batch = x.size(1 - time_dim), H = hidden_size_, D = directions_;
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
    std::vector<std::vector<Variable>> outs(static_cast<size_t>(D), std::vector<Variable>(static_cast<size_t>(steps)));
    for (int64_t l = 0; l < num_layers_; ++l) {
        for (int64_t d = 0; d < D; ++d) {
            const int64_t index = l * D + d;  // PyTorch's order: l0 forward, l0 reverse, l1 forward, ...
            const LayerWeights& w = weights_[index];
            RecurrentState s;
            s.h = initial.h.defined() ? select(initial.h, 0, index) : Variable(Tensor::zeros({batch, H}));
            if (has_cell_state())
                s.c = initial.c.defined() ? select(initial.c, 0, index) : Variable(Tensor::zeros({batch, H}));
            // Transposed views made once per sequence: their backward sums the
            // gradient of every step, which is BPTT's sum over time for W.
            const Variable w_ih_t = transpose(w.w_ih, 0, 1), w_hh_t = transpose(w.w_hh, 0, 1);
            for (int64_t k = 0; k < steps; ++k) {
                const int64_t t = d == 0 ? k : steps - 1 - k;  // the reverse direction starts at x_{T-1}
                Variable xw = matmul(seq[t], w_ih_t);           // W_ih x_t + b_ih: [N, G*H]
                if (bias_) xw = xw + w.b_ih;
                s = cell(index, xw, w_hh_t, s);
                outs[d][t] = s.h;
            }
            h_n.push_back(s.h);
            if (has_cell_state()) c_n.push_back(s.c);
        }
        // The next layer's input at step t: h_t, or [forward h_t ; reverse h_t] ([N, 2H]).
        for (int64_t t = 0; t < steps; ++t) seq[t] = D == 1 ? outs[0][t] : concat({outs[0][t], outs[1][t]}, 1);
        if (drops_after(l)) {
            const Tensor mask = dropout_mask({steps, batch, D * H}, dropout_, dropout_gen_);
            for (int64_t t = 0; t < steps; ++t) seq[t] = seq[t] * Variable(mask.select(0, t));
        }
    }
    RecurrentOutput out;
    out.output = stack(seq, time_dim);
    out.h_n = stack(h_n, 0);
    if (has_cell_state()) out.c_n = stack(c_n, 0);
    return out;
}

/// The LSTM (the one cell with a cell state) runs each layer and direction
/// over the whole sequence as one fused node, lstm_layer (autograd/ops_lstm.cpp):
/// the same equations as LSTM::cell below, which stays as the readable
/// specification and which tests/autograd/test_fused_ops.cpp compares the
/// kernel against. The reverse direction is the same kernel on the sequence
/// reversed in time (index_select with T-1, ..., 0), its outputs reversed back.
RecurrentOutput RecurrentBase::forward_lstm(const Variable& x, const RecurrentState& initial) {
    const int64_t steps = x.size(batch_first_ ? 1 : 0), batch = x.size(batch_first_ ? 0 : 1), H = hidden_size_;
    const int64_t D = directions_;
    const Tensor backwards =  // T-1, ..., 0: the time indices read by the reverse direction
        D == 2 ? Tensor::arange(static_cast<float>(steps - 1), -1.0f, -1.0f) : Tensor();
    Variable seq = batch_first_ ? transpose(x, 0, 1) : x;  // [T, N, in]
    std::vector<Variable> h_n, c_n;
    for (int64_t l = 0; l < num_layers_; ++l) {
        std::vector<Variable> outs;
        for (int64_t d = 0; d < D; ++d) {
            const int64_t index = l * D + d;  // PyTorch's order: l0 forward, l0 reverse, l1 forward, ...
            const LayerWeights& w = weights_[index];
            const Variable h0 = initial.h.defined() ? select(initial.h, 0, index) : Variable(Tensor::zeros({batch, H}));
            const Variable c0 = initial.c.defined() ? select(initial.c, 0, index) : Variable(Tensor::zeros({batch, H}));
            const Variable in = d == 0 ? seq : index_select(seq, 0, backwards);
            const Variable hc = lstm_layer(in, h0, c0, w.w_ih, w.w_hh, w.b_ih, w.b_hh);  // [T, N, 2H]: h | c
            const Variable h = slice(hc, 2, 0, H);
            h_n.push_back(select(h, 0, steps - 1));  // the reverse direction's last step is x_0's
            c_n.push_back(select(slice(hc, 2, H, 2 * H), 0, steps - 1));
            outs.push_back(d == 0 ? h : index_select(h, 0, backwards));
        }
        seq = D == 1 ? outs[0] : concat(outs, 2);  // [T, N, D*H]
        if (drops_after(l)) seq = seq * Variable(dropout_mask(seq.shape(), dropout_, dropout_gen_));
    }
    RecurrentOutput out;
    out.output = batch_first_ ? transpose(seq, 0, 1) : seq;
    out.h_n = stack(h_n, 0);
    out.c_n = stack(c_n, 0);
    return out;
}

// ---- the three cells ---------------------------------------------------------------------

namespace {
bool is_relu(const RNNOptions& o) {
    if (o.nonlinearity() != "tanh" && o.nonlinearity() != "relu")
        throw std::invalid_argument("RNN: nonlinearity must be \"tanh\" or \"relu\", got \"" + o.nonlinearity() +
                                    "\"");
    return o.nonlinearity() == "relu";
}
}  // namespace

RNN::RNN(const RNNOptions& options, Generator& gen) : RecurrentBase("RNN", 1, config_of(options, is_relu(options)), gen) {}

RNN::RNN(int64_t input_size, int64_t hidden_size, Generator& gen) : RNN(RNNOptions(input_size, hidden_size), gen) {}

/// \f$ h_t = \tanh(xw_t + W_{hh} h_{t-1} + b_{hh}) \f$ (or ReLU).
RecurrentState RNN::cell(int64_t index, const Variable& xw_t, const Variable& w_hh_t,
                         const RecurrentState& prev) const {
    const Variable a = xw_t + hidden_projection(index, prev.h, w_hh_t);
    return {relu_ ? relu(a) : tanh(a), Variable()};
}

LSTM::LSTM(const LSTMOptions& options, Generator& gen) : RecurrentBase("LSTM", 4, config_of(options), gen) {}

LSTM::LSTM(int64_t input_size, int64_t hidden_size, Generator& gen) : LSTM(LSTMOptions(input_size, hidden_size), gen) {}

/// Gates in blocks of H columns, order i, f, g, o;
/// \f$ c_t = f \odot c_{t-1} + i \odot g,\ h_t = o \odot \tanh(c_t) \f$.
RecurrentState LSTM::cell(int64_t index, const Variable& xw_t, const Variable& w_hh_t,
                          const RecurrentState& prev) const {
    const int64_t H = hidden_size();
    const Variable gates = xw_t + hidden_projection(index, prev.h, w_hh_t);  // [N, 4H]
    const Variable i = sigmoid(slice(gates, 1, 0, H));
    const Variable f = sigmoid(slice(gates, 1, H, 2 * H));
    const Variable g = tanh(slice(gates, 1, 2 * H, 3 * H));
    const Variable o = sigmoid(slice(gates, 1, 3 * H, 4 * H));
    const Variable c = f * prev.c + i * g;
    return {o * tanh(c), c};
}

GRU::GRU(const GRUOptions& options, Generator& gen) : RecurrentBase("GRU", 3, config_of(options), gen) {}

GRU::GRU(int64_t input_size, int64_t hidden_size, Generator& gen) : GRU(GRUOptions(input_size, hidden_size), gen) {}

/// Gates r, z, n; the reset gate scales \f$ W_{hn} h + b_{hn} \f$ (PyTorch's form),
/// and \f$ h_t = (1 - z) \odot n + z \odot h_{t-1} = n + z \odot (h_{t-1} - n) \f$.
RecurrentState GRU::cell(int64_t index, const Variable& xw_t, const Variable& w_hh_t,
                         const RecurrentState& prev) const {
    const int64_t H = hidden_size();
    const Variable hw = hidden_projection(index, prev.h, w_hh_t);  // [N, 3H]
    const Variable r = sigmoid(slice(xw_t, 1, 0, H) + slice(hw, 1, 0, H));
    const Variable z = sigmoid(slice(xw_t, 1, H, 2 * H) + slice(hw, 1, H, 2 * H));
    const Variable n = tanh(slice(xw_t, 1, 2 * H, 3 * H) + r * slice(hw, 1, 2 * H, 3 * H));
    return {n + z * (prev.h - n), Variable()};
}

}  // namespace iotgrad::nn
