// Convolution on plain tensors (equation 4): im2col + GEMM against the
// nested-loop reference, col2im as the adjoint of im2col, hand-worked values,
// and equation 4 summed literally.
#include <vector>

#include "catch_compat.hpp"
#include "tensor/conv.hpp"
#include "tensor/conv_reference.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/im2col.hpp"

using namespace iotgrad;
using namespace iotgrad::tensor;

namespace {
double dot(const Tensor& a, const Tensor& b) {
    const std::vector<float> x = a.to_vector(), y = b.to_vector();
    REQUIRE(x.size() == y.size());
    double s = 0;
    for (size_t i = 0; i < x.size(); ++i) s += static_cast<double>(x[i]) * y[i];
    return s;
}

struct Config {
    Shape x, w;
    int64_t stride, padding, dilation;
    bool bias;
};
}  // namespace

TEST_CASE("conv1d by im2col + GEMM matches the nested-loop reference", "[tensor][conv][eq4]") {
    Generator gen(11);
    const std::vector<Config> configs = {
        {{2, 3, 10}, {4, 3, 3}, 1, 0, 1, true},   // plain
        {{2, 3, 10}, {4, 3, 3}, 2, 1, 1, false},  // stride 2, padding
        {{1, 2, 11}, {3, 2, 3}, 1, 2, 2, true},   // dilation 2
        {{3, 1, 8}, {2, 1, 3}, 1, 0, 1, false},   // one channel
        {{2, 2, 6}, {3, 2, 6}, 1, 0, 1, true},    // kernel = input length
        {{1, 2, 5}, {2, 2, 4}, 3, 3, 1, true},    // padding wider than the kernel's reach
        {{5, 4, 33}, {6, 4, 5}, 2, 2, 3, true},   // batch folded into one GEMM
    };
    for (const Config& c : configs) {
        const Tensor x = Tensor::randn(c.x, gen), w = Tensor::randn(c.w, gen);
        const Tensor b = c.bias ? Tensor::randn({c.w[0]}, gen) : Tensor();
        const Tensor fast = conv1d(x, w, b, c.stride, c.padding, c.dilation);
        const Tensor ref = conv1d_reference(x, w, b, c.stride, c.padding, c.dilation);
        INFO("x " << shape_str(c.x) << " w " << shape_str(c.w) << " s=" << c.stride << " p=" << c.padding
                  << " d=" << c.dilation);
        REQUIRE(fast.shape() == ref.shape());
        CHECK(allclose(fast, ref, 1e-5f, 1e-5f));
    }
}

TEST_CASE("conv2d by im2col + GEMM matches the nested-loop reference", "[tensor][conv][eq4]") {
    Generator gen(12);
    const std::vector<Config> configs = {
        {{2, 3, 7, 7}, {4, 3, 3, 3}, 1, 1, 1, true},   // same-size output
        {{2, 2, 8, 6}, {3, 2, 3, 2}, 2, 0, 1, false},  // stride 2, non-square kernel and image
        {{1, 1, 9, 9}, {2, 1, 3, 3}, 1, 2, 2, true},   // dilation 2, one channel
        {{2, 2, 5, 5}, {2, 2, 5, 5}, 1, 0, 1, true},   // kernel = image
        {{1, 3, 6, 7}, {2, 3, 1, 1}, 1, 0, 1, false},  // 1x1 kernel
        {{3, 2, 4, 5}, {2, 2, 2, 2}, 3, 2, 1, true},   // stride 3, wide padding
    };
    for (const Config& c : configs) {
        const Tensor x = Tensor::randn(c.x, gen), w = Tensor::randn(c.w, gen);
        const Tensor b = c.bias ? Tensor::randn({c.w[0]}, gen) : Tensor();
        const Tensor fast = conv2d(x, w, b, c.stride, c.padding, c.dilation);
        const Tensor ref = conv2d_reference(x, w, b, c.stride, c.padding, c.dilation);
        INFO("x " << shape_str(c.x) << " w " << shape_str(c.w) << " s=" << c.stride << " p=" << c.padding
                  << " d=" << c.dilation);
        REQUIRE(fast.shape() == ref.shape());
        CHECK(allclose(fast, ref, 1e-5f, 1e-5f));
    }
}

