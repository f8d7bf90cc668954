#include <cmath>
#include <vector>

#include "autograd/autograd.hpp"
#include "catch_compat.hpp"
#include "iot/fit.hpp"
#include "iot/models.hpp"
#include "layers/state.hpp"
#include "tensor/random.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

TEST_CASE("fit: the anomaly threshold is mean + 3 sd of the training errors", "[iot][fit]") {
    CHECK(error_threshold({1, 2, 3}) == Approx(2.0 + 3.0 * std::sqrt(2.0 / 3.0)));
    CHECK(error_threshold({5}) == 5.0);
    CHECK_THROWS(error_threshold({}));
}

TEST_CASE("fit: batched inference equals one forward pass; reconstruction error by hand", "[iot][fit]") {
    Generator g(3);
    const Tensor X = Tensor::randn({5, 4, 2}, g);
    auto model = make_model(ModelSpec{"mlp", 4, 2, 3, 1});
    model->eval();
    Tensor whole;
    {
        NoGradGuard ng;
        whole = model->forward(Variable(X)).value();
    }
    const Tensor batched = predict_batched(*model, X, 2);
    REQUIRE(batched.shape() == Shape{5, 3});
    const std::vector<float> a = whole.to_vector(), b = batched.to_vector();
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(b[i] == Approx(a[i]).margin(1e-6));

    auto ae = make_model(ModelSpec{"autoencoder", 4, 2, 1, 1});
    const std::vector<double> err = reconstruction_errors(*ae, X, 3);
    const Tensor rec = predict_batched(*ae, X);
    double e0 = 0;
    for (int k = 0; k < 8; ++k) {
        const double d = rec.data()[k] - X.contiguous().data()[k];
        e0 += d * d / 8.0;
    }
    CHECK(err[0] == Approx(e0));
}

TEST_CASE("fit: training lowers the loss and the same seed gives the same weights", "[iot][fit]") {
    // Two classes told apart by the sign of channel 0.
    Generator g(5);
    Tensor X = Tensor::randn({40, 4, 2}, g);
    std::vector<float> y(40);
    for (int i = 0; i < 40; ++i) y[i] = X.at({i, 0, 0}) > 0 ? 1.0f : 0.0f;
    const Tensor Y = Tensor::from({40}, y);
    FitOptions o;
    o.epochs = 1;
    o.batch = 8;
    o.seed = 2;
    auto m1 = make_model(ModelSpec{"mlp", 4, 2, 2, 7});
    const double first = fit(*m1, Task::kClassify, X, Y, o);
    o.epochs = 30;
    auto m2 = make_model(ModelSpec{"mlp", 4, 2, 2, 7}), m3 = make_model(ModelSpec{"mlp", 4, 2, 2, 7});
    const double later = fit(*m2, Task::kClassify, X, Y, o);
    fit(*m3, Task::kClassify, X, Y, o);
    CHECK(later < 0.5 * first);
    const auto s2 = nn::state_dict(*m2), s3 = nn::state_dict(*m3);
    for (std::size_t i = 0; i < s2.size(); ++i) CHECK(s2[i].second.to_vector() == s3[i].second.to_vector());
    CHECK_THROWS_WITH(fit(*m2, Task::kClassify, Tensor::zeros({0, 4, 2}), Tensor::zeros({0}), o),
                      IOTGRAD_HAS("no training windows"));
}
