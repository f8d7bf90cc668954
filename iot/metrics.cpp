#include "iot/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace iotgrad::iot {

namespace {

void require_same_size(std::size_t a, std::size_t b, const char* who) {
    if (a != b)
        throw std::invalid_argument(std::string(who) + ": y_true has " + std::to_string(a) + " labels but y_pred has " +
                                    std::to_string(b));
    if (a == 0) throw std::invalid_argument(std::string(who) + ": no samples");
}

/// a / b, or 0 when b is 0 (scikit-learn's zero_division=0).
double ratio(double a, double b) { return b == 0 ? 0.0 : a / b; }

void require_same_shape(const Tensor& a, const Tensor& b, const char* who) {
    if (!a.defined() || !b.defined()) throw std::invalid_argument(std::string(who) + ": undefined tensor");
    if (a.shape() != b.shape())
        throw ShapeError(std::string(who) + ": prediction " + shape_str(a.shape()) + " and target " +
                         shape_str(b.shape()) + " must have the same shape");
    if (a.numel() == 0) throw std::invalid_argument(std::string(who) + ": no elements");
}

void require_scores(const Tensor& scores, const Tensor& targets, const char* who) {
    if (!scores.defined() || !targets.defined()) throw std::invalid_argument(std::string(who) + ": undefined tensor");
    if (scores.dim() != 2 || targets.dim() != 1 || scores.size(0) != targets.size(0))
        throw ShapeError(std::string(who) + ": expected scores [N, C] and targets [N], got " +
                         shape_str(scores.shape()) + " and " + shape_str(targets.shape()));
}

/// Integer labels as the 1-d tensor the checks above read (negative ones are
/// reported by labels() with their position).
Tensor label_tensor(const std::vector<int64_t>& y) {
    Tensor t = Tensor::empty({static_cast<int64_t>(y.size())});
    for (std::size_t i = 0; i < y.size(); ++i) t.data()[i] = static_cast<float>(y[i]);
    return t;
}

}  // namespace

std::vector<int64_t> labels(const Tensor& t) {
    if (!t.defined() || t.dim() != 1) throw ShapeError("labels: expected a 1-d tensor of class indices");
    std::vector<int64_t> out;
    out.reserve(static_cast<std::size_t>(t.numel()));
    for (float v : t.to_vector()) {
        if (!(v >= 0.0f) || v != std::floor(v) || v > 9.0e15f)
            throw std::invalid_argument("labels: " + std::to_string(v) + " is not a class index (a whole number >= 0)");
        out.push_back(static_cast<int64_t>(v));
    }
    return out;
}

std::vector<int64_t> predictions(const Tensor& scores) {
    if (!scores.defined() || scores.dim() != 2 || scores.size(1) < 1)
        throw ShapeError("predictions: expected scores [N, C] with C >= 1");
    const Tensor s = scores.contiguous();
    const int64_t N = s.size(0), C = s.size(1);
    std::vector<int64_t> out(static_cast<std::size_t>(N));
    for (int64_t i = 0; i < N; ++i) {
        const float* row = s.data() + i * C;
        out[static_cast<std::size_t>(i)] = std::max_element(row, row + C) - row;  // first maximum
    }
    return out;
}

double accuracy(const std::vector<int64_t>& y_true, const std::vector<int64_t>& y_pred) {
    require_same_size(y_true.size(), y_pred.size(), "accuracy");
    std::size_t hits = 0;
    for (std::size_t i = 0; i < y_true.size(); ++i) hits += y_true[i] == y_pred[i];
    return static_cast<double>(hits) / static_cast<double>(y_true.size());
}

double accuracy(const Tensor& scores, const Tensor& targets) {
    require_scores(scores, targets, "accuracy");
    return accuracy(labels(targets), predictions(scores));
}

double accuracy(const Tensor& scores, const std::vector<int64_t>& targets) {
    return accuracy(scores, label_tensor(targets));
}

double top_k_accuracy(const Tensor& scores, const std::vector<int64_t>& targets, int64_t k) {
    return top_k_accuracy(scores, label_tensor(targets), k);
}

double top_k_accuracy(const Tensor& scores, const Tensor& targets, int64_t k) {
    require_scores(scores, targets, "top_k_accuracy");
    if (k < 1) throw std::invalid_argument("top_k_accuracy: k must be >= 1, got " + std::to_string(k));
    const std::vector<int64_t> y = labels(targets);
    const Tensor s = scores.contiguous();
    const int64_t N = s.size(0), C = s.size(1);
    if (N == 0) throw std::invalid_argument("top_k_accuracy: no samples");
    int64_t hits = 0;
    for (int64_t i = 0; i < N; ++i) {
        const int64_t t = y[static_cast<std::size_t>(i)];
        if (t >= C) throw std::invalid_argument("top_k_accuracy: label " + std::to_string(t) + " >= C = " + std::to_string(C));
        const float* row = s.data() + i * C;
        // Rank of the true class: classes scoring higher, plus equal ones with a lower index.
        int64_t ahead = 0;
        for (int64_t c = 0; c < C; ++c) ahead += row[c] > row[t] || (row[c] == row[t] && c < t);
        hits += ahead < k;
    }
    return static_cast<double>(hits) / static_cast<double>(N);
}

