// The per-thread storage cache (tensor/storage_pool.hpp): a freed large block
// is handed out again, and a tensor made from it is still zero-filled.
#include <algorithm>
#include <cstdint>

#include "catch_compat.hpp"
#include "tensor/storage_pool.hpp"
#include "tensor/tensor.hpp"

using namespace iotgrad;

TEST_CASE("a freed large block is reused and a new tensor on it reads zeros", "[tensor][storage_pool]") {
    const Shape big{300, 100};  // 120,000 bytes: above the pooled size
    REQUIRE(static_cast<std::size_t>(numel_of(big)) * sizeof(float) >= detail::kPooledBytes);
    const float* first = nullptr;
    {
        Tensor a = Tensor::full(big, 7.0f);
        first = a.data();
    }
    Tensor b = Tensor::empty(big);
    CHECK(b.data() == first);  // the same block, from this thread's cache
    const std::vector<float> v = b.to_vector();
    CHECK(std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; }));
}

TEST_CASE("storage_allocate gives 64-byte-aligned blocks of any size", "[tensor][storage_pool]") {
    for (std::size_t bytes : {std::size_t{4}, std::size_t{1000}, detail::kPooledBytes, detail::kPooledBytes + 4}) {
        void* p = detail::storage_allocate(bytes);
        CHECK(reinterpret_cast<std::uintptr_t>(p) % 64 == 0);
        detail::storage_deallocate(p, bytes);
    }
}

TEST_CASE("a miss while the cache is full empties it, so stale sizes never pin memory", "[tensor][storage_pool]") {
    const std::size_t cap = detail::kPoolCapBytes;
    // A cap-sized request misses; whatever earlier tests left cached (> 0 bytes)
    // plus the request exceeds the cap, so the cache is emptied first.
    void* whole = detail::storage_allocate(cap);
    CHECK(detail::storage_cached_bytes() == 0);
    detail::storage_deallocate(whole, cap);
    CHECK(detail::storage_cached_bytes() == cap);  // kept: exactly the cap
    // Another size misses while the cache is full of a size nobody asks for: emptied.
    void* small = detail::storage_allocate(detail::kPooledBytes);
    CHECK(detail::storage_cached_bytes() == 0);
    detail::storage_deallocate(small, detail::kPooledBytes);
    CHECK(detail::storage_cached_bytes() == detail::kPooledBytes);
}
