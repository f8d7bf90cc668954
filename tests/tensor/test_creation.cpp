// Creating tensors: zeros/ones/full/scalar, arange/linspace/eye, from values,
// ranks 0 to 8, the layout a fresh tensor gets, and element access.
#include <cstdint>
#include <vector>

#include "catch_compat.hpp"

#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {
bool all_equal(const Tensor& t, float v) {
    for (float x : t.to_vector())
        if (x != v) return false;
    return true;
}
}  // namespace

TEST_CASE("zeros ones and full have the requested shape and value at every rank", "[tensor][creation]") {
    for (int64_t rank = 0; rank <= Tensor::kMaxRank; ++rank) {
        Shape shape;
        for (int64_t d = 0; d < rank; ++d) shape.push_back(d % 3 + 1);  // 1, 2, 3, 1, 2, ...
        const Tensor z = Tensor::zeros(shape), o = Tensor::ones(shape), f = Tensor::full(shape, -2.5f);
        CAPTURE(rank);
        CHECK(z.dim() == rank);
        CHECK(z.shape() == shape);
        CHECK(z.numel() == numel_of(shape));
        CHECK(z.strides() == contiguous_strides(shape));
        CHECK(z.offset() == 0);
        CHECK(z.is_contiguous());
        CHECK(all_equal(z, 0.0f));
        CHECK(all_equal(o, 1.0f));
        CHECK(all_equal(f, -2.5f));
        CHECK(f.shape() == shape);
    }
    CHECK(Tensor::empty({2, 3}).to_vector() == std::vector<float>(6, 0.0f));  // zero-filled, never garbage
}

TEST_CASE("rank-0 tensors hold exactly one value", "[tensor][creation]") {
    const Tensor s = Tensor::scalar(4.25f);
    CHECK(s.dim() == 0);
    CHECK(s.shape().empty());
    CHECK(s.numel() == 1);
    CHECK(s.item() == 4.25f);
    CHECK(s.at({}) == 4.25f);
    CHECK(s.to_vector() == std::vector<float>{4.25f});
    CHECK(Tensor::zeros({}).numel() == 1);
    CHECK(Tensor::from({}, {7.0f}).item() == 7.0f);
}

TEST_CASE("contiguous strides are row-major and numel is the product", "[tensor][creation]") {
    CHECK(contiguous_strides({2, 3, 4}) == Shape{12, 4, 1});
    CHECK(contiguous_strides({5}) == Shape{1});
    CHECK(contiguous_strides({}).empty());
    CHECK(contiguous_strides({3, 0, 2}) == Shape{0, 2, 1});
    CHECK(numel_of({2, 3, 4}) == 24);
    CHECK(numel_of({}) == 1);
    CHECK(numel_of({4, 0, 9}) == 0);
    CHECK(shape_str({3, 4}) == "[3, 4]");
    CHECK(shape_str({}) == "[]");
}

TEST_CASE("arange counts like numpy.arange", "[tensor][creation]") {
    CHECK(Tensor::arange(5).to_vector() == std::vector<float>{0, 1, 2, 3, 4});
    CHECK(Tensor::arange(1.0f, 2.5f, 0.5f).to_vector() == std::vector<float>{1.0f, 1.5f, 2.0f});
    CHECK(Tensor::arange(5.0f, 0.0f, -2.0f).to_vector() == std::vector<float>{5, 3, 1});
    // ceil((end - start) / step) elements: 0, 0.25, 0.5, 0.75 (end excluded)
    CHECK(Tensor::arange(0.0f, 1.0f, 0.25f).numel() == 4);
    CHECK(Tensor::arange(0.0f, 1.1f, 0.25f).numel() == 5);
    // An empty range is a [0] tensor, not an error.
    CHECK(Tensor::arange(3.0f, 1.0f).shape() == Shape{0});
    CHECK(Tensor::arange(0).shape() == Shape{0});
    // Large indices keep their digits: the value at i is start + i * step.
    const Tensor big = Tensor::arange(0.0f, 100000.0f, 0.5f);
    CHECK(big.numel() == 200000);
    CHECK(big.at({199999}) == 99999.5f);
}

TEST_CASE("linspace includes both ends exactly", "[tensor][creation]") {
    CHECK(Tensor::linspace(0.0f, 1.0f, 5).to_vector() == std::vector<float>{0.0f, 0.25f, 0.5f, 0.75f, 1.0f});
    CHECK(Tensor::linspace(2.0f, -2.0f, 3).to_vector() == std::vector<float>{2.0f, 0.0f, -2.0f});
    CHECK(Tensor::linspace(3.0f, 9.0f, 1).to_vector() == std::vector<float>{3.0f});
    CHECK(Tensor::linspace(3.0f, 9.0f, 0).shape() == Shape{0});
    // In float, start + (end - start) * 1 rounds to 2.8999999 here; the last value must be end itself.
    for (int64_t n = 2; n < 40; ++n) {
        const Tensor t = Tensor::linspace(-1.3f, 2.9f, n);
        CAPTURE(n);
        CHECK(t.at({0}) == -1.3f);
        CHECK(t.at({n - 1}) == 2.9f);
        for (int64_t i = 1; i < n; ++i) CHECK(t.at({i}) > t.at({i - 1}));
    }
}

