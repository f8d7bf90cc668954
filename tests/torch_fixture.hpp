// PyTorch fixtures (tests/fixtures/torch/): reference values PyTorch computed,
// read with iotgrad's own safetensors reader.
#pragma once
#include <stdexcept>
#include <string>

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

/// Reads tests/fixtures/torch/<name>.safetensors.
inline TorchFixture torch_fixture(const std::string& name) {
    return {name, tensor::read_safetensors(std::string(IOTGRAD_FIXTURE_DIR) + "/torch/" + name + ".safetensors")};
}

}  // namespace iotgrad::test
