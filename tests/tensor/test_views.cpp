// Views change shape, strides and offset over the same storage: writes through
// a view show in the base, clone() and copying reshape do not. Each view is
// also checked element by element against the index formula it implements.
#include <cstdint>
#include <limits>
#include <vector>

#include "catch_compat.hpp"

#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {
// 0, 1, 2, ... in the given shape.
Tensor iota(const Shape& shape) { return Tensor::arange(numel_of(shape)).reshape(shape); }
}  // namespace

TEST_CASE("reshape and view of a contiguous tensor are views", "[tensor][views]") {
    Tensor a = iota({2, 3, 4});
    Tensor r = a.reshape({6, -1});
    CHECK(r.shape() == Shape{6, 4});
    CHECK(r.shares_storage(a));
    CHECK(r.to_vector() == a.to_vector());
    r.at({5, 3}) = -1.0f;  // the last element
    CHECK(a.at({1, 2, 3}) == -1.0f);

    Tensor v = a.view({4, 3, 2});
    CHECK(v.shares_storage(a));
    CHECK(v.strides() == Shape{6, 2, 1});
    v.at({0, 0, 1}) = 100.0f;
    CHECK(a.at({0, 0, 1}) == 100.0f);

    CHECK(a.reshape({-1}).shape() == Shape{24});
    CHECK(a.view({2, 1, 12, 1}).shape() == Shape{2, 1, 12, 1});
    CHECK(a.reshape({24, 1, 1}).to_vector() == a.to_vector());
    CHECK(Tensor::scalar(3.0f).reshape({1, 1}).shape() == Shape{1, 1});
    CHECK(Tensor::zeros({1, 1}).reshape({}).dim() == 0);
    CHECK(Tensor::zeros({0, 3}).reshape({3, -1, 2}).shape() == Shape{3, 0, 2});
}

TEST_CASE("view works on non-contiguous tensors when only compatible dims are split or merged",
          "[tensor][views]") {
    const Tensor a = iota({4, 6});
    // Rows 1..2 of a: still row-major inside, so the rows can be split or merged.
    const Tensor rows = a.slice(0, 1, 3);
    const Tensor v = rows.view({2, 2, 3});
    CHECK(v.shares_storage(a));
    CHECK(v.to_vector() == rows.contiguous().to_vector());
    CHECK(rows.view({12}).to_vector() == rows.contiguous().to_vector());
    // A transposed matrix can be split along one dimension without a copy.
    const Tensor t = a.t();  // [6, 4], strides [1, 6]
    const Tensor split = t.view({2, 3, 4});
    CHECK(split.shares_storage(a));
    CHECK(split.strides() == Shape{3, 1, 6});
    CHECK(split.to_vector() == t.contiguous().to_vector());
    // Expanded (stride-0) dimensions can be split too.
    const Tensor e = Tensor::from({1, 3}, {1, 2, 3}).expand({4, 3});
    const Tensor es = e.view({2, 2, 3});
    CHECK(es.strides() == Shape{0, 0, 1});
    CHECK(es.to_vector() == e.contiguous().to_vector());
}

TEST_CASE("reshape of a non-contiguous tensor copies; view of it throws", "[tensor][views]") {
    Tensor a = iota({3, 4});
    const Tensor t = a.t();
    Tensor flat = t.reshape({12});
    CHECK_FALSE(flat.shares_storage(a));
    CHECK(flat.to_vector() == std::vector<float>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    flat.at({0}) = 50.0f;
    CHECK(a.at({0, 0}) == 0.0f);  // the copy is independent
    CHECK_THROWS_AS(t.view({12}), ShapeError);
    CHECK_THROWS_WITH(t.view({12}), IOTGRAD_HAS("view") && IOTGRAD_HAS("[4, 3]") && IOTGRAD_HAS("reshape"));
    // The first two columns: merging rows of 2 that are 4 apart needs a copy.
    const Tensor cols = a.slice(1, 0, 2);
    CHECK_THROWS_AS(cols.view({6}), ShapeError);
    CHECK(cols.reshape({6}).to_vector() == std::vector<float>{0, 1, 4, 5, 8, 9});
    CHECK_FALSE(cols.reshape({6}).shares_storage(a));
    // Every other column is one run with stride 2 (4 == 2 * 2): a view after all.
    const Tensor even = a.slice(1, 0, 4, 2);
    CHECK(even.view({6}).strides() == Shape{2});
    CHECK(even.view({6}).to_vector() == std::vector<float>{0, 2, 4, 6, 8, 10});
    const Tensor e = Tensor::ones({1, 3}).expand({2, 3});
    CHECK_THROWS_AS(e.view({6}), ShapeError);
    CHECK(e.reshape({6}).to_vector() == std::vector<float>(6, 1.0f));
}

TEST_CASE("transpose and permute move strides and write through", "[tensor][views]") {
    Tensor a = iota({2, 3, 4});
    const Tensor t = a.transpose(0, 2);
    CHECK(t.shape() == Shape{4, 3, 2});
    CHECK(t.strides() == Shape{1, 4, 12});
    CHECK_FALSE(t.is_contiguous());
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 3; ++j)
            for (int64_t k = 0; k < 4; ++k) CHECK(t.at({k, j, i}) == a.at({i, j, k}));
    CHECK(a.transpose(-1, -3).strides() == t.strides());
    CHECK(a.transpose(1, 1).to_vector() == a.to_vector());

    const Tensor p = a.permute({1, 2, 0});
    CHECK(p.shape() == Shape{3, 4, 2});
    CHECK(p.strides() == Shape{4, 1, 12});
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 3; ++j)
            for (int64_t k = 0; k < 4; ++k) CHECK(p.at({j, k, i}) == a.at({i, j, k}));
    CHECK(a.permute({-3, -2, -1}).strides() == a.strides());

    Tensor m = iota({2, 3});
    Tensor mt = m.t();
    mt.at({2, 1}) = -7.0f;
    CHECK(m.at({1, 2}) == -7.0f);
    CHECK(mt.shares_storage(m));
    CHECK(m.t().t().strides() == m.strides());
}