TEST_CASE("hand-worked convolutions", "[tensor][conv][eq4]") {
    const Tensor x = Tensor::from({1, 1, 5}, {1, 2, 3, 4, 5});
    const Tensor w = Tensor::from({1, 1, 3}, {1, 2, 3});
    // y[l] = x[l] + 2 x[l+1] + 3 x[l+2]
    CHECK(conv1d(x, w, Tensor()).to_vector() == std::vector<float>{14, 20, 26});
    CHECK(conv1d(x, w, Tensor(), 2).to_vector() == std::vector<float>{14, 26});
    CHECK(conv1d(x, w, Tensor(), 1, 0, 2).to_vector() == std::vector<float>{22});  // 1*1 + 2*3 + 3*5
    // Padding 1 reads a zero at each end; the bias adds to every position.
    CHECK(conv1d(x, w, Tensor::from({1}, {0.5f}), 1, 1).to_vector() ==
          std::vector<float>{8.5f, 14.5f, 20.5f, 26.5f, 14.5f});

    const Tensor img = Tensor::from({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    const Tensor k = Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4});
    CHECK(conv2d(img, k, Tensor()).to_vector() == std::vector<float>{37, 47, 67, 77});
    CHECK(conv2d_reference(img, k, Tensor()).to_vector() == std::vector<float>{37, 47, 67, 77});
}

TEST_CASE("equation 4 summed literally is the convolution with the kernel flipped", "[tensor][conv][eq4]") {
    // (f * g)(x) = sum_m f(m) g(x - m): numpy.convolve([1, 2, 3], [0, 1, 0.5]) = [0, 1, 2.5, 4, 1.5].
    const Tensor f = Tensor::from({1, 1, 3}, {1, 2, 3});
    const Tensor g_flipped = Tensor::from({1, 1, 3}, {0.5f, 1, 0});
    CHECK(conv1d(f, g_flipped, Tensor(), 1, 2).to_vector() == std::vector<float>{0, 1, 2.5f, 4, 1.5f});

    // Two dimensions, the double sum over the (finite) support of f and g.
    Generator gen(13);
    const int64_t H = 4, W = 5, K = 3;
    const Tensor img = Tensor::randn({H, W}, gen), ker = Tensor::randn({K, K}, gen);
    Tensor literal = Tensor::zeros({1, 1, H + K - 1, W + K - 1});
    for (int64_t x = 0; x < H + K - 1; ++x)
        for (int64_t y = 0; y < W + K - 1; ++y) {
            double s = 0;
            for (int64_t m = 0; m < H; ++m)
                for (int64_t n = 0; n < W; ++n)
                    if (x - m >= 0 && x - m < K && y - n >= 0 && y - n < K)
                        s += img.at({m, n}) * ker.at({x - m, y - n});
            literal.at({0, 0, x, y}) = static_cast<float>(s);
        }
    Tensor flipped = Tensor::zeros({1, 1, K, K});
    for (int64_t m = 0; m < K; ++m)
        for (int64_t n = 0; n < K; ++n) flipped.at({0, 0, m, n}) = ker.at({K - 1 - m, K - 1 - n});
    CHECK(allclose(conv2d(img.reshape({1, 1, H, W}), flipped, Tensor(), 1, K - 1), literal, 1e-5f, 1e-5f));
}

TEST_CASE("im2col known columns and col2im window counts", "[tensor][conv]") {
    // K = 2, padding 1 over [1, 2, 3, 4]: row k holds x[l - 1 + k].
    const Tensor cols = im2col1d(Tensor::from({1, 4}, {1, 2, 3, 4}), 2, 1, 1);
    REQUIRE(cols.shape() == Shape{2, 5});
    CHECK(cols.to_vector() == std::vector<float>{0, 1, 2, 3, 4, 1, 2, 3, 4, 0});
    // col2im of ones counts how many windows cover each input element.
    CHECK(col2im1d(Tensor::ones({3, 3}), 1, 5, 3).to_vector() == std::vector<float>{1, 2, 3, 2, 1});
    CHECK(col2im1d(Tensor::ones({2, 2}), 1, 5, 2, 2, 0, 2).to_vector() == std::vector<float>{1, 0, 2, 0, 1});
    CHECK(col2im2d(Tensor::ones({4, 4}), 1, 3, 3, 2, 2).to_vector() == std::vector<float>{1, 2, 1, 2, 4, 2, 1, 2, 1});
}

