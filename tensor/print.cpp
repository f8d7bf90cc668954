#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "tensor/tensor.hpp"

namespace iotgrad {

namespace {
// Like PyTorch: beyond this many elements, show the first and last 3 of each dimension.
constexpr int64_t kElideAbove = 1000;
constexpr int64_t kEdgeItems = 3;

void print_dim(std::ostream& os, const Tensor& t, int64_t d, std::vector<int64_t>& idx, bool elide, int indent) {
    const int64_t n = t.shape()[d];
    os << '[';
    for (int64_t i = 0; i < n; ++i) {
        if (elide && n > 2 * kEdgeItems && i == kEdgeItems) {
            os << (d + 1 == t.dim() ? "..., " : "...,\n" + std::string(indent + 1, ' '));
            i = n - kEdgeItems - 1;
            continue;
        }
        idx[d] = i;
        if (d + 1 == t.dim()) {
            os << std::setw(9) << t.at(idx);
        } else {
            print_dim(os, t, d + 1, idx, elide, indent + 1);
        }
        if (i + 1 < n) os << (d + 1 == t.dim() ? ", " : ",\n" + std::string(indent + 1, ' '));
    }
    os << ']';
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
    if (!t.defined()) return os << "tensor(undefined)";
    std::ostringstream body;
    body << std::setprecision(4);
    if (t.dim() == 0) {
        body << t.item();
    } else {
        std::vector<int64_t> idx(t.dim(), 0);
        print_dim(body, t, 0, idx, t.numel() > kElideAbove, 7);
    }
    return os << "tensor(" << body.str() << ", shape=" << shape_str(t.shape()) << ")";
}

}  // namespace iotgrad