TEST_CASE("slice steps from start with Python's negative and clamped bounds", "[tensor][views]") {
    const Tensor a = Tensor::arange(10);
    CHECK(a.slice(0, 1, 8, 3).to_vector() == std::vector<float>{1, 4, 7});
    CHECK(a.slice(0, 1, 8, 3).strides() == Shape{3});
    CHECK(a.slice(0, 1, 8, 3).offset() == 1);
    CHECK(a.slice(0, -3, -1).to_vector() == std::vector<float>{7, 8});  // a[-3:-1]
    CHECK(a.slice(0, -3, 10).to_vector() == std::vector<float>{7, 8, 9});
    CHECK(a.slice(0, -100, 100).to_vector() == a.to_vector());  // bounds clamp
    CHECK(a.slice(0, -100, 3).to_vector() == std::vector<float>{0, 1, 2});
    CHECK(a.slice(0, 6, 2).numel() == 0);  // end before start: empty
    CHECK(a.slice(0, 12, 20).numel() == 0);
    CHECK(a.slice(0, 2, 9, 100).to_vector() == std::vector<float>{2});  // step past the end
    CHECK(a.slice(0, -8, -1, 2).to_vector() == std::vector<float>{2, 4, 6, 8});
    CHECK(a.slice(0, 0, 10, 4).to_vector() == std::vector<float>{0, 4, 8});
    // Extreme bounds and steps neither overflow nor misbehave.
    const int64_t big = std::numeric_limits<int64_t>::max(), small = std::numeric_limits<int64_t>::min();
    CHECK(a.slice(0, small, big).numel() == 10);
    CHECK(a.slice(0, 3, big, big).to_vector() == std::vector<float>{3});
    CHECK(a.slice(0, big, small).numel() == 0);

    // On a matrix, along either dimension, and a slice of a slice.
    Tensor m = iota({4, 5});
    const Tensor s = m.slice(1, 1, 5, 2);  // columns 1, 3
    CHECK(s.shape() == Shape{4, 2});
    CHECK(s.to_vector() == std::vector<float>{1, 3, 6, 8, 11, 13, 16, 18});
    const Tensor ss = s.slice(0, -1, 4);  // last row of that
    CHECK(ss.to_vector() == std::vector<float>{16, 18});
    CHECK(m.slice(-2, 0, 4, 3).to_vector() == std::vector<float>{0, 1, 2, 3, 4, 15, 16, 17, 18, 19});
    Tensor w = m.slice(1, 1, 5, 2);
    w.at({2, 1}) = 0.5f;
    CHECK(m.at({2, 3}) == 0.5f);  // write through
}

TEST_CASE("narrow is slice by start and length", "[tensor][views]") {
    Tensor m = iota({3, 4});
    const Tensor n = m.narrow(1, 1, 2);
    CHECK(n.shape() == Shape{3, 2});
    CHECK(n.to_vector() == std::vector<float>{1, 2, 5, 6, 9, 10});
    CHECK(n.shares_storage(m));
    CHECK(m.narrow(0, 3, 0).shape() == Shape{0, 4});
    CHECK(m.narrow(-1, 0, 4).to_vector() == m.to_vector());
}

