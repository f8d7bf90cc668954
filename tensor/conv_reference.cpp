#include "tensor/conv_reference.hpp"

#include "tensor/conv.hpp"

namespace iotgrad::tensor {

namespace {
/// Equation 4 (as a cross-correlation) for one output element y[n, o, i, j],
/// with every input outside the image read as zero.
double output_element(const ConvGeometry& g, const float* x, const float* w, int64_t n, int64_t o, int64_t i,
                      int64_t j) {
    double acc = 0;
    for (int64_t c = 0; c < g.channels; ++c)
        for (int64_t m = 0; m < g.kernel_h; ++m)
            for (int64_t k = 0; k < g.kernel_w; ++k) {
                const int64_t ih = i * g.stride_h - g.pad_h + m * g.dilation_h;
                const int64_t iw = j * g.stride_w - g.pad_w + k * g.dilation_w;
                if (ih < 0 || ih >= g.height || iw < 0 || iw >= g.width) continue;  // zero padding
                const float xv = x[((n * g.channels + c) * g.height + ih) * g.width + iw];
                const float wv = w[((o * g.channels + c) * g.kernel_h + m) * g.kernel_w + k];
                acc += static_cast<double>(xv) * wv;
            }
    return acc;
}

Tensor reference(const char* op, int64_t spatial, const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride,
                 int64_t padding, int64_t dilation) {
    const ConvGeometry g = conv_geometry(op, spatial, x.shape(), w.shape(), bias, stride, padding, dilation);
    const Shape out_shape = conv_output_shape(spatial, x.shape(), w.shape(), g);
    const Tensor xc = x.contiguous(), wc = w.contiguous();
    const Tensor bc = bias.defined() ? bias.contiguous() : Tensor();
    Tensor y = Tensor::zeros(out_shape);
    float* out = y.data();
    const int64_t n_batch = out_shape[0], cout = out_shape[1], oh = g.out_h(), ow = g.out_w();
    for (int64_t n = 0; n < n_batch; ++n)
        for (int64_t o = 0; o < cout; ++o)
            for (int64_t i = 0; i < oh; ++i)
                for (int64_t j = 0; j < ow; ++j) {
                    const double b = bc.defined() ? bc.data()[o] : 0.0;
                    out[((n * cout + o) * oh + i) * ow + j] =
                        static_cast<float>(b + output_element(g, xc.data(), wc.data(), n, o, i, j));
                }
    return y;
}
}  // namespace

Tensor conv1d_reference(const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride, int64_t padding,
                        int64_t dilation) {
    return reference("conv1d", 1, x, w, bias, stride, padding, dilation);
}

Tensor conv2d_reference(const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride, int64_t padding,
                        int64_t dilation) {
    return reference("conv2d", 2, x, w, bias, stride, padding, dilation);
}

}  // namespace iotgrad::tensor
