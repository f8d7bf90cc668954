#include "tensor/tensor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "tensor/strided.hpp"

namespace iotgrad {

namespace {
/// a * b, or false when the product would overflow int64 (signed overflow is
/// undefined behaviour, so it must be caught before it happens). a, b >= 0.
bool mul_fits(int64_t a, int64_t b, int64_t& out) {
    if (a != 0 && b > std::numeric_limits<int64_t>::max() / a) return false;
    out = a * b;
    return true;
}

void check_shape(const Shape& shape, const char* op) {
    if (static_cast<int64_t>(shape.size()) > Tensor::kMaxRank)
        throw ShapeError(std::string(op) + ": rank " + std::to_string(shape.size()) + " of " +
                         shape_str(shape) + " exceeds the maximum rank " + std::to_string(Tensor::kMaxRank));
    for (int64_t s : shape)
        if (s < 0) throw ShapeError(std::string(op) + ": negative size in shape " + shape_str(shape));
    int64_t n = 1;
    for (int64_t s : shape)
        if (!mul_fits(n, s, n))
            throw ShapeError(std::string(op) + ": shape " + shape_str(shape) + " has too many elements");
}

/// Every element of t lives at a distinct address. Writing into a tensor
/// whose broadcast (stride-0) dimension repeats an element would race between
/// threads and depend on the write order, so in-place writes refuse it.
void require_writable(const Tensor& t, const char* op) {
    if (t.numel() == 0) return;  // nothing is written (and empty shapes have zero strides)
    for (int64_t d = 0; d < t.dim(); ++d)
        if (t.strides()[d] == 0 && t.shape()[d] > 1)
            throw std::invalid_argument(std::string(op) + ": the destination of shape " + shape_str(t.shape()) +
                                        " with strides " + shape_str(t.strides()) +
                                        " is an expanded view (several elements share one memory location); "
                                        "clone() it first");
}
}  // namespace

Tensor::Tensor(std::shared_ptr<Storage> storage, Shape shape, Shape strides, int64_t offset)
    : storage_(std::move(storage)), shape_(std::move(shape)), strides_(std::move(strides)), offset_(offset) {}

// ---- creation ------------------------------------------------------------------

Tensor Tensor::empty(const Shape& shape) {
    check_shape(shape, "empty");
    auto storage = std::make_shared<Storage>(static_cast<size_t>(numel_of(shape)), 0.0f);
    return Tensor(std::move(storage), shape, contiguous_strides(shape), 0);
}

Tensor Tensor::zeros(const Shape& shape) {
    check_shape(shape, "zeros");
    return empty(shape);
}

Tensor Tensor::ones(const Shape& shape) {
    check_shape(shape, "ones");
    return full(shape, 1.0f);
}

Tensor Tensor::full(const Shape& shape, float value) {
    check_shape(shape, "full");
    Tensor t = empty(shape);
    std::fill(t.storage_->begin(), t.storage_->end(), value);
    return t;
}

Tensor Tensor::scalar(float value) { return full({}, value); }

Tensor Tensor::arange(float start, float end, float step) {
    if (step == 0.0f || !std::isfinite(start) || !std::isfinite(end) || !std::isfinite(step))
        throw std::invalid_argument("arange: step must be non-zero and bounds finite");
    const double n = std::ceil((static_cast<double>(end) - start) / step);
    // Converting a double beyond int64's range is undefined behaviour: refuse first.
    if (n > 9.0e15)
        throw std::invalid_argument("arange: [" + std::to_string(start) + ", " + std::to_string(end) + ") in steps of " +
                                    std::to_string(step) + " has too many elements");
    Tensor t = empty({std::max<int64_t>(0, static_cast<int64_t>(n))});
    // start + i*step in double: a float product loses the low digits of large i.
    for (int64_t i = 0; i < t.numel(); ++i)
        (*t.storage_)[i] = static_cast<float>(start + static_cast<double>(i) * step);
    return t;
}

Tensor Tensor::linspace(float start, float end, int64_t n) {
    if (n < 0) throw std::invalid_argument("linspace: n must be >= 0, got " + std::to_string(n));
    Tensor t = empty({n});
    // In double, and the last value set to `end` itself: in float,
    // start + (end - start) * 1 need not round back to end (e.g. -1.3 .. 2.9).
    for (int64_t i = 0; i < n; ++i)
        (*t.storage_)[i] = static_cast<float>(start + (static_cast<double>(end) - start) * static_cast<double>(i) /
                                                          static_cast<double>(std::max<int64_t>(1, n - 1)));
    if (n > 1) (*t.storage_)[n - 1] = end;
    return t;
}

Tensor Tensor::eye(int64_t n) {
    if (n < 0) throw ShapeError("eye: size must be >= 0, got " + std::to_string(n));
    check_shape({n, n}, "eye");
    Tensor t = zeros({n, n});
    for (int64_t i = 0; i < n; ++i) (*t.storage_)[i * n + i] = 1.0f;
    return t;
}

Tensor Tensor::from(const Shape& shape, const std::vector<float>& values) {
    check_shape(shape, "from");
    if (static_cast<int64_t>(values.size()) != numel_of(shape))
        throw ShapeError("from: " + std::to_string(values.size()) + " values do not fill shape " +
                         shape_str(shape) + " (" + std::to_string(numel_of(shape)) + " elements)");
    Tensor t = empty(shape);
    std::copy(values.begin(), values.end(), t.storage_->begin());
    return t;
}

Tensor Tensor::from(const Shape& shape, std::initializer_list<float> values) {
    return from(shape, std::vector<float>(values));
}

Tensor Tensor::randn(const Shape& shape, Generator& gen, float mean, float std) {
    if (!(std >= 0.0f) || !std::isfinite(std) || !std::isfinite(mean))
        throw std::invalid_argument("randn: need a finite mean and a finite std >= 0, got mean " +
                                    std::to_string(mean) + ", std " + std::to_string(std));
    check_shape(shape, "randn");
    Tensor t = empty(shape);
    for (float& v : *t.storage_) v = mean + std * gen.normal();
    return t;
}

Tensor Tensor::rand(const Shape& shape, Generator& gen, float lo, float hi) {
    if (!(lo <= hi) || !std::isfinite(lo) || !std::isfinite(hi))
        throw std::invalid_argument("rand: need finite bounds with lo <= hi, got [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + ")");
    check_shape(shape, "rand");
    Tensor t = empty(shape);
    for (float& v : *t.storage_) v = gen.uniform(lo, hi);
    return t;
}

Tensor Tensor::bernoulli(const Shape& shape, float p, Generator& gen) {
    if (!(p >= 0.0f && p <= 1.0f)) throw std::invalid_argument("bernoulli: p must be in [0, 1], got " + std::to_string(p));
    check_shape(shape, "bernoulli");
    Tensor t = empty(shape);
    for (float& v : *t.storage_) v = gen.uniform() < p ? 1.0f : 0.0f;
    return t;
}

// ---- metadata and access -----------------------------------------------------

int64_t Tensor::size(int64_t d) const { return shape_[normalize_axis(d, dim(), "size")]; }

bool Tensor::is_contiguous() const {
    int64_t expected = 1;
    for (int64_t i = dim() - 1; i >= 0; --i) {
        if (shape_[i] != 1 && strides_[i] != expected) return false;
        expected *= shape_[i];
    }
    return true;
}

void Tensor::require_defined(const char* op) const {
    if (!storage_) throw std::invalid_argument(std::string(op) + ": the tensor is undefined (default-constructed)");
}

// A view with no elements may carry an offset past the end of its storage
// (e.g. select on a [0, 3] tensor); it is never dereferenced, but forming
// that pointer (or offsetting a null one) is undefined behaviour, so an
// empty tensor hands out the storage's base instead.
float* Tensor::data() {
    require_defined("data");
    return numel() == 0 ? storage_->data() : storage_->data() + offset_;
}

const float* Tensor::data() const {
    require_defined("data");
    return numel() == 0 ? storage_->data() : storage_->data() + offset_;
}

int64_t Tensor::flat_index(const std::vector<int64_t>& index) const {
    require_defined("at");
    if (static_cast<int64_t>(index.size()) != dim())
        throw ShapeError("at: index " + shape_str(index) + " has " + std::to_string(index.size()) +
                         " coordinates for a tensor of shape " + shape_str(shape_));
    int64_t flat = offset_;
    for (int64_t i = 0; i < dim(); ++i) {
        if (index[i] < 0 || index[i] >= shape_[i])
            throw ShapeError("at: index " + shape_str(index) + " is out of range for shape " + shape_str(shape_));
        flat += index[i] * strides_[i];
    }
    return flat;
}

// flat_index first, as its own statement: in `(*storage_)[flat_index(i)]` the
// null storage of an undefined tensor may be dereferenced before the check throws.
float Tensor::at(const std::vector<int64_t>& index) const {
    const int64_t flat = flat_index(index);
    return (*storage_)[static_cast<size_t>(flat)];
}

float& Tensor::at(const std::vector<int64_t>& index) {
    const int64_t flat = flat_index(index);
    return (*storage_)[static_cast<size_t>(flat)];
}

float Tensor::item() const {
    require_defined("item");
    if (numel() != 1)
        throw ShapeError("item: tensor of shape " + shape_str(shape_) + " has " + std::to_string(numel()) +
                         " elements, not 1");
    return (*storage_)[offset_];
}

std::vector<float> Tensor::to_vector() const {
    Tensor c = contiguous();
    return std::vector<float>(c.data(), c.data() + c.numel());
}

// ---- views -----------------------------------------------------------------------

namespace {
Shape infer_shape(const Shape& requested, int64_t numel, const Shape& from, const char* op) {
    Shape shape = requested;
    int64_t known = 1, infer = -1;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == -1) {
            if (infer >= 0) throw ShapeError(std::string(op) + ": only one size may be -1 in " + shape_str(requested));
            infer = static_cast<int64_t>(i);
        } else if (shape[i] < 0) {
            throw ShapeError(std::string(op) + ": invalid size in " + shape_str(requested));
        } else if (!mul_fits(known, shape[i], known)) {
            throw ShapeError(std::string(op) + ": cannot reshape " + shape_str(from) + " into " +
                             shape_str(requested) + " (too many elements)");
        }
    }
    if (infer >= 0) {
        if (known == 0 || numel % known != 0)
            throw ShapeError(std::string(op) + ": cannot reshape " + shape_str(from) + " into " + shape_str(requested));
        shape[infer] = numel / known;
    }
    if (numel_of(shape) != numel)
        throw ShapeError(std::string(op) + ": cannot reshape " + shape_str(from) + " (" + std::to_string(numel) +
                         " elements) into " + shape_str(requested));
    return shape;
}

