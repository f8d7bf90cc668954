/// \file
/// Where tensor storage comes from: a small per-thread cache of freed blocks
/// in front of the aligned operator new. A training step allocates the same
/// large buffers (activations, gradients, im2col columns) every iteration;
/// handing them straight back to the C library lets it return the pages to
/// the system, and the next iteration pays a page fault per 4 KiB to get them
/// again (12-30% of a training step in the benchmark models, measured with
/// perf). Blocks of at least kPooledBytes are kept in an exact-size free list
/// instead, up to kPoolCapBytes per thread; a miss while the cache is full
/// empties it (its blocks are sizes the current work no longer uses).
///
/// The cache is thread-local, like the gradient mode: no locks, and nothing
/// shared between threads. It never changes a value: storage is still
/// zero-filled by its std::vector, so results are identical with or without it.
#pragma once
#include <cstddef>

namespace iotgrad::detail {

/// Blocks smaller than this go straight to operator new (malloc's own bins are fast there).
constexpr std::size_t kPooledBytes = std::size_t{64} << 10;
/// The most one thread keeps cached; beyond it freed blocks go back to the system.
constexpr std::size_t kPoolCapBytes = std::size_t{128} << 20;

/// `bytes` of 64-byte-aligned memory (throws std::bad_alloc like operator new).
void* storage_allocate(std::size_t bytes);
/// Returns a block from storage_allocate with the same `bytes`.
void storage_deallocate(void* p, std::size_t bytes) noexcept;
/// Bytes of freed blocks the calling thread's cache holds now (for memory reports and tests).
std::size_t storage_cached_bytes() noexcept;

}  // namespace iotgrad::detail
