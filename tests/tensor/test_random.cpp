// The seeded Generator and the random tensor constructors: reproducible for a
// seed, different across seeds, and drawing from the right distribution.
#include <cmath>
#include <set>
#include <vector>

#include "catch_compat.hpp"

#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {
double mean_of(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += x;
    return s / static_cast<double>(v.size());
}
double std_of(const std::vector<float>& v) {
    const double m = mean_of(v);
    double s = 0;
    for (float x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
}
}  // namespace

TEST_CASE("the generator is xoshiro256** seeded by splitmix64 and the same on every platform", "[tensor][random]") {
    // Reference values from an independent implementation of both algorithms.
    Generator g0(0), g42(42);
    CHECK(g0.next_u64() == 0x99ec5f36cb75f2b4ull);
    CHECK(g0.next_u64() == 0xbf6e1f784956452aull);
    CHECK(g0.next_u64() == 0x1a5f849d4933e6e0ull);
    CHECK(g42.next_u64() == 0x15780b2e0c2ec716ull);
    CHECK(g42.next_u64() == 0x6104d9866d113a7eull);
}

TEST_CASE("the same seed gives the same numbers; different seeds differ", "[tensor][random]") {
    Generator a(123), b(123), c(124);
    const Tensor ra = Tensor::randn({100}, a), rb = Tensor::randn({100}, b), rc = Tensor::randn({100}, c);
    CHECK(ra.to_vector() == rb.to_vector());
    CHECK(ra.to_vector() != rc.to_vector());
    CHECK(Tensor::rand({50}, a).to_vector() == Tensor::rand({50}, b).to_vector());
    CHECK(Tensor::bernoulli({50}, 0.5f, a).to_vector() == Tensor::bernoulli({50}, 0.5f, b).to_vector());
    // The stream moves on: a second draw differs from the first.
    Generator d(123);
    const Tensor first = Tensor::randn({100}, d);
    CHECK(first.to_vector() == ra.to_vector());
    CHECK(Tensor::randn({100}, d).to_vector() != first.to_vector());
    // The shape only arranges the draws: [2, 3] is [6] reshaped.
    Generator e(5), f(5);
    CHECK(Tensor::randn({2, 3}, e).to_vector() == Tensor::randn({6}, f).to_vector());
    // Seeds 0 and 1 (nearby seeds) give unrelated streams.
    Generator s0(0), s1(1);
    int same = 0;
    for (int i = 0; i < 100; ++i) same += s0.next_u64() == s1.next_u64();
    CHECK(same == 0);
}

TEST_CASE("normal draws have mean 0 and std 1 over 10k samples", "[tensor][random]") {
    Generator gen(2024);
    const std::vector<float> v = Tensor::randn({10000}, gen).to_vector();
    // Standard error of the mean is 0.01; of the std about 0.007.
    CHECK(std::fabs(mean_of(v)) < 0.04);
    CHECK(std::fabs(std_of(v) - 1.0) < 0.03);
    int beyond2 = 0;  // P(|z| > 2) = 4.55%
    for (float x : v) beyond2 += std::fabs(x) > 2.0f;
    CHECK(beyond2 > 350);
    CHECK(beyond2 < 560);
    for (float x : v) REQUIRE(std::isfinite(x));
    // Shifted and scaled.
    const std::vector<float> w = Tensor::randn({10000}, gen, 5.0f, 2.0f).to_vector();
    CHECK(mean_of(w) == Approx(5.0).margin(0.08));
    CHECK(std_of(w) == Approx(2.0).margin(0.06));
    // std = 0 is allowed and gives the mean.
    CHECK(Tensor::randn({3}, gen, 1.5f, 0.0f).to_vector() == std::vector<float>(3, 1.5f));
}

TEST_CASE("uniform draws stay in the half-open range and spread evenly", "[tensor][random]") {
    Generator gen(7);
    const std::vector<float> u = Tensor::rand({10000}, gen).to_vector();
    for (float x : u) {
        REQUIRE(x >= 0.0f);
        REQUIRE(x < 1.0f);
    }
    CHECK(mean_of(u) == Approx(0.5).margin(0.01));  // standard error 0.003
    int low = 0;
    for (float x : u) low += x < 0.25f;
    CHECK(low > 2300);
    CHECK(low < 2700);
    const std::vector<float> r = Tensor::rand({10000}, gen, -3.0f, 5.0f).to_vector();
    for (float x : r) {
        REQUIRE(x >= -3.0f);
        REQUIRE(x < 5.0f);
    }
    CHECK(mean_of(r) == Approx(1.0).margin(0.08));
    // Where float spacing is coarse, lo + (hi - lo) * u rounds up to hi for half
    // the draws; the range must stay half-open anyway.
    const float lo = 16777216.0f, hi = 16777218.0f;  // 2^24 and the next float after 2^24 + 1
    for (float x : Tensor::rand({1000}, gen, lo, hi).to_vector()) REQUIRE(x == lo);
    for (int i = 0; i < 1000; ++i) REQUIRE(gen.uniform(1.0f, 1.0000001f) < 1.0000001f);
    CHECK(Tensor::rand({4}, gen, 2.0f, 2.0f).to_vector() == std::vector<float>(4, 2.0f));  // empty range: lo
}

TEST_CASE("bernoulli draws 1 with probability p", "[tensor][random]") {
    Generator gen(11);
    for (float p : {0.1f, 0.3f, 0.5f, 0.9f}) {
        const std::vector<float> v = Tensor::bernoulli({10000}, p, gen).to_vector();
        CAPTURE(p);
        for (float x : v) REQUIRE((x == 0.0f || x == 1.0f));
        CHECK(mean_of(v) == Approx(p).margin(0.02));  // standard error at most 0.005
    }
    CHECK(Tensor::bernoulli({1000}, 0.0f, gen).to_vector() == std::vector<float>(1000, 0.0f));
    CHECK(Tensor::bernoulli({1000}, 1.0f, gen).to_vector() == std::vector<float>(1000, 1.0f));
}

TEST_CASE("below(n) covers 0..n-1 and split() gives an independent reproducible stream", "[tensor][random]") {
    Generator gen(3);
    std::set<uint64_t> seen;
    for (int i = 0; i < 1000; ++i) {
        const uint64_t x = gen.below(7);
        REQUIRE(x < 7);
        seen.insert(x);
    }
    CHECK(seen.size() == 7);
    CHECK(gen.below(1) == 0);
    CHECK(gen.below(0) == 0);

    Generator p1(9), p2(9);
    Generator c1 = p1.split(), c2 = p2.split();
    CHECK(c1.next_u64() == c2.next_u64());            // reproducible
    CHECK(p1.next_u64() == p2.next_u64());            // the parents stay in step
    Generator fresh(9);
    fresh.next_u64();  // the parent's first output seeded the child
    const uint64_t parent_next = fresh.next_u64();
    Generator child(9);
    child = child.split();
    CHECK(child.next_u64() != parent_next);
}

TEST_CASE("random creation with empty and rank-0 shapes", "[tensor][random]") {
    Generator gen(1);
    CHECK(Tensor::randn({0, 5}, gen).numel() == 0);
    CHECK(Tensor::rand({}, gen).dim() == 0);
    CHECK(Tensor::bernoulli({}, 1.0f, gen).item() == 1.0f);
    // An empty draw consumes nothing: the stream is where it was.
    Generator a(8), b(8);
    Tensor::randn({0}, a);
    CHECK(Tensor::randn({4}, a).to_vector() == Tensor::randn({4}, b).to_vector());
}
