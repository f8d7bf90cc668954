/// \file
/// One LSTM layer over a whole sequence as a single autograd node. Same
/// equations as nn::LSTM's per-step cell (gate blocks i, f, g, o):
/// \f$ a_t = W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh} \f$,
/// \f$ c_t = \sigma(a_f) \odot c_{t-1} + \sigma(a_i) \odot \tanh(a_g) \f$,
/// \f$ h_t = \sigma(a_o) \odot \tanh(c_t) \f$,
/// computed as:
/// - the input projection of all T steps in one GEMM ([T N, C] x [C, 4H]);
/// - per step, one GEMM adding \f$ h_{t-1} W_{hh}^\top \f$ into that step's
///   rows, then the four nonlinearities and the cell update in one pass;
/// - a backward that reuses the saved activated gates and cell states:
///   per step only the elementwise chain rule and one GEMM
///   (\f$ \partial L/\partial h_{t-1} = \delta_t W_{hh} \f$); the weight
///   gradients are then one GEMM each over all steps at once
///   (\f$ \partial L/\partial W_{hh} = \sum_t \delta_t^\top h_{t-1} \f$).
/// Instead of about 15 nodes per step, the graph holds one node per layer.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "tensor/fast_math.hpp"
#include "tensor/gemm.hpp"