TEST_CASE("select removes a dimension and accepts negative indices", "[tensor][views]") {
    Tensor a = iota({2, 3, 4});
    const Tensor s = a.select(1, 2);
    CHECK(s.shape() == Shape{2, 4});
    CHECK(s.to_vector() == std::vector<float>{8, 9, 10, 11, 20, 21, 22, 23});
    CHECK(a.select(-1, -1).to_vector() == std::vector<float>{3, 7, 11, 15, 19, 23});
    CHECK(a.select(0, 1).select(0, 1).select(0, 1).dim() == 0);
    CHECK(a.select(0, 1).select(0, 1).select(0, 1).item() == 17.0f);
    Tensor row = a.select(0, 0).select(0, 1);
    row.fill_(-1.0f);
    CHECK(a.select(0, 0).to_vector() == std::vector<float>{0, 1, 2, 3, -1, -1, -1, -1, 8, 9, 10, 11});
    CHECK(a.select(0, 1).to_vector() == iota({2, 3, 4}).select(0, 1).to_vector());  // untouched
}

TEST_CASE("squeeze and unsqueeze add and drop size-1 dimensions", "[tensor][views]") {
    const Tensor a = iota({2, 1, 3, 1});
    CHECK(a.squeeze().shape() == Shape{2, 3});
    CHECK(a.squeeze(1).shape() == Shape{2, 3, 1});
    CHECK(a.squeeze(-1).shape() == Shape{2, 1, 3});
    CHECK(a.squeeze(0).shape() == a.shape());  // not size 1: unchanged, like PyTorch
    CHECK(a.squeeze().shares_storage(a));
    CHECK(Tensor::zeros({1, 1}).squeeze().dim() == 0);

    const Tensor v = Tensor::arange(3);
    CHECK(v.unsqueeze(0).shape() == Shape{1, 3});
    CHECK(v.unsqueeze(1).shape() == Shape{3, 1});
    CHECK(v.unsqueeze(-1).shape() == Shape{3, 1});
    CHECK(v.unsqueeze(1).to_vector() == v.to_vector());
    CHECK(v.unsqueeze(0).is_contiguous());
    CHECK(v.unsqueeze(1).is_contiguous());
    CHECK(Tensor::scalar(2.0f).unsqueeze(0).shape() == Shape{1});
    // Round trips keep the strides, also on a non-contiguous view.
    const Tensor t = iota({3, 4}).t();
    const Tensor u = t.unsqueeze(1);
    CHECK(u.shape() == Shape{4, 1, 3});
    CHECK(u.squeeze(1).strides() == t.strides());
    CHECK(u.reshape({4, 3}).shares_storage(t));  // only a size-1 dim removed: still a view
}

