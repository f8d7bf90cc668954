/// \file
/// The n-dimensional float32 tensor: shape + strides + offset over shared
/// storage. Plain numbers only; gradients live one folder up, in autograd/.
///
/// Taught in \ref tutorial_01_tensors.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <utility>
#include <vector>

#include "tensor/random.hpp"
#include "tensor/shape.hpp"
#include "tensor/storage_pool.hpp"

namespace iotgrad {

/// Allocator that aligns storage to 64 bytes (one cache line, one AVX-512
/// register) so kernels can use aligned loads on contiguous tensors. Large
/// blocks are recycled through a per-thread cache (tensor/storage_pool.hpp).
template <class T>
struct AlignedAllocator {
    using value_type = T;
    AlignedAllocator() = default;
    template <class U>
    AlignedAllocator(const AlignedAllocator<U>&) {}
    T* allocate(std::size_t n) { return static_cast<T*>(detail::storage_allocate(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) { detail::storage_deallocate(p, n * sizeof(T)); }
    /// `Storage(n)` leaves its floats uninitialised (scratch buffers that a
    /// kernel overwrites, e.g. im2col columns); `Storage(n, 0.0f)`, which
    /// every Tensor uses, still fills them.
    template <class U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
    template <class U>
    bool operator==(const AlignedAllocator<U>&) const { return true; }
    template <class U>
    bool operator!=(const AlignedAllocator<U>&) const { return false; }
};

/// The memory behind one or more tensors (views share it).
using Storage = std::vector<float, AlignedAllocator<float>>;

/// A float32 tensor of any rank (0 to 8). Copying a Tensor is cheap and
/// shares storage, like PyTorch's; use clone() for an independent copy.
///
/// Element (i0, i1, ...) lives at `storage[offset + i0*stride0 + i1*stride1 + ...]`.
/// Views (reshape of a contiguous tensor, transpose, permute, slice, expand,
/// squeeze, unsqueeze, select) change only shape, strides and offset.
class Tensor {
public:
    /// Largest supported rank.
    static constexpr int64_t kMaxRank = 8;

    /// An undefined tensor (no storage); defined() is false.
    Tensor() = default;

    // ---- creation ------------------------------------------------------------
    /// Uninitialized contents would be undefined behaviour to read, so empty() zero-fills too.
    static Tensor empty(const Shape& shape);
    static Tensor zeros(const Shape& shape);
    static Tensor ones(const Shape& shape);
    static Tensor full(const Shape& shape, float value);
    /// A rank-0 tensor holding one value.
    static Tensor scalar(float value);
    /// start, start+step, ... up to but excluding end (like numpy.arange).
    static Tensor arange(float start, float end, float step = 1.0f);
    static Tensor arange(int64_t n) { return arange(0.0f, static_cast<float>(n)); }
    /// n evenly spaced values from start to end inclusive (the last is exactly end).
    static Tensor linspace(float start, float end, int64_t n);
    /// n x n identity matrix.
    static Tensor eye(int64_t n);
    /// Copies values (row-major) into a new tensor; throws if the count differs from the shape's.
    static Tensor from(const Shape& shape, const std::vector<float>& values);
    static Tensor from(const Shape& shape, std::initializer_list<float> values);
    /// Normal(mean, std) values from the given generator (needs std >= 0).
    static Tensor randn(const Shape& shape, Generator& gen, float mean = 0.0f, float std = 1.0f);
    /// Uniform [lo, hi) values from the given generator (needs finite lo <= hi).
    static Tensor rand(const Shape& shape, Generator& gen, float lo = 0.0f, float hi = 1.0f);
    /// 1 with probability p, else 0.
    static Tensor bernoulli(const Shape& shape, float p, Generator& gen);

    // ---- metadata ------------------------------------------------------------
    bool defined() const { return storage_ != nullptr; }
    const Shape& shape() const { return shape_; }
    const Shape& strides() const { return strides_; }
    int64_t offset() const { return offset_; }
    int64_t dim() const { return static_cast<int64_t>(shape_.size()); }
    /// Size of one dimension; negative counts from the end.
    int64_t size(int64_t d) const;
    int64_t numel() const { return numel_of(shape_); }
    bool is_contiguous() const;
    /// True when both tensors view the same memory.
    bool shares_storage(const Tensor& other) const { return storage_ && storage_ == other.storage_; }

    // ---- raw access (for kernels) ----------------------------------------------
    /// Pointer to element (0, 0, ..., 0). Contiguous tensors are laid out row-major from here.
    float* data();
    const float* data() const;

    // ---- element access (for tests and tutorials) ------------------------------
    /// Bounds-checked element read/write; throws ShapeError naming the index and shape.
    float at(const std::vector<int64_t>& index) const;
    float& at(const std::vector<int64_t>& index);
    /// The single value of a one-element tensor.
    float item() const;
    /// The values in row-major order.
    std::vector<float> to_vector() const;

    // ---- views (no copy) ------------------------------------------------------
    /// New shape with the same elements; one size may be -1 (inferred).
    /// A view when the strides allow, a copy otherwise (like torch.reshape).
    Tensor reshape(const Shape& shape) const;
    /// Like reshape but never copies: throws if the strides do not allow a view.
    Tensor view(const Shape& shape) const;
    Tensor transpose(int64_t d0, int64_t d1) const;
    /// Swaps the last two dimensions (rank >= 2).
    Tensor t() const { return transpose(-2, -1); }
    Tensor permute(const std::vector<int64_t>& dims) const;
    /// Elements start, start+step, ... < end along dim (negative start/end count from the end; clamped like Python).
    Tensor slice(int64_t dim, int64_t start, int64_t end, int64_t step = 1) const;
    /// length elements from start along dim; throws ShapeError unless 0 <= start <= start + length <= size.
    Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
    /// Index `index` along dim, removing that dimension.
    Tensor select(int64_t dim, int64_t index) const;
    /// Removes one size-1 dimension (or all of them).
    Tensor squeeze(int64_t dim) const;
    Tensor squeeze() const;
    /// Inserts a size-1 dimension at dim (0..rank).
    Tensor unsqueeze(int64_t dim) const;
    /// Broadcasts size-1 dimensions to `shape` with stride 0 (new leading dims
    /// allowed; -1 keeps an existing dimension's size, as in PyTorch).
    Tensor expand(const Shape& shape) const;

    // ---- copies ---------------------------------------------------------------
    /// This tensor if already contiguous, else a contiguous copy.
    Tensor contiguous() const;
    /// An independent contiguous copy.
    Tensor clone() const;
    /// Writes value into every element (through a view, into the viewed storage).
    /// Throws std::invalid_argument on an expanded (stride-0) view, whose elements share memory.
    Tensor& fill_(float value);
    /// Copies src (broadcast to this shape) into this tensor's elements. A source
    /// that overlaps this tensor's memory (a.copy_(a.t())) is read as it was before the copy.
    Tensor& copy_(const Tensor& src);

private:
    Tensor(std::shared_ptr<Storage> storage, Shape shape, Shape strides, int64_t offset);
    int64_t flat_index(const std::vector<int64_t>& index) const;
    void require_defined(const char* op) const;

    std::shared_ptr<Storage> storage_;
    Shape shape_;
    Shape strides_;
    int64_t offset_ = 0;
};

/// Prints like PyTorch: values (long tensors elided with "...") then the shape.
std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace iotgrad
