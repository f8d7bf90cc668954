/// \file
/// Layer normalisation over the trailing D elements of each row as one node:
/// \f$ \hat x = (x - \mu) / \sqrt{\sigma^2 + \epsilon} \f$ with the row mean
/// \f$ \mu \f$ and biased variance \f$ \sigma^2 \f$, then \f$ y = \hat x \odot w + b \f$.
/// The same value as nn::LayerNorm's composition of mean, sub, mul, sqrt and
/// div, in one pass per row instead of eight broadcast ops. Backward, with
/// \f$ r = 1/\sqrt{\sigma^2 + \epsilon} \f$ and \f$ \hat g = g \odot w \f$:
/// \f$ \partial L/\partial x = r\,(\hat g - \overline{\hat g} - \hat x\,\overline{\hat g \odot \hat x}) \f$
/// (bars: row means), \f$ \partial L/\partial w = \sum_{\text{rows}} g \odot \hat x \f$,
/// \f$ \partial L/\partial b = \sum_{\text{rows}} g \f$.
#include <cmath>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "tensor/fast_math.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad {

Variable layer_norm(const Variable& x, const Variable& weight, const Variable& bias, float eps) {
    if (!x.defined() || !weight.defined() || !bias.defined())
        throw std::invalid_argument("layer_norm: x, weight and bias must be defined");
    const Shape& ws = weight.shape();
    bool ok = ws == bias.shape() && x.dim() >= static_cast<int64_t>(ws.size());
    for (size_t i = 0; ok && i < ws.size(); ++i) ok = x.shape()[x.shape().size() - ws.size() + i] == ws[i];
    if (!ok)
        throw ShapeError("layer_norm: input " + shape_str(x.shape()) + " must end in the weight's shape " +
                         shape_str(ws) + ", and the bias " + shape_str(bias.shape()) + " must equal it");
    const int64_t D = numel_of(ws), rows = D > 0 ? x.numel() / D : 0;
    const Tensor xc = x.value().contiguous(), wc = weight.value().contiguous(), bc = bias.value().contiguous();
    Tensor y = Tensor::empty(x.shape()), xhat = Tensor::empty(x.shape()), rstd = Tensor::empty({rows});
    const float *wp = wc.data(), *bp = bc.data();
    parallel_for(rows, 4 * D, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            const float* xr = xc.data() + r * D;
            const float mu = fastmath::sum(xr, D) / static_cast<float>(D);
            float* hr = xhat.data() + r * D;
            float* yr = y.data() + r * D;
            for (int64_t j = 0; j < D; ++j) hr[j] = xr[j] - mu;  // centred, then scaled below
            const float var = fastmath::dot(hr, hr, D) / static_cast<float>(D);
            const float s = std::sqrt(var + eps);
            for (int64_t j = 0; j < D; ++j) {
                hr[j] = hr[j] / s;
                yr[j] = hr[j] * wp[j] + bp[j];
            }
            rstd.data()[r] = 1.0f / s;
        }
    });
    return make_result(
        Op::LayerNorm, y, {x, weight, bias},
        [xhat, rstd, wc, rows, D, xs = x.shape(), ws](const Tensor& g_in, const std::vector<bool>& needs) {
            const Tensor g = g_in.contiguous();
            const float* wp = wc.data();
            Tensor dx = needs[0] ? Tensor::empty(xs) : Tensor();
            Tensor dw = Tensor::zeros(ws), db = Tensor::zeros(ws);
            std::vector<float> gw(static_cast<size_t>(D));
            for (int64_t r = 0; r < rows; ++r) {
                const float* gr = g.data() + r * D;
                const float* hr = xhat.data() + r * D;
                float* dwp = dw.data();
                float* dbp = db.data();
                for (int64_t j = 0; j < D; ++j) {
                    dwp[j] += gr[j] * hr[j];
                    dbp[j] += gr[j];
                }
                if (!needs[0]) continue;
                for (int64_t j = 0; j < D; ++j) gw[static_cast<size_t>(j)] = gr[j] * wp[j];  // g w
                const float mean_g = fastmath::sum(gw.data(), D) / static_cast<float>(D);
                const float mean_gh = fastmath::dot(gw.data(), hr, D) / static_cast<float>(D);
                float* dxr = dx.data() + r * D;
                const float rs = rstd.data()[r];
                for (int64_t j = 0; j < D; ++j) dxr[j] = rs * (gw[static_cast<size_t>(j)] - mean_g - hr[j] * mean_gh);
            }
            return Grads{dx, needs[1] ? dw : Tensor(), needs[2] ? db : Tensor()};
        });
}

}  // namespace iotgrad