TEST_CASE("expand repeats size-1 dimensions with stride 0", "[tensor][views]") {
    Tensor col = Tensor::from({3, 1}, {1, 2, 3});
    const Tensor e = col.expand({3, 4});
    CHECK(e.shape() == Shape{3, 4});
    CHECK(e.strides() == Shape{1, 0});
    CHECK(e.shares_storage(col));
    CHECK(e.to_vector() == std::vector<float>{1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
    col.at({1, 0}) = 20.0f;  // one base element is every element of row 1
    CHECK(e.select(0, 1).to_vector() == std::vector<float>(4, 20.0f));

    const Tensor lead = Tensor::from({2}, {5, 6}).expand({3, 2});  // new leading dimension
    CHECK(lead.strides() == Shape{0, 1});
    CHECK(lead.to_vector() == std::vector<float>{5, 6, 5, 6, 5, 6});
    CHECK(Tensor::scalar(1.5f).expand({2, 2}).to_vector() == std::vector<float>(4, 1.5f));
    CHECK(col.expand({2, 3, 1}).strides() == Shape{0, 1, 1});       // same-size dims keep their stride
    CHECK(col.expand({-1, 5}).shape() == Shape{3, 5});              // -1 keeps a size
    CHECK(Tensor::zeros({1, 3}).expand({0, 3}).numel() == 0);       // size 1 stretches to 0
    CHECK(e.expand({2, 3, 4}).strides() == Shape{0, 1, 0});
}

TEST_CASE("contiguous copies only when needed; clone always copies", "[tensor][views]") {
    Tensor a = iota({3, 4});
    CHECK(a.contiguous().shares_storage(a));
    const Tensor t = a.t();
    const Tensor tc = t.contiguous();
    CHECK_FALSE(tc.shares_storage(a));
    CHECK(tc.is_contiguous());
    CHECK(tc.strides() == Shape{3, 1});
    CHECK(tc.to_vector() == t.to_vector());

    Tensor c = a.clone();
    CHECK_FALSE(c.shares_storage(a));
    CHECK(c.to_vector() == a.to_vector());
    c.at({0, 0}) = 99.0f;
    CHECK(a.at({0, 0}) == 0.0f);
    const Tensor sc = a.slice(1, 1, 4, 2).clone();  // clone of a strided view is contiguous
    CHECK(sc.is_contiguous());
    CHECK(sc.offset() == 0);
    CHECK(sc.to_vector() == std::vector<float>{1, 3, 5, 7, 9, 11});
    // A column is strided (stride 4); one row, even at an offset, is contiguous,
    // and a size-1 dim's stride never matters.
    CHECK_FALSE(a.select(1, 2).unsqueeze(1).is_contiguous());
    CHECK(a.narrow(0, 1, 1).is_contiguous());
    CHECK(a.select(0, 1).unsqueeze(1).is_contiguous());  // [4, 1] with strides [1, 1]
    CHECK(a.select(0, 1).unsqueeze(1).contiguous().shares_storage(a));
}

TEST_CASE("fill_ and copy_ write through views into the base", "[tensor][views]") {
    Tensor a = Tensor::zeros({3, 4});
    a.slice(1, 0, 4, 2).fill_(1.0f);
    CHECK(a.to_vector() == std::vector<float>{1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0});
    a.select(0, 1).copy_(Tensor::from({4}, {5, 6, 7, 8}));
    CHECK(a.select(0, 1).to_vector() == std::vector<float>{5, 6, 7, 8});
    a.t().slice(0, 3, 4).copy_(Tensor::from({3, 1}, {-1, -2, -3}).t());  // last column
    CHECK(a.select(1, 3).to_vector() == std::vector<float>{-1, -2, -3});
    // copy_ broadcasts its source.
    Tensor b = Tensor::zeros({2, 3});
    b.copy_(Tensor::from({3}, {1, 2, 3}));
    CHECK(b.to_vector() == std::vector<float>{1, 2, 3, 1, 2, 3});
    b.copy_(Tensor::scalar(4.0f));
    CHECK(b.to_vector() == std::vector<float>(6, 4.0f));
}

TEST_CASE("copy_ from an overlapping view of the same storage reads the old values", "[tensor][views]") {
    Tensor m = iota({3, 3});
    m.copy_(m.t());
    CHECK(m.to_vector() == std::vector<float>{0, 3, 6, 1, 4, 7, 2, 5, 8});
    Tensor v = Tensor::arange(6);
    v.slice(0, 1, 6).copy_(v.slice(0, 0, 5));  // shift right by one
    CHECK(v.to_vector() == std::vector<float>{0, 0, 1, 2, 3, 4});
}

TEST_CASE("chains of views on a rank-6 tensor match the index formula", "[tensor][views]") {
    const Tensor a = iota({2, 3, 1, 4, 2, 3});
    const Tensor v = a.permute({5, 3, 0, 2, 4, 1}).slice(1, 1, 4, 2).select(2, 1).squeeze(2);  // [3, 2, 2, 3]
    REQUIRE(v.shape() == Shape{3, 2, 2, 3});
    for (int64_t f = 0; f < 3; ++f)
        for (int64_t d = 0; d < 2; ++d)
            for (int64_t e = 0; e < 2; ++e)
                for (int64_t b = 0; b < 3; ++b) {
                    // a[1, b, 0, 1 + 2d, e, f]
                    const float expected = static_cast<float>(((((1 * 3 + b) * 1 + 0) * 4 + 1 + 2 * d) * 2 + e) * 3 + f);
                    CHECK(v.at({f, d, e, b}) == expected);
                }
    CHECK(v.contiguous().to_vector() == v.clone().to_vector());
    CHECK(v.reshape({36}).to_vector() == v.to_vector());
}

TEST_CASE("views of empty tensors stay empty and valid", "[tensor][views]") {
    const Tensor e = Tensor::zeros({0, 3});
    CHECK(e.select(1, 2).shape() == Shape{0});
    CHECK(e.select(1, 2).to_vector().empty());
    CHECK(e.select(1, 2).clone().numel() == 0);
    CHECK(e.t().shape() == Shape{3, 0});
    CHECK(e.t().contiguous().shape() == Shape{3, 0});
    const Tensor a = iota({3, 4});
    const Tensor s = a.slice(0, 3, 3).slice(1, 4, 4);  // offsets past the end, never read
    CHECK(s.shape() == Shape{0, 0});
    CHECK(s.clone().numel() == 0);
    CHECK(s.reshape({0}).numel() == 0);
}