// Strides for viewing (shape, strides) as new_shape without a copy, or an
// empty result when impossible. Groups of old dimensions that are laid out
// contiguously relative to each other can be split or merged freely.
bool view_strides(const Shape& shape, const Shape& strides, const Shape& new_shape, Shape& out) {
    out.assign(new_shape.size(), 0);
    if (numel_of(shape) == 0) {
        out = contiguous_strides(new_shape);
        return true;
    }
    // Drop size-1 dims of the old shape: they constrain nothing.
    Shape os, ost;
    for (size_t i = 0; i < shape.size(); ++i)
        if (shape[i] != 1) os.push_back(shape[i]), ost.push_back(strides[i]);
    size_t oi = 0, ni = 0;
    while (ni < new_shape.size()) {
        if (new_shape[ni] == 1) {
            out[ni] = 1;
            ++ni;
            continue;
        }
        // Take a chunk of old dims and a chunk of new dims with equal products.
        int64_t op = os[oi], np = new_shape[ni];
        size_t o_end = oi + 1, n_end = ni + 1;
        while (op != np) {
            if (op < np) {
                if (ost[o_end - 1] != ost[o_end] * os[o_end]) return false;  // old chunk not contiguous
                op *= os[o_end++];
            } else {
                np *= new_shape[n_end++];
            }
        }
        // Within the old chunk, dims must nest; then hand out strides from its innermost stride.
        for (size_t k = oi; k + 1 < o_end; ++k)
            if (ost[k] != ost[k + 1] * os[k + 1]) return false;
        int64_t s = ost[o_end - 1];
        for (size_t k = n_end; k-- > ni;) {
            out[k] = s;
            s *= new_shape[k];
        }
        oi = o_end;
        ni = n_end;
    }
    return true;
}
}  // namespace

