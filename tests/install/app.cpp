// A program outside the iotgrad tree, built against the installed package
// (CI's install stage): find_package(iotgrad) or pkg-config. It trains a tiny
// classifier and fails unless the loss falls.
#include <cstdio>

#include "iot/iotgrad.hpp"

int main() {
    using namespace iotgrad;
    Generator gen(3);
    nn::Sequential model(nn::Linear(4, 16, gen), nn::ReLU(), nn::Linear(16, 3, gen));
    optim::Adam opt(model.parameters(), 0.05);
    const Tensor x = Tensor::randn({32, 4}, gen);
    std::vector<int64_t> y(32);
    for (int64_t i = 0; i < 32; ++i) y[static_cast<size_t>(i)] = x.at({i, 0}) > 0 ? (x.at({i, 1}) > 0 ? 2 : 1) : 0;
    float first = 0, last = 0;
    for (int step = 0; step < 60; ++step) {
        const Variable loss = cross_entropy(model(Variable(x)), y);
        if (step == 0) first = loss.item();
        last = loss.item();
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    std::printf("installed iotgrad: loss %.4f -> %.4f\n", first, last);
    return last < 0.5f * first ? 0 : 1;
}
