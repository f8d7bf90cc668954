// PyTorch fixtures (tests/fixtures/torch/): reference values PyTorch computed,
// read with iotgrad's own safetensors reader.
#pragma once
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "tensor/safetensors.hpp"

#ifndef IOTGRAD_FIXTURE_DIR
#error "IOTGRAD_FIXTURE_DIR is set by tests/CMakeLists.txt"
#endif

namespace iotgrad::test {

/// A loaded fixture: `t("name")` is the tensor, or a failure naming the fixture and the key.
struct TorchFixture {
    std::string name;
    tensor::Safetensors file;
    const Tensor& t(const std::string& key) const {
        const Tensor* p = file.find(key);
        if (!p) throw std::runtime_error("fixture " + name + " has no tensor '" + key + "'");
        return *p;
    }
};

/// The largest |a - b| over all elements; shapes must match (a mismatch is
/// reported as infinity, so any tolerance check fails).
inline float max_abs_diff(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) return INFINITY;
    const std::vector<float> x = a.to_vector(), y = b.to_vector();
    float m = 0.0f;
    for (std::size_t i = 0; i < x.size(); ++i) m = std::max(m, std::fabs(x[i] - y[i]));
    return m;
}

/// Reads tests/fixtures/torch/<name>.safetensors.
inline TorchFixture torch_fixture(const std::string& name) {
    return {name, tensor::read_safetensors(std::string(IOTGRAD_FIXTURE_DIR) + "/torch/" + name + ".safetensors")};
}

}  // namespace iotgrad::test