namespace iotgrad {

namespace {
void gemm_rm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
             int64_t ldb, float beta, float* c, int64_t ldc) {
    if (m == 0 || n == 0) return;
    tensor::GemmArgs g;
    g.trans_a = ta, g.trans_b = tb;
    g.m = m, g.n = n, g.k = k;
    g.a = a, g.lda = lda, g.b = b, g.ldb = ldb;
    g.beta = beta, g.c = c, g.ldc = ldc;
    tensor::gemm(g);
}

/// What the backward needs, saved by the forward.
struct LstmSaved {
    Tensor x;      // [T, N, C] contiguous
    Tensor w_ih;   // [4H, C]
    Tensor w_hh;   // [4H, H]
    Tensor gates;  // [T, N, 4H] activated: sigma(a_i), sigma(a_f), tanh(a_g), sigma(a_o)
    Tensor hs;     // [T + 1, N, H]: h_0 (the initial state), h_1 .. h_T
    Tensor cs;     // [T + 1, N, H]: c_0, c_1 .. c_T
    int64_t T, N, C, H;
    bool bias;
};

/// \f$ \delta^\top Z \f$ [G, K] for delta [rows, G] and the first `rows` rows of
/// z [.., K]. Computed as \f$ (Z^\top \delta)^\top \f$: with K as small as 9
/// (sensor channels), the GEMM is then K x G instead of G x K, whose narrow
/// side would be mostly padding in the kernel's 32-wide tiles (2-3x faster).
Tensor weight_grad(const Tensor& delta, const Tensor& z, int64_t rows, int64_t G, int64_t K) {
    std::vector<float> zt(static_cast<size_t>(K * G));
    gemm_rm(true, false, K, G, rows, z.data(), K, delta.data(), G, 0.0f, zt.data(), G);
    Tensor dw = Tensor::empty({G, K});
    float* d = dw.data();
    for (int64_t i = 0; i < G; ++i)
        for (int64_t k = 0; k < K; ++k) d[i * K + k] = zt[static_cast<size_t>(k * G + i)];
    return dw;
}

/// Backward of lstm_layer: gradients for x, h0, c0, w_ih, w_hh (and b_ih, b_hh).
Grads lstm_backward(const LstmSaved& s, const Tensor& g_in, const std::vector<bool>& needs) {
    const int64_t T = s.T, N = s.N, C = s.C, H = s.H, G = 4 * H;
    const Tensor g = g_in.contiguous();  // [T, N, 2H]: dL/dh_t | dL/dc_t
    Tensor delta = Tensor::empty({T, N, G});  // dL/da_t, the pre-activation gate gradients
    Tensor dh = Tensor::zeros({N, H}), dc = Tensor::zeros({N, H});
    const float* gp = g.data();
    for (int64_t t = T - 1; t >= 0; --t) {
        const float* gate = s.gates.data() + t * N * G;
        const float* c_prev = s.cs.data() + t * N * H;
        const float* c_t = s.cs.data() + (t + 1) * N * H;
        float* d = delta.data() + t * N * G;
        float* dhp = dh.data();
        float* dcp = dc.data();
        for (int64_t n = 0; n < N; ++n) {
            const float* gr = gate + n * G;
            const float* up = gp + (t * N + n) * 2 * H;
            float* dr = d + n * G;
            for (int64_t j = 0; j < H; ++j) {
                const float i = gr[j], f = gr[H + j], gg = gr[2 * H + j], o = gr[3 * H + j];
                const float tc = fastmath::tanh(c_t[n * H + j]);
                const float dht = up[j] + dhp[n * H + j];
                const float dct = up[H + j] + dcp[n * H + j] + dht * o * (1.0f - tc * tc);
                dr[j] = dct * gg * i * (1.0f - i);                    // through sigma(a_i)
                dr[H + j] = dct * c_prev[n * H + j] * f * (1.0f - f);  // through sigma(a_f)
                dr[2 * H + j] = dct * i * (1.0f - gg * gg);            // through tanh(a_g)
                dr[3 * H + j] = dht * tc * o * (1.0f - o);             // through sigma(a_o)
                dcp[n * H + j] = dct * f;                              // dL/dc_{t-1}
            }
        }
        // dL/dh_{t-1} = delta_t W_hh.
        gemm_rm(false, false, N, H, G, d, G, s.w_hh.data(), H, 0.0f, dhp, H);
    }
    Grads grads(needs.size());
    const int64_t rows = T * N;
    if (needs[0]) {  // dL/dX = delta W_ih
        Tensor dx = Tensor::empty({T, N, C});
        gemm_rm(false, false, rows, C, G, delta.data(), G, s.w_ih.data(), C, 0.0f, dx.data(), C);
        grads[0] = dx;
    }
    if (needs[1]) grads[1] = dh;
    if (needs[2]) grads[2] = dc;
    if (needs[3]) grads[3] = weight_grad(delta, s.x, rows, G, C);  // dL/dW_ih = sum_t delta_t^T x_t
    if (needs[4]) grads[4] = weight_grad(delta, s.hs, rows, G, H);  // dL/dW_hh = sum_t delta_t^T h_{t-1}
    if (s.bias && (needs[5] || needs[6])) {  // both biases: sum of delta over steps and batch
        Tensor db = Tensor::zeros({G});
        float* bp = db.data();
        const float* dp = delta.data();
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t j = 0; j < G; ++j) bp[j] += dp[r * G + j];
        if (needs[5]) grads[5] = db;
        if (needs[6]) grads[6] = db.clone();
    }
    return grads;
}
}  // namespace