// ---- confusion matrix and the scores built on it --------------------------------------

ConfusionMatrix::ConfusionMatrix(const std::vector<int64_t>& y_true, const std::vector<int64_t>& y_pred,
                                 int64_t num_classes)
    : c_(num_classes) {
    if (num_classes < 1) throw std::invalid_argument("ConfusionMatrix: num_classes must be >= 1");
    require_same_size(y_true.size(), y_pred.size(), "ConfusionMatrix");
    counts_.assign(static_cast<std::size_t>(c_ * c_), 0);
    for (std::size_t i = 0; i < y_true.size(); ++i) {
        const int64_t t = y_true[i], p = y_pred[i];
        if (t < 0 || t >= c_ || p < 0 || p >= c_)
            throw std::invalid_argument("ConfusionMatrix: sample " + std::to_string(i) + " has label " +
                                        std::to_string(t) + " and prediction " + std::to_string(p) +
                                        ", outside 0.." + std::to_string(c_ - 1));
        ++counts_[static_cast<std::size_t>(t * c_ + p)];
    }
}

int64_t ConfusionMatrix::at(int64_t t, int64_t p) const {
    if (t < 0 || t >= c_ || p < 0 || p >= c_)
        throw std::out_of_range("ConfusionMatrix::at(" + std::to_string(t) + ", " + std::to_string(p) +
                                ") outside a " + std::to_string(c_) + "-class matrix");
    return counts_[static_cast<std::size_t>(t * c_ + p)];
}

int64_t ConfusionMatrix::support(int64_t c) const {
    int64_t s = 0;
    for (int64_t p = 0; p < c_; ++p) s += at(c, p);
    return s;
}

int64_t ConfusionMatrix::predicted(int64_t c) const {
    int64_t s = 0;
    for (int64_t t = 0; t < c_; ++t) s += at(t, c);
    return s;
}

int64_t ConfusionMatrix::total() const { return std::accumulate(counts_.begin(), counts_.end(), int64_t{0}); }

std::string ConfusionMatrix::str() const {
    std::ostringstream os;
    for (int64_t t = 0; t < c_; ++t) {
        os << '[';
        for (int64_t p = 0; p < c_; ++p) os << (p ? " " : "") << at(t, p);
        os << "]\n";
    }
    return os.str();
}

std::vector<PRF> per_class_scores(const ConfusionMatrix& cm) {
    std::vector<PRF> out;
    for (int64_t c = 0; c < cm.num_classes(); ++c) {
        PRF s;
        const auto tp = static_cast<double>(cm.at(c, c));
        s.support = cm.support(c);
        s.precision = ratio(tp, static_cast<double>(cm.predicted(c)));
        s.recall = ratio(tp, static_cast<double>(s.support));
        s.f1 = ratio(2 * s.precision * s.recall, s.precision + s.recall);
        out.push_back(s);
    }
    return out;
}

namespace {
PRF average(const ConfusionMatrix& cm, bool weighted) {
    PRF avg;
    double wsum = 0;
    for (const PRF& s : per_class_scores(cm)) {
        const double w = weighted ? static_cast<double>(s.support) : 1.0;
        avg.precision += w * s.precision;
        avg.recall += w * s.recall;
        avg.f1 += w * s.f1;
        wsum += w;
        avg.support += s.support;
    }
    avg.precision = ratio(avg.precision, wsum);
    avg.recall = ratio(avg.recall, wsum);
    avg.f1 = ratio(avg.f1, wsum);
    return avg;
}

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
    char buf[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}
}  // namespace

PRF macro_average(const ConfusionMatrix& cm) { return average(cm, false); }
PRF weighted_average(const ConfusionMatrix& cm) { return average(cm, true); }

