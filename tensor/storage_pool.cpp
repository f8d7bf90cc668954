#include "tensor/storage_pool.hpp"

#include <new>
#include <unordered_map>
#include <vector>

namespace iotgrad::detail {

namespace {
constexpr std::align_val_t kAlign{64};

/// The calling thread's free blocks, by exact size in bytes.
struct Pool {
    std::unordered_map<std::size_t, std::vector<void*>> free;
    std::size_t cached = 0;
    Pool();
    ~Pool();
};

/// 0: this thread's pool not made yet, 1: alive, 2: destroyed (thread or
/// program exit; storage freed after that, e.g. by a static Tensor, bypasses it).
/// A plain int, constant-initialised, so it can be read at any time.
thread_local int t_pool_state = 0;

Pool::Pool() { t_pool_state = 1; }
Pool::~Pool() {
    t_pool_state = 2;
    for (auto& [bytes, blocks] : free)
        for (void* block : blocks) ::operator delete(block, kAlign);
}

void release_all(Pool& p) {
    for (auto& [bytes, blocks] : p.free)
        for (void* block : blocks) ::operator delete(block, kAlign);
    p.free.clear();
    p.cached = 0;
}

Pool& pool() {
    thread_local Pool p;
    return p;
}
}  // namespace

void* storage_allocate(std::size_t bytes) {
    if (bytes >= kPooledBytes && t_pool_state != 2) {
        Pool& p = pool();
        auto it = p.free.find(bytes);
        if (it != p.free.end() && !it->second.empty()) {
            void* block = it->second.back();
            it->second.pop_back();
            p.cached -= bytes;
            return block;
        }
        // A miss while the cache is (nearly) full means it holds sizes the
        // current work no longer asks for (another model, another batch
        // size): give them back, so stale blocks never pin memory.
        if (p.cached + bytes > kPoolCapBytes) release_all(p);
    }
    return ::operator new(bytes, kAlign);
}

void storage_deallocate(void* block, std::size_t bytes) noexcept {
    if (block != nullptr && bytes >= kPooledBytes && t_pool_state == 1) {
        Pool& p = pool();
        if (p.cached + bytes <= kPoolCapBytes) {
            try {
                p.free[bytes].push_back(block);
                p.cached += bytes;
                return;
            } catch (...) {
                // No memory for the bookkeeping: free the block instead.
            }
        }
    }
    ::operator delete(block, kAlign);
}

std::size_t storage_cached_bytes() noexcept { return t_pool_state == 1 ? pool().cached : 0; }

}  // namespace iotgrad::detail
