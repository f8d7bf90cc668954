/// \file
/// Softmax (the paper's equation 3), log-softmax, and cross-entropy (equation 2)
/// fused with softmax. All of them are computed stably: the row maximum is
/// subtracted before exponentiating, so \f$ e^{z_i - \max z} \le 1 \f$ never
/// overflows, and log-softmax is \f$ (z_i - \max z) - \log \sum_j e^{z_j - \max z} \f$
/// (log-sum-exp), never the log of a softmax that underflowed to zero.
#include <cmath>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "autograd/ops.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad {

namespace {
/// A contiguous tensor seen as [outer, n, inner] around the softmax axis: each
/// row is n elements `inner` apart, starting at (k / inner) * n * inner + k % inner.
struct Rows {
    int64_t outer = 1, n = 1, inner = 1;
};

Rows rows_around(const Shape& s, int64_t dim, const char* op) {
    Rows r;
    if (s.empty()) {  // a rank-0 tensor is one row of one element (dim 0 or -1)
        normalize_axis(dim, 1, op);
        return r;
    }
    const int64_t d = normalize_axis(dim, static_cast<int64_t>(s.size()), op);
    for (int64_t i = 0; i < d; ++i) r.outer *= s[i];
    r.n = s[d];
    for (size_t i = d + 1; i < s.size(); ++i) r.inner *= s[i];
    return r;
}

/// f(base) for every row; rows are independent, so they run in parallel.
template <class F>
void for_each_row(const Rows& r, F f) {
    parallel_for(r.outer * r.inner, r.n * 8, [&](int64_t b, int64_t e) {
        for (int64_t k = b; k < e; ++k) f((k / r.inner) * r.n * r.inner + k % r.inner);
    });
}

/// Equation 3 along each row, or its logarithm: subtract the row max m, then
/// \f$ y_i = e^{z_i - m} / s \f$ or \f$ y_i = (z_i - m) - \log s \f$ with \f$ s = \sum_j e^{z_j - m} \f$.
Tensor softmax_values(const Tensor& z, const Rows& r, bool log) {
    const Tensor zc = z.contiguous();
    Tensor y = Tensor::empty(z.shape());
    const float* zp = zc.data();
    float* yp = y.data();
    const int64_t st = r.inner;
    for_each_row(r, [&](int64_t base) {
        const float* zr = zp + base;
        float* yr = yp + base;
        float m = -INFINITY;
        for (int64_t i = 0; i < r.n; ++i) m = std::fmax(m, zr[i * st]);
        double s = 0;
        for (int64_t i = 0; i < r.n; ++i) {
            const float e = std::exp(zr[i * st] - m);
            s += e;
            if (!log) yr[i * st] = e;
        }
        if (log) {
            const float ls = static_cast<float>(std::log(s));
            for (int64_t i = 0; i < r.n; ++i) yr[i * st] = (zr[i * st] - m) - ls;
        } else {
            const float inv = static_cast<float>(1.0 / s);
            for (int64_t i = 0; i < r.n; ++i) yr[i * st] *= inv;
        }
    });
    return y;
}
}  // namespace

/// Equation 3: \f$ y_i = \frac{e^{z_i}}{\sum_j e^{z_j}} \f$ along dim;
/// \f$ \frac{\partial L}{\partial z} = y \odot \big(g - \textstyle\sum_j g_j y_j\big) \f$
/// (the Jacobian \f$ \mathrm{diag}(y) - y y^\top \f$ applied to g).
Variable softmax(const Variable& z, int64_t dim) {
    const Rows r = rows_around(z.shape(), dim, "softmax");
    Tensor y = softmax_values(z.value(), r, false);
    return make_result(Op::Softmax, y, {z}, [y, r](const Tensor& g, const std::vector<bool>&) {
        const Tensor gc = g.contiguous();
        Tensor gz = Tensor::empty(y.shape());
        const float *gp = gc.data(), *yp = y.data();
        float* out = gz.data();
        for_each_row(r, [&](int64_t base) {
            double dot = 0;
            for (int64_t i = 0; i < r.n; ++i)
                dot += static_cast<double>(gp[base + i * r.inner]) * yp[base + i * r.inner];
            for (int64_t i = 0; i < r.n; ++i) {
                const int64_t k = base + i * r.inner;
                out[k] = yp[k] * (gp[k] - static_cast<float>(dot));
            }
        });
        return Grads{gz};
    });
}

/// \f$ y_i = z_i - \log \sum_j e^{z_j} \f$ along dim;
/// \f$ \frac{\partial L}{\partial z} = g - e^{y} \textstyle\sum_j g_j \f$
/// (\f$ e^{y} \f$ is softmax(z), recovered from the saved output).
Variable log_softmax(const Variable& z, int64_t dim) {
    const Rows r = rows_around(z.shape(), dim, "log_softmax");
    Tensor y = softmax_values(z.value(), r, true);
    return make_result(Op::LogSoftmax, y, {z}, [y, r](const Tensor& g, const std::vector<bool>&) {
        const Tensor gc = g.contiguous();
        Tensor gz = Tensor::empty(y.shape());
        const float *gp = gc.data(), *yp = y.data();
        float* out = gz.data();
        for_each_row(r, [&](int64_t base) {
            double total = 0;
            for (int64_t i = 0; i < r.n; ++i) total += gp[base + i * r.inner];
            for (int64_t i = 0; i < r.n; ++i) {
                const int64_t k = base + i * r.inner;
                out[k] = gp[k] - std::exp(yp[k]) * static_cast<float>(total);
            }
        });
        return Grads{gz};
    });
}