Tensor Tensor::view(const Shape& shape) const {
    require_defined("view");
    Shape s = infer_shape(shape, numel(), shape_, "view");
    check_shape(s, "view");
    Shape st;
    if (!view_strides(shape_, strides_, s, st))
        throw ShapeError("view: a tensor of shape " + shape_str(shape_) + " with strides " + shape_str(strides_) +
                         " cannot be viewed as " + shape_str(s) + " without a copy; use reshape()");
    return Tensor(storage_, s, st, offset_);
}

Tensor Tensor::reshape(const Shape& shape) const {
    require_defined("reshape");
    Shape s = infer_shape(shape, numel(), shape_, "reshape");
    check_shape(s, "reshape");
    Shape st;
    if (view_strides(shape_, strides_, s, st)) return Tensor(storage_, s, st, offset_);
    Tensor c = contiguous();
    return Tensor(c.storage_, s, contiguous_strides(s), c.offset_);
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
    require_defined("transpose");
    const int64_t a = normalize_axis(d0, dim(), "transpose"), b = normalize_axis(d1, dim(), "transpose");
    Tensor r = *this;
    std::swap(r.shape_[a], r.shape_[b]);
    std::swap(r.strides_[a], r.strides_[b]);
    return r;
}

Tensor Tensor::permute(const std::vector<int64_t>& dims) const {
    require_defined("permute");
    if (static_cast<int64_t>(dims.size()) != dim())
        throw ShapeError("permute: " + shape_str(dims) + " is not a permutation of the " + std::to_string(dim()) +
                         " dimensions of " + shape_str(shape_));
    std::vector<bool> seen(dims.size(), false);
    Tensor r = *this;
    for (size_t i = 0; i < dims.size(); ++i) {
        const int64_t d = normalize_axis(dims[i], dim(), "permute");
        if (seen[d]) throw ShapeError("permute: dimension " + std::to_string(d) + " repeats in " + shape_str(dims));
        seen[d] = true;
        r.shape_[i] = shape_[d];
        r.strides_[i] = strides_[d];
    }
    return r;
}