TEST_CASE("eye is the identity matrix", "[tensor][creation]") {
    const Tensor e = Tensor::eye(3);
    CHECK(e.shape() == Shape{3, 3});
    CHECK(e.to_vector() == std::vector<float>{1, 0, 0, 0, 1, 0, 0, 0, 1});
    CHECK(Tensor::eye(1).to_vector() == std::vector<float>{1});
    CHECK(Tensor::eye(0).shape() == Shape{0, 0});
}

TEST_CASE("from copies values row-major into the shape", "[tensor][creation]") {
    const std::vector<float> v{1, 2, 3, 4, 5, 6};
    const Tensor a = Tensor::from({2, 3}, v);
    CHECK(a.at({0, 0}) == 1);
    CHECK(a.at({0, 2}) == 3);
    CHECK(a.at({1, 0}) == 4);
    CHECK(a.at({1, 2}) == 6);
    CHECK(a.to_vector() == v);
    const Tensor b = Tensor::from({3, 1, 2}, {1, 2, 3, 4, 5, 6});
    CHECK(b.at({2, 0, 1}) == 6);
    CHECK(b.at({1, 0, 0}) == 3);
    // The tensor owns a copy: changing the vector later changes nothing.
    std::vector<float> w{1, 2};
    const Tensor c = Tensor::from({2}, w);
    w[0] = 100;
    CHECK(c.at({0}) == 1);
    CHECK(Tensor::from({0, 3}, std::vector<float>{}).shape() == Shape{0, 3});
}

TEST_CASE("rank-6 tensors index every coordinate", "[tensor][creation]") {
    const Shape shape{2, 1, 3, 2, 1, 2};
    const Tensor t = Tensor::arange(24).reshape(shape);
    CHECK(t.dim() == 6);
    CHECK(t.strides() == Shape{12, 12, 4, 2, 2, 1});
    int64_t flat = 0;
    for (int64_t a = 0; a < 2; ++a)
        for (int64_t c = 0; c < 3; ++c)
            for (int64_t d = 0; d < 2; ++d)
                for (int64_t f = 0; f < 2; ++f) CHECK(t.at({a, 0, c, d, 0, f}) == static_cast<float>(flat++));
}

TEST_CASE("at() writes and item() reads and data() points at element zero", "[tensor][creation]") {
    Tensor a = Tensor::zeros({2, 2});
    a.at({1, 0}) = 5.0f;
    CHECK(a.to_vector() == std::vector<float>{0, 0, 5, 0});
    CHECK(a.data()[2] == 5.0f);
    a.data()[3] = 7.0f;
    CHECK(a.at({1, 1}) == 7.0f);
    CHECK(Tensor::from({1, 1, 1}, {3.0f}).item() == 3.0f);
    // Fresh storage is aligned for 64-byte vector loads.
    CHECK(reinterpret_cast<std::uintptr_t>(Tensor::zeros({37}).data()) % 64 == 0);
    CHECK(a.size(0) == 2);
    CHECK(a.size(-1) == 2);
}

TEST_CASE("copying a Tensor shares storage; default-constructed tensors are undefined", "[tensor][creation]") {
    Tensor a = Tensor::zeros({3});
    Tensor b = a;  // cheap handle copy, like PyTorch
    b.at({1}) = 9.0f;
    CHECK(a.at({1}) == 9.0f);
    CHECK(a.shares_storage(b));
    CHECK_FALSE(a.shares_storage(Tensor::zeros({3})));
    const Tensor u;
    CHECK_FALSE(u.defined());
    CHECK(a.defined());
    CHECK_FALSE(u.shares_storage(Tensor()));  // two undefined tensors share nothing
}

TEST_CASE("size-0 tensors are valid tensors with no elements", "[tensor][creation]") {
    const Tensor e = Tensor::zeros({3, 0, 2});
    CHECK(e.numel() == 0);
    CHECK(e.to_vector().empty());
    CHECK(e.shape() == Shape{3, 0, 2});
    CHECK(e.clone().shape() == Shape{3, 0, 2});
    CHECK(Tensor::ones({0}).to_vector().empty());
    CHECK(Tensor::full({2, 0}, 1.0f).numel() == 0);
}