std::string classification_report(const ConfusionMatrix& cm, const std::vector<std::string>& names, int digits) {
    const int64_t C = cm.num_classes();
    if (!names.empty() && static_cast<int64_t>(names.size()) != C)
        throw std::invalid_argument("classification_report: " + std::to_string(names.size()) + " names for " +
                                    std::to_string(C) + " classes");
    if (digits < 0 || digits > 10) throw std::invalid_argument("classification_report: digits must be 0..10");
    std::vector<std::string> rows(names);
    for (int64_t c = static_cast<int64_t>(rows.size()); c < C; ++c) rows.push_back(std::to_string(c));
    // scikit-learn's layout: names right-aligned to the longest, numbers in 9-wide columns.
    int width = std::max(static_cast<int>(std::string("weighted avg").size()), digits);
    for (const std::string& r : rows) width = std::max(width, static_cast<int>(r.size()));
    std::string out = format("%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score", "support");
    auto line = [&](const std::string& name, const PRF& s) {
        return format("%*s  %9.*f %9.*f %9.*f %9lld\n", width, name.c_str(), digits, s.precision, digits, s.recall,
                      digits, s.f1, static_cast<long long>(s.support));
    };
    const std::vector<PRF> scores = per_class_scores(cm);
    for (int64_t c = 0; c < C; ++c) out += line(rows[static_cast<std::size_t>(c)], scores[static_cast<std::size_t>(c)]);
    int64_t hits = 0;
    for (int64_t c = 0; c < C; ++c) hits += cm.at(c, c);
    const double acc = ratio(static_cast<double>(hits), static_cast<double>(cm.total()));
    out += format("\n%*s  %9s %9s %9.*f %9lld\n", width, "accuracy", "", "", digits, acc,
                  static_cast<long long>(cm.total()));
    out += line("macro avg", macro_average(cm));
    out += line("weighted avg", weighted_average(cm));
    return out;
}

// ---- regression -------------------------------------------------------------------------

double mse(const Tensor& pred, const Tensor& target) {
    require_same_shape(pred, target, "mse");
    const std::vector<float> p = pred.to_vector(), t = target.to_vector();
    double s = 0;
    for (std::size_t i = 0; i < p.size(); ++i) s += (static_cast<double>(p[i]) - t[i]) * (static_cast<double>(p[i]) - t[i]);
    return s / static_cast<double>(p.size());
}

double rmse(const Tensor& pred, const Tensor& target) { return std::sqrt(mse(pred, target)); }

double mae(const Tensor& pred, const Tensor& target) {
    require_same_shape(pred, target, "mae");
    const std::vector<float> p = pred.to_vector(), t = target.to_vector();
    double s = 0;
    for (std::size_t i = 0; i < p.size(); ++i) s += std::fabs(static_cast<double>(p[i]) - t[i]);
    return s / static_cast<double>(p.size());
}

// ---- anomaly detection ------------------------------------------------------------------

double roc_auc(const std::vector<double>& scores, const std::vector<int>& y) {
    if (scores.size() != y.size())
        throw std::invalid_argument("roc_auc: " + std::to_string(scores.size()) + " scores but " +
                                    std::to_string(y.size()) + " labels");
    double n_pos = 0, n_neg = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (y[i] != 0 && y[i] != 1)
            throw std::invalid_argument("roc_auc: label " + std::to_string(y[i]) + " at " + std::to_string(i) +
                                        " is not 0 (normal) or 1 (anomaly)");
        if (std::isnan(scores[i])) throw std::invalid_argument("roc_auc: score " + std::to_string(i) + " is NaN");
        (y[i] ? n_pos : n_neg) += 1;
    }
    if (n_pos == 0 || n_neg == 0)
        throw std::invalid_argument("roc_auc: needs both normal (0) and anomalous (1) samples; got " +
                                    std::to_string(static_cast<int64_t>(n_neg)) + " and " +
                                    std::to_string(static_cast<int64_t>(n_pos)));
    std::vector<std::size_t> idx(scores.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    // Ranks 1..n; a run of tied scores at ranks i+1..j all get their mean (i+1+j)/2.
    double rank_sum_pos = 0;
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        while (j < idx.size() && scores[idx[j]] == scores[idx[i]]) ++j;
        const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t k = i; k < j; ++k) rank_sum_pos += y[idx[k]] ? mean_rank : 0.0;
        i = j;
    }
    return (rank_sum_pos - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg);
}

double roc_auc(const Tensor& scores, const Tensor& labels) {
    if (!scores.defined() || !labels.defined() || scores.dim() != 1 || scores.shape() != labels.shape())
        throw ShapeError("roc_auc: expected 1-d scores and labels of the same length");
    const std::vector<float> s = scores.to_vector(), l = labels.to_vector();
    std::vector<double> sd(s.begin(), s.end());
    std::vector<int> li;
    for (std::size_t i = 0; i < l.size(); ++i) {
        if (l[i] != 0.0f && l[i] != 1.0f)
            throw std::invalid_argument("roc_auc: label " + std::to_string(l[i]) + " at " + std::to_string(i) +
                                        " is not 0 (normal) or 1 (anomaly)");
        li.push_back(l[i] == 1.0f ? 1 : 0);
    }
    return roc_auc(sd, li);
}

}  // namespace iotgrad::iot