// ---- cross-entropy, equation 2 --------------------------------------------------------

namespace {
/// The class indices as integers, after checking every one (before any
/// parallel loop); a target equal to ignore_index is kept as it is.
std::vector<int64_t> class_indices(const Tensor& target, int64_t c, int64_t ignore_index) {
    const std::vector<float> v = target.to_vector();
    std::vector<int64_t> idx(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        const bool whole = v[i] == std::floor(v[i]);
        if (whole && static_cast<double>(v[i]) == static_cast<double>(ignore_index)) {
            idx[i] = ignore_index;
            continue;
        }
        if (!(whole && v[i] >= 0 && v[i] < static_cast<float>(c))) {
            std::ostringstream os;
            os << "cross_entropy: target " << v[i] << " at position " << i << " is not a class index in [0, " << c
               << ") for C = " << c << " classes";
            throw std::invalid_argument(os.str());
        }
        idx[i] = static_cast<int64_t>(v[i]);
    }
    return idx;
}

/// The per-row losses reduced as asked: the mean over N, the sum, or [N] as they are.
Tensor reduce_losses(const Tensor& losses, Reduction reduction) {
    if (reduction == Reduction::None) return losses;
    double s = 0;
    for (float v : losses.to_vector()) s += v;
    const int64_t n = losses.numel();
    return Tensor::scalar(static_cast<float>(reduction == Reduction::Mean ? s / n : s));  // mean of none is NaN
}

/// How much of the upstream gradient row n receives: g/N for Mean, g for Sum, g_n for None.
std::vector<float> row_weights(const Tensor& g, Reduction reduction, int64_t n) {
    if (reduction == Reduction::None) return g.to_vector();
    const float w = g.item() / (reduction == Reduction::Mean ? static_cast<float>(n) : 1.0f);
    return std::vector<float>(static_cast<size_t>(n), w);
}

/// Softmax over the rows of [N, C] logits (log-probabilities).
Tensor row_log_softmax(const Tensor& logits) {
    return softmax_values(logits, rows_around(logits.shape(), 1, "cross_entropy"), true);
}

/// Equation 2 with \f$ \hat y = \mathrm{softmax}(z) \f$ and a one-hot y:
/// \f$ L_n = -\sum_i y_i \log \hat y_i = -\log \hat y_{t_n} \f$ (a log-softmax, so
/// large logits never produce log 0). Fused gradient:
/// \f$ \frac{\partial L_n}{\partial z_i} = \hat y_i - y_i \f$, divided by N for
/// Reduction::Mean (the softmax Jacobian and the 1/ŷ of the log cancel).
Variable cross_entropy_indices(const Variable& logits, std::vector<int64_t> t, Reduction reduction) {
    const Shape shape = logits.shape();
    const int64_t n = shape[0], c = shape[1];
    const Tensor logp = row_log_softmax(logits.value());
    Tensor losses = Tensor::empty({n});
    for (int64_t i = 0; i < n; ++i) losses.data()[i] = -logp.data()[i * c + t[i]];
    return make_result(Op::CrossEntropy, reduce_losses(losses, reduction), {logits},
                       [logp, t = std::move(t), reduction, n, c](const Tensor& g, const std::vector<bool>&) {
                           const std::vector<float> w = row_weights(g, reduction, n);
                           Tensor gz = Tensor::empty({n, c});
                           const float* lp = logp.data();
                           float* out = gz.data();
                           parallel_for(n, c * 8, [&](int64_t b, int64_t e) {
                               for (int64_t i = b; i < e; ++i)
                                   for (int64_t j = 0; j < c; ++j)
                                       out[i * c + j] = w[i] * (std::exp(lp[i * c + j]) - (j == t[i] ? 1.0f : 0.0f));
                           });
                           return Grads{gz};
                       });
}

/// Equation 2 with a coefficient matrix A [N, C] (soft targets, or the
/// weighted, smoothed one-hot rows): \f$ L_n = -\sum_i A_{n,i} \log \hat y_i \f$;
/// \f$ \frac{\partial L_n}{\partial z_i} = \hat y_i \sum_j A_{n,j} - A_{n,i} \f$, which is
/// \f$ \hat y - y \f$ again when each row sums to 1. No gradient flows to A.
Variable cross_entropy_coefficients(const Variable& logits, const Tensor& a, Reduction reduction) {
    const Shape shape = logits.shape();
    const int64_t n = shape[0], c = shape[1];
    const Tensor logp = row_log_softmax(logits.value());
    const Tensor y = a.contiguous();
    Tensor losses = Tensor::empty({n});
    for (int64_t i = 0; i < n; ++i) {
        double s = 0;
        for (int64_t j = 0; j < c; ++j) s -= static_cast<double>(y.data()[i * c + j]) * logp.data()[i * c + j];
        losses.data()[i] = static_cast<float>(s);
    }
    return make_result(Op::CrossEntropy, reduce_losses(losses, reduction), {logits},
                       [logp, y, reduction, n, c](const Tensor& g, const std::vector<bool>&) {
                           const std::vector<float> w = row_weights(g, reduction, n);
                           Tensor gz = Tensor::empty({n, c});
                           const float *lp = logp.data(), *yp = y.data();
                           float* out = gz.data();
                           parallel_for(n, c * 8, [&](int64_t b, int64_t e) {
                               for (int64_t i = b; i < e; ++i) {
                                   double mass = 0;
                                   for (int64_t j = 0; j < c; ++j) mass += yp[i * c + j];
                                   for (int64_t j = 0; j < c; ++j) {
                                       const int64_t k = i * c + j;
                                       out[k] = w[i] * (std::exp(lp[k]) * static_cast<float>(mass) - yp[k]);
                                   }
                               }
                           });
                           return Grads{gz};
                       });
}

/// The class weights as a vector of C values (all 1 when undefined).
std::vector<float> class_weights(const Tensor& weight, int64_t classes) {
    if (!weight.defined()) return std::vector<float>(static_cast<size_t>(classes), 1.0f);
    if (weight.shape() != Shape{classes})
        throw ShapeError("cross_entropy: class weights " + shape_str(weight.shape()) + " must be [C] = [" +
                         std::to_string(classes) + "]");
    return weight.to_vector();
}
}  // namespace