Variable lstm_layer(const Variable& x, const Variable& h0, const Variable& c0, const Variable& w_ih,
                    const Variable& w_hh, const Variable& b_ih, const Variable& b_hh) {
    if (!x.defined() || !h0.defined() || !c0.defined() || !w_ih.defined() || !w_hh.defined())
        throw std::invalid_argument("lstm_layer: x, h0, c0, w_ih and w_hh must be defined");
    if (x.dim() != 3 || w_ih.dim() != 2 || w_hh.dim() != 2 || w_hh.size(0) != 4 * w_hh.size(1) ||
        w_ih.size(0) != w_hh.size(0) || w_ih.size(1) != x.size(2))
        throw ShapeError("lstm_layer: need x [T, N, C], w_ih [4H, C], w_hh [4H, H]; got x " + shape_str(x.shape()) +
                         ", w_ih " + shape_str(w_ih.shape()) + ", w_hh " + shape_str(w_hh.shape()));
    LstmSaved s;
    s.T = x.size(0), s.N = x.size(1), s.C = x.size(2), s.H = w_hh.size(1);
    const int64_t T = s.T, N = s.N, C = s.C, H = s.H, G = 4 * H;
    const Shape state{N, H};
    if (h0.shape() != state || c0.shape() != state)
        throw ShapeError("lstm_layer: h0 and c0 must be " + shape_str(state) + ", got " + shape_str(h0.shape()) +
                         " and " + shape_str(c0.shape()));
    s.bias = b_ih.defined() && b_hh.defined();
    if (s.bias && (b_ih.shape() != Shape{G} || b_hh.shape() != Shape{G}))
        throw ShapeError("lstm_layer: biases must be [" + std::to_string(G) + "]");
    s.x = x.value().contiguous();
    s.w_ih = w_ih.value().contiguous();
    s.w_hh = w_hh.value().contiguous();
    s.gates = Tensor::empty({T, N, G});
    s.hs = Tensor::empty({T + 1, N, H});
    s.cs = Tensor::empty({T + 1, N, H});
    const Tensor h0c = h0.value().contiguous(), c0c = c0.value().contiguous();
    std::copy(h0c.data(), h0c.data() + N * H, s.hs.data());
    std::copy(c0c.data(), c0c.data() + N * H, s.cs.data());

    // All steps' input projections at once, starting from b_ih + b_hh.
    float* a = s.gates.data();
    if (s.bias) {
        const Tensor bi = b_ih.value().contiguous(), bh = b_hh.value().contiguous();
        const float *bip = bi.data(), *bhp = bh.data();
        for (int64_t r = 0; r < T * N; ++r)
            for (int64_t j = 0; j < G; ++j) a[r * G + j] = bip[j] + bhp[j];
    }
    gemm_rm(false, true, T * N, G, C, s.x.data(), C, s.w_ih.data(), C, s.bias ? 1.0f : 0.0f, a, G);

    Tensor out = Tensor::empty({T, N, 2 * H});  // h_t | c_t per step
    for (int64_t t = 0; t < T; ++t) {
        float* at = a + t * N * G;
        const float* h_prev = s.hs.data() + t * N * H;
        gemm_rm(false, true, N, G, H, h_prev, H, s.w_hh.data(), H, 1.0f, at, G);
        const float* c_prev = s.cs.data() + t * N * H;
        float* h_t = s.hs.data() + (t + 1) * N * H;
        float* c_t = s.cs.data() + (t + 1) * N * H;
        float* o_t = out.data() + t * N * 2 * H;
        for (int64_t n = 0; n < N; ++n) {
            float* gr = at + n * G;
            for (int64_t j = 0; j < 2 * H; ++j) gr[j] = fastmath::sigmoid(gr[j]);  // i, f
            for (int64_t j = 2 * H; j < 3 * H; ++j) gr[j] = fastmath::tanh(gr[j]);  // g
            for (int64_t j = 3 * H; j < G; ++j) gr[j] = fastmath::sigmoid(gr[j]);  // o
            for (int64_t j = 0; j < H; ++j) {
                const float c = gr[H + j] * c_prev[n * H + j] + gr[j] * gr[2 * H + j];
                const float h = gr[3 * H + j] * fastmath::tanh(c);
                c_t[n * H + j] = c;
                h_t[n * H + j] = h;
                o_t[n * 2 * H + j] = h;
                o_t[n * 2 * H + H + j] = c;
            }
        }
    }
    std::vector<Variable> inputs{x, h0, c0, w_ih, w_hh};
    if (s.bias) inputs.insert(inputs.end(), {b_ih, b_hh});
    return make_result(Op::LstmLayer, out, std::move(inputs),
                       [s = std::move(s)](const Tensor& g, const std::vector<bool>& needs) {
                           return lstm_backward(s, g, needs);
                       });
}

}  // namespace iotgrad