TEST_CASE("col2im is the adjoint of im2col: <im2col(x), y> = <x, col2im(y)>", "[tensor][conv][eq4]") {
    Generator gen(14);
    struct C1 {
        int64_t c, l, k, s, p, d;
    };
    for (const C1& c : std::vector<C1>{
             {2, 9, 3, 1, 0, 1}, {3, 10, 3, 2, 1, 1}, {1, 11, 3, 1, 2, 2}, {2, 7, 7, 1, 0, 1}, {2, 6, 2, 3, 4, 1}}) {
        const Tensor x = Tensor::randn({c.c, c.l}, gen);
        const Tensor cx = im2col1d(x, c.k, c.s, c.p, c.d);
        const Tensor y = Tensor::randn(cx.shape(), gen);
        INFO("1-d C=" << c.c << " L=" << c.l << " K=" << c.k << " s=" << c.s << " p=" << c.p << " d=" << c.d);
        CHECK(dot(cx, y) == Approx(dot(x, col2im1d(y, c.c, c.l, c.k, c.s, c.p, c.d))).epsilon(1e-5));
    }
    struct C2 {
        int64_t c, h, w, kh, kw, s, p, d;
    };
    for (const C2& c : std::vector<C2>{{2, 5, 6, 3, 3, 1, 1, 1}, {1, 8, 7, 3, 2, 2, 0, 1}, {3, 9, 9, 3, 3, 2, 2, 2}}) {
        const Tensor x = Tensor::randn({c.c, c.h, c.w}, gen);
        const Tensor cx = im2col2d(x, c.kh, c.kw, c.s, c.p, c.d);
        const Tensor y = Tensor::randn(cx.shape(), gen);
        INFO("2-d C=" << c.c << " " << c.h << "x" << c.w << " K=" << c.kh << "x" << c.kw << " s=" << c.s);
        CHECK(dot(cx, y) == Approx(dot(x, col2im2d(y, c.c, c.h, c.w, c.kh, c.kw, c.s, c.p, c.d))).epsilon(1e-5));
    }
    // The batched forms: samples side by side in one column matrix.
    const ConvGeometry g = ConvGeometry::make2d(2, 5, 4, 2, 3, 1, 1, 1);
    const int64_t nb = 3;
    const Tensor x = Tensor::randn({nb, 2, 5, 4}, gen);
    Tensor cx = Tensor::zeros({g.col_rows(), nb * g.col_cols()});
    im2col_batch(g, x.data(), nb, cx.data());
    const Tensor y = Tensor::randn(cx.shape(), gen);
    Tensor back = Tensor::zeros(x.shape());
    col2im_batch_add(g, y.data(), nb, back.data());
    CHECK(dot(cx, y) == Approx(dot(x, back)).epsilon(1e-5));
    // Sample 1's block of the batched matrix is that sample's own im2col.
    const Tensor one = im2col2d(x.select(0, 1), 2, 3, 1, 1, 1);
    CHECK(allclose(cx.narrow(1, g.col_cols(), g.col_cols()).contiguous(), one));
}

TEST_CASE("conv backward kernels are the adjoints of the forward, across GEMM chunks", "[tensor][conv][eq4]") {
    // y = conv(x, w) is bilinear, so for any G: <y, G> = <x, dX(G)> = <w, dW(G)>.
    // 8 channels x 3x3 x 32x32 positions: two batch chunks (14 + 2) for N = 16 under the 4 MB column budget.
    Generator gen(15);
    for (const Config& c : std::vector<Config>{{{3, 2, 6, 5}, {4, 2, 3, 2}, 2, 1, 1, false},
                                               {{16, 8, 32, 32}, {2, 8, 3, 3}, 1, 1, 1, false}}) {
        const Tensor x = Tensor::randn(c.x, gen), w = Tensor::randn(c.w, gen);
        const ConvGeometry g =
            conv_geometry("conv2d", 2, x.shape(), w.shape(), Tensor(), c.stride, c.padding, c.dilation);
        const Tensor y = conv_forward(x, w, Tensor(), g, conv_output_shape(2, x.shape(), w.shape(), g));
        const Tensor gy = Tensor::randn(y.shape(), gen);
        const double lhs = dot(y, gy);
        INFO("x " << shape_str(c.x) << " w " << shape_str(c.w));
        CHECK(dot(x, conv_grad_input(gy, w, g, x.shape())) == Approx(lhs).epsilon(1e-4));
        CHECK(dot(w, conv_grad_weight(gy, x, g, w.shape())) == Approx(lhs).epsilon(1e-4));
    }
    const Tensor gy = Tensor::from({2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    CHECK(conv_grad_bias(gy).to_vector() == std::vector<float>{1 + 2 + 3 + 7 + 8 + 9, 4 + 5 + 6 + 10 + 11 + 12});
}

TEST_CASE("im2col and the reference convolution reject bad geometry", "[tensor][conv]") {
    CHECK_THROWS_WITH(im2col1d(Tensor::zeros({1, 2, 3}), 2),
                      IOTGRAD_HAS("im2col1d: input must be [C, L], got [1, 2, 3]"));
    CHECK_THROWS_AS(im2col1d(Tensor::zeros({2, 3}), 4), ShapeError);
    CHECK_THROWS_WITH(im2col2d(Tensor::zeros({1, 3, 3}), 2, 2, 0), IOTGRAD_HAS("stride must be >= 1, got 0"));
    CHECK_THROWS_WITH(col2im1d(Tensor::zeros({3, 2}), 1, 5, 3), IOTGRAD_HAS("expected [3, 3]"));
    CHECK_THROWS_WITH(conv2d_reference(Tensor::zeros({1, 2, 4, 4}), Tensor::zeros({1, 3, 3, 3}), Tensor()),
                      IOTGRAD_HAS("conv2d: input [1, 2, 4, 4] has 2 channels but weight [1, 3, 3, 3] expects 3"));
}