Variable cross_entropy(const Variable& logits, const Tensor& targets, const CrossEntropyOptions& options) {
    if (logits.dim() != 2) throw ShapeError("cross_entropy: logits must be [N, C], got " + shape_str(logits.shape()));
    if (!targets.defined()) throw std::invalid_argument("cross_entropy: the targets are undefined");
    const float eps = options.label_smoothing;
    if (!(eps >= 0.0f && eps <= 1.0f))
        throw std::invalid_argument("cross_entropy: label_smoothing must be in [0, 1], got " + std::to_string(eps));
    const int64_t n = logits.size(0), c = logits.size(1);
    const bool indices = targets.shape() == Shape{n};
    if (!indices && targets.shape() != logits.shape())
        throw ShapeError("cross_entropy: targets " + shape_str(targets.shape()) +
                         " must be class indices [N] or probabilities [N, C] for logits " +
                         shape_str(logits.shape()));
    const std::vector<float> w = class_weights(options.weight, c);
    std::vector<int64_t> t;
    bool any_ignored = false;
    if (indices) {
        t = class_indices(targets, c, options.ignore_index);
        for (int64_t v : t) any_ignored = any_ignored || v == options.ignore_index;
        // The plain case is equation 2 itself: the fused op.
        if (!options.weight.defined() && eps == 0.0f && !any_ignored)
            return cross_entropy_indices(logits, std::move(t), options.reduction);
    } else if (!options.weight.defined() && eps == 0.0f) {
        return cross_entropy_coefficients(logits, targets, options.reduction);
    }
    // Otherwise the targets become the coefficient matrix A of the doc comment;
    // only the divisor of Mean differs between the cases.
    Tensor a = Tensor::zeros({n, c});
    float* ap = a.data();
    double divisor = static_cast<double>(n);
    if (indices) {
        divisor = 0;
        for (int64_t i = 0; i < n; ++i) {
            if (t[i] == options.ignore_index) continue;  // a zero row: no loss, no gradient, not counted
            for (int64_t j = 0; j < c; ++j) ap[i * c + j] = eps / static_cast<float>(c) * w[j];
            ap[i * c + t[i]] += (1.0f - eps) * w[t[i]];
            divisor += w[t[i]];  // PyTorch's weighted mean: divide by the weights of the targets
        }
    } else {
        const Tensor tc = targets.contiguous();
        const float* tp = tc.data();
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < c; ++j)
                ap[i * c + j] = w[j] * ((1.0f - eps) * tp[i * c + j] + eps / static_cast<float>(c));
    }
    if (options.reduction != Reduction::Mean) return cross_entropy_coefficients(logits, a, options.reduction);
    return cross_entropy_coefficients(logits, a, Reduction::Sum) / static_cast<float>(divisor);
}

Variable cross_entropy(const Variable& logits, const std::vector<int64_t>& classes,
                       const CrossEntropyOptions& options) {
    Tensor t = Tensor::empty({static_cast<int64_t>(classes.size())});
    for (size_t i = 0; i < classes.size(); ++i) {
        // float holds every integer up to 2^24 exactly: far beyond any class count.
        if (classes[i] != options.ignore_index && (classes[i] < 0 || classes[i] >= (int64_t{1} << 24)))
            throw std::invalid_argument("cross_entropy: class label " + std::to_string(classes[i]) + " at position " +
                                        std::to_string(i) + " is negative or too large");
        t.data()[i] = static_cast<float>(classes[i]);
    }
    return cross_entropy(logits, t, options);
}

}  // namespace iotgrad
