/// \file
/// Every differentiable op, by family. Each is defined in the ops_*.cpp file
/// of its family with its forward and backward side by side and the
/// derivative written as an equation above them; docs/equations.md indexes
/// them. Arithmetic broadcasts like NumPy; the backward sums the gradient back
/// to each operand's shape.
///
/// Where the course teaches each family (the tutorials' pages in this site):
/// - arithmetic, elementwise math, reductions, and the graph they build:
///   \ref tutorial_02_autograd (by hand, then autograd), used for gradient
///   descent in \ref tutorial_03_gradient_descent;
/// - matrix product and shape ops: \ref tutorial_03_gradient_descent (matmul)
///   and \ref tutorial_01_tensors (views, reshape, strides);
/// - activations (equation 5) and linear: \ref tutorial_05_mlp;
/// - softmax and cross-entropy (equations 2-3): \ref tutorial_04_softmax_cross_entropy;
/// - convolution (equation 4) and pooling: \ref tutorial_06_cnn;
/// - the fused LSTM layer: \ref tutorial_07_rnn_lstm; attention and layer
///   normalisation: \ref tutorial_08_attention.
#pragma once
#include <utility>
#include <vector>

#include "autograd/variable.hpp"

namespace iotgrad {

// ---- arithmetic (ops_arith.cpp) --------------------------------------------------
Variable add(const Variable& a, const Variable& b);
Variable sub(const Variable& a, const Variable& b);
Variable mul(const Variable& a, const Variable& b);
Variable div(const Variable& a, const Variable& b);
Variable neg(const Variable& a);

Variable operator+(const Variable& a, const Variable& b);
Variable operator-(const Variable& a, const Variable& b);
Variable operator*(const Variable& a, const Variable& b);
Variable operator/(const Variable& a, const Variable& b);
Variable operator-(const Variable& a);
// A float operand becomes a constant rank-0 variable and broadcasts.
Variable operator+(const Variable& a, float b);
Variable operator-(const Variable& a, float b);
Variable operator*(const Variable& a, float b);
Variable operator/(const Variable& a, float b);
Variable operator+(float a, const Variable& b);
Variable operator-(float a, const Variable& b);
Variable operator*(float a, const Variable& b);
Variable operator/(float a, const Variable& b);

// ---- elementwise math (ops_math.cpp) -----------------------------------------------
Variable exp(const Variable& x);
Variable log(const Variable& x);
/// x^p for a constant exponent p.
Variable pow(const Variable& x, float p);
Variable sqrt(const Variable& x);
Variable abs(const Variable& x);
/// min(max(x, lo), hi); the gradient passes where lo <= x <= hi (as in PyTorch).
Variable clamp(const Variable& x, float lo, float hi);
/// Elementwise max / min of two broadcast operands; ties send the gradient to a.
Variable maximum(const Variable& a, const Variable& b);
Variable minimum(const Variable& a, const Variable& b);
/// cond != 0 ? a : b (cond is a constant mask).
Variable where(const Tensor& cond, const Variable& a, const Variable& b);

// ---- matrix product (ops_matmul.cpp) ----------------------------------------------
/// torch.matmul semantics (see tensor/matmul.hpp).
Variable matmul(const Variable& a, const Variable& b);
/// The affine map of a Linear layer, \f$ y = x W^\top + b \f$: x [..., in],
/// weight [out, in], bias [out] (undefined: none). Same value as
/// matmul(x, transpose(weight, 0, 1)) + bias, as one node whose GEMMs fold
/// every leading dimension of x into rows (ops_linear.cpp).
Variable linear(const Variable& x, const Variable& weight, const Variable& bias = Variable());

// ---- shape (ops_shape.cpp) --------------------------------------------------------
Variable reshape(const Variable& x, const Shape& shape);
Variable permute(const Variable& x, const std::vector<int64_t>& dims);
Variable transpose(const Variable& x, int64_t d0, int64_t d1);
Variable slice(const Variable& x, int64_t dim, int64_t start, int64_t end, int64_t step = 1);
/// x[..., index, ...] along dim, removing that dimension.
Variable select(const Variable& x, int64_t dim, int64_t index);
Variable squeeze(const Variable& x, int64_t dim);
Variable unsqueeze(const Variable& x, int64_t dim);
Variable flatten(const Variable& x, int64_t start_dim = 1);
Variable expand(const Variable& x, const Shape& shape);
Variable concat(const std::vector<Variable>& xs, int64_t dim);
Variable stack(const std::vector<Variable>& xs, int64_t dim);
/// Rows of x along dim picked by integer-valued `index` (1-d): the basis of Embedding.
Variable index_select(const Variable& x, int64_t dim, const Tensor& index);

// ---- reductions (ops_reduce.cpp) --------------------------------------------------
Variable sum(const Variable& x);
Variable sum(const Variable& x, const std::vector<int64_t>& axes, bool keepdim = false);
Variable mean(const Variable& x);
Variable mean(const Variable& x, const std::vector<int64_t>& axes, bool keepdim = false);
/// The gradient goes to the maximal elements (split evenly between ties).
Variable max(const Variable& x, const std::vector<int64_t>& axes, bool keepdim = false);
Variable min(const Variable& x, const std::vector<int64_t>& axes, bool keepdim = false);
/// Variance, composed from mean: \f$\frac{1}{n - c}\sum (x - \bar x)^2\f$ with c = 1 if unbiased.
Variable var(const Variable& x, const std::vector<int64_t>& axes, bool unbiased = true, bool keepdim = false);

// ---- activations, equation 5: a = f(z) (ops_activation.cpp) ---------------------------
Variable relu(const Variable& z);
Variable leaky_relu(const Variable& z, float negative_slope = 0.01f);
Variable sigmoid(const Variable& z);
Variable tanh(const Variable& z);
/// Which GELU: the exact \f$ z\,\Phi(z) \f$ (PyTorch's approximate="none",
/// the default) or the tanh approximation (approximate="tanh").
enum class GeluApproximate { None, Tanh };
/// GELU: exact \f$ z\,\Phi(z) \f$ with the normal CDF (PyTorch's default), or with
/// GeluApproximate::Tanh \f$ \tfrac12 z \left(1 + \tanh\left(\sqrt{2/\pi}\,(z + 0.044715 z^3)\right)\right) \f$
/// with the exact derivative of that form (equations in ops_activation.cpp).
Variable gelu(const Variable& z, GeluApproximate approximate = GeluApproximate::None);
/// \f$ \log(1 + e^{z}) \f$, computed without overflow.
Variable softplus(const Variable& z);

// ---- softmax and cross-entropy, equations 2-3 (ops_softmax.cpp) -------------------------
enum class Reduction { Mean, Sum, None };
Variable softmax(const Variable& z, int64_t dim = -1);
Variable log_softmax(const Variable& z, int64_t dim = -1);
/// Options of cross_entropy (PyTorch's keyword arguments, same defaults).
/// `{weight, label_smoothing, reduction, ignore_index}` in that order, or just a
/// Reduction: `cross_entropy(z, y, Reduction::Sum)`.
struct CrossEntropyOptions {
    /// All defaults, or the leading fields given in order.
    CrossEntropyOptions(Tensor weight = Tensor(), float label_smoothing = 0.0f, Reduction reduction = Reduction::Mean,
                        int64_t ignore_index = -100)
        : weight(std::move(weight)), label_smoothing(label_smoothing), reduction(reduction), ignore_index(ignore_index) {}
    /// Implicit on purpose: a Reduction alone is the common case.
    CrossEntropyOptions(Reduction reduction) : reduction(reduction) {}  // NOLINT(google-explicit-constructor)
    /// Class weights [C] (undefined: all 1).
    Tensor weight;
    /// \f$\epsilon \in [0, 1]\f$: the target becomes \f$ (1 - \epsilon)\,y + \epsilon / C \f$.
    float label_smoothing = 0.0f;
    Reduction reduction = Reduction::Mean;
    /// Class-index targets equal to this value contribute nothing and are not
    /// counted by Mean (PyTorch's default, -100, is never a class).
    int64_t ignore_index = -100;
};

/// The one cross-entropy (equation 2 on the softmax of equation 3), exactly as
/// torch.nn.functional.cross_entropy: logits [N, C] against class indices [N]
/// (a float tensor of integer values, or see the `std::vector<int64_t>`
/// overload) or class probabilities [N, C] (one-hot or soft rows).
///
/// With \f$ \log p = \mathrm{log\_softmax}(z) \f$, class weights w, smoothing
/// \f$\epsilon\f$ and class-index targets \f$ y_n \f$:
/// \f[ \ell_n = -(1 - \epsilon)\, w_{y_n} \log p_{n, y_n} - \frac{\epsilon}{C} \sum_c w_c \log p_{n,c} \f]
/// and Mean divides \f$ \sum_n \ell_n \f$ by \f$ \sum_n w_{y_n} \f$ (N when
/// unweighted), leaving out rows whose target is ignore_index (when every row
/// is ignored, Mean is 0/0 = NaN, as in PyTorch). With probability targets t:
/// \f$ \ell_n = -\sum_c w_c \big((1 - \epsilon) t_{n,c} + \epsilon / C\big) \log p_{n,c} \f$
/// and Mean divides by N.
///
/// Gradient: every case is \f$ \ell_n = -\sum_c A_{n,c} \log p_{n,c} \f$ for a
/// constant coefficient matrix A, so
/// \f$ \partial \ell_n / \partial z_{n,i} = p_{n,i} \sum_c A_{n,c} - A_{n,i} \f$,
/// which is the fused \f$ \hat y - y \f$ for one-hot targets (the softmax
/// Jacobian and the 1/ŷ of the log cancel).
Variable cross_entropy(const Variable& logits, const Tensor& targets, const CrossEntropyOptions& options = {});
/// The same with integer class labels: `cross_entropy(z, std::vector<int64_t>{0, 2, 1})`.
Variable cross_entropy(const Variable& logits, const std::vector<int64_t>& classes,
                       const CrossEntropyOptions& options = {});

// ---- convolution, equation 4 (ops_conv.cpp) ----------------------------------------
/// x [N, C_in, L], w [C_out, C_in / groups, K], optional bias [C_out] (undefined Variable for none).
/// groups > 1 splits the channels into groups convolved separately (see ops_conv.cpp).
Variable conv1d(const Variable& x, const Variable& w, const Variable& bias, int64_t stride = 1, int64_t padding = 0,
                int64_t dilation = 1, int64_t groups = 1);
/// x [N, C_in, H, W], w [C_out, C_in / groups, KH, KW], optional bias [C_out].
Variable conv2d(const Variable& x, const Variable& w, const Variable& bias, int64_t stride = 1, int64_t padding = 0,
                int64_t dilation = 1, int64_t groups = 1);

// ---- pooling (ops_pool.cpp) ------------------------------------------------------
/// x [N, C, L]: the largest value in each window of `kernel` steps (stride defaults to kernel).
Variable max_pool1d(const Variable& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);
/// x [N, C, H, W]: square windows.
Variable max_pool2d(const Variable& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);
/// Window means; zero padding counts in the mean (PyTorch's count_include_pad=True).
Variable avg_pool1d(const Variable& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);
Variable avg_pool2d(const Variable& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);

// ---- fused layer kernels ---------------------------------------------------------------
/// One LSTM layer over a whole sequence as one node (ops_lstm.cpp): x [T, N, C]
/// (time-major), initial states h0, c0 [N, H], weights w_ih [4H, C], w_hh [4H, H]
/// with gate blocks i, f, g, o as PyTorch, biases [4H] (both undefined: none).
/// Returns [T, N, 2H]: h_t in the first H columns, c_t in the last H. Same
/// values as nn::LSTM's per-step cell to float32 rounding; the backward reuses
/// the saved gates (tests/autograd/test_fused_ops.cpp compares the two).
Variable lstm_layer(const Variable& x, const Variable& h0, const Variable& c0, const Variable& w_ih,
                    const Variable& w_hh, const Variable& b_ih = Variable(), const Variable& b_hh = Variable());

/// Scaled dot-product attention without mask or dropout as one node
/// (ops_attention.cpp): \f$ \mathrm{softmax}(s\,Q K^\top) V \f$ over the last two
/// dimensions of q [..., L, d], k [..., S, d], v [..., S, dv] (same leading
/// dimensions, no broadcasting); returns [..., L, dv]. Same values as
/// nn::scaled_dot_product_attention to float32 rounding.
Variable attention(const Variable& q, const Variable& k, const Variable& v, float scale);

/// Layer normalisation over the trailing dimensions that weight and bias
/// have (ops_layer_norm.cpp): \f$ (x - \mu) / \sqrt{\sigma^2 + \epsilon} \odot w + b \f$
/// per row, biased variance. Same values as nn::LayerNorm's composition of
/// elementary ops to float32 rounding, as one node.
Variable layer_norm(const Variable& x, const Variable& weight, const Variable& bias, float eps = 1e-5f);

}  // namespace iotgrad