Tensor Tensor::slice(int64_t d, int64_t start, int64_t end, int64_t step) const {
    require_defined("slice");
    const int64_t a = normalize_axis(d, dim(), "slice");
    if (step <= 0)
        throw ShapeError("slice: step must be positive, got " + std::to_string(step) + " (slicing dimension " +
                         std::to_string(a) + " of " + shape_str(shape_) + ")");
    const int64_t n = shape_[a];
    // Python semantics: negative bounds count from the end, then clamp.
    // Clamp before adding n so that extreme bounds cannot overflow.
    start = std::clamp<int64_t>(start, -n, n);
    end = std::clamp<int64_t>(end, -n, n);
    if (start < 0) start += n;
    if (end < 0) end += n;
    end = std::max(end, start);
    // ceil((end - start) / step) without forming end - start + step - 1,
    // which overflows for a huge step.
    const int64_t len = end - start, count = len == 0 ? 0 : (len - 1) / step + 1;
    Tensor r = *this;
    r.shape_[a] = count;
    if (count == 0) return r;  // no element: the offset and stride are never used
    r.offset_ += start * strides_[a];
    // A single element never steps, and stride * step could overflow.
    if (count > 1) r.strides_[a] *= step;
    return r;
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
    require_defined("narrow");
    const int64_t a = normalize_axis(d, dim(), "narrow");
    // Written as length > n - start so that a huge length cannot overflow.
    if (start < 0 || length < 0 || start > shape_[a] || length > shape_[a] - start)
        throw ShapeError("narrow: start " + std::to_string(start) + " and length " + std::to_string(length) +
                         " are out of range for dimension " + std::to_string(a) + " of " + shape_str(shape_));
    return slice(a, start, start + length);
}

Tensor Tensor::select(int64_t d, int64_t index) const {
    require_defined("select");
    const int64_t a = normalize_axis(d, dim(), "select");
    if (index < -shape_[a] || index >= shape_[a])
        throw ShapeError("select: index " + std::to_string(index) + " is out of range for dimension " +
                         std::to_string(a) + " of " + shape_str(shape_));
    if (index < 0) index += shape_[a];
    Tensor r = *this;
    r.offset_ += index * strides_[a];
    r.shape_.erase(r.shape_.begin() + a);
    r.strides_.erase(r.strides_.begin() + a);
    return r;
}

Tensor Tensor::squeeze(int64_t d) const {
    require_defined("squeeze");
    const int64_t a = normalize_axis(d, dim(), "squeeze");
    if (shape_[a] != 1) return *this;  // like PyTorch: a no-op on a non-1 dimension
    return select(a, 0);
}

Tensor Tensor::squeeze() const {
    require_defined("squeeze");
    Tensor r = *this;
    r.shape_.clear();
    r.strides_.clear();
    for (int64_t i = 0; i < dim(); ++i)
        if (shape_[i] != 1) r.shape_.push_back(shape_[i]), r.strides_.push_back(strides_[i]);
    return r;
}

Tensor Tensor::unsqueeze(int64_t d) const {
    require_defined("unsqueeze");
    const int64_t a = normalize_axis(d, dim() + 1, "unsqueeze");
    if (dim() + 1 > kMaxRank) throw ShapeError("unsqueeze: rank would exceed " + std::to_string(kMaxRank));
    Tensor r = *this;
    const int64_t stride = a < dim() ? strides_[a] * shape_[a] : 1;
    r.shape_.insert(r.shape_.begin() + a, 1);
    r.strides_.insert(r.strides_.begin() + a, stride);
    return r;
}

Tensor Tensor::expand(const Shape& requested) const {
    require_defined("expand");
    if (requested.size() < shape_.size())
        throw ShapeError("expand: cannot expand " + shape_str(shape_) + " to fewer dimensions " +
                         shape_str(requested));
    const size_t lead = requested.size() - shape_.size();
    // Like PyTorch, -1 keeps an existing dimension's size.
    Shape shape = requested;
    for (size_t i = 0; i < shape_.size(); ++i)
        if (shape[lead + i] == -1) shape[lead + i] = shape_[i];
    check_shape(shape, "expand");
    Tensor r = *this;
    r.shape_ = shape;
    r.strides_.assign(shape.size(), 0);
    for (size_t i = 0; i < shape_.size(); ++i) {
        if (shape_[i] == shape[lead + i]) {
            r.strides_[lead + i] = strides_[i];
        } else if (shape_[i] != 1) {
            throw ShapeError("expand: cannot expand " + shape_str(shape_) + " to " + shape_str(shape) +
                             " (dimension " + std::to_string(i) + " has size " + std::to_string(shape_[i]) + ", not 1)");
        }
    }
    return r;
}

// ---- copies ------------------------------------------------------------------------

Tensor Tensor::contiguous() const {
    require_defined("contiguous");
    if (is_contiguous()) return *this;
    return clone();
}

Tensor Tensor::clone() const {
    require_defined("clone");
    Tensor out = empty(shape_);
    out.copy_(*this);
    return out;
}

Tensor& Tensor::fill_(float value) {
    require_defined("fill_");
    require_writable(*this, "fill_");
    strided::for_each(*this, [value](float& v) { v = value; });
    return *this;
}

Tensor& Tensor::copy_(const Tensor& src) {
    require_defined("copy_");
    if (!src.defined()) throw std::invalid_argument("copy_: the source tensor is undefined (default-constructed)");
    const Shape b = broadcast_shapes(src.shape(), shape_, "copy_");
    if (b != shape_)
        throw ShapeError("copy_: source of shape " + shape_str(src.shape()) + " does not broadcast to " +
                         shape_str(shape_));
    require_writable(*this, "copy_");
    // A source overlapping the destination (a.copy_(a.t())) would be read
    // after being partly overwritten: copy it out first.
    const Tensor from = src.shares_storage(*this) ? src.clone() : src;
    Tensor s = from.expand(shape_);
    strided::zip_into(*this, s, [](float& d, float v) { d = v; });
    return *this;
}

}  // namespace iotgrad
