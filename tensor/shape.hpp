/// \file
/// Shapes, strides and the broadcasting rule; the error type every shape
/// mistake throws.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace iotgrad {

/// Sizes of each dimension, outermost first (row-major, like NumPy and PyTorch).
using Shape = std::vector<int64_t>;

/// A shape, axis or index mistake. Derives from std::invalid_argument and its
/// message names the op and the shapes involved, e.g.
/// `matmul: shapes [3, 4] and [5, 2] do not align (4 != 5)`.
class ShapeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// `[3, 4]`, the way error messages and printing write a shape.
std::string shape_str(const Shape& shape);

/// Number of elements: the product of the sizes (1 for a rank-0 shape).
int64_t numel_of(const Shape& shape);

/// Row-major strides of a contiguous tensor of this shape.
Shape contiguous_strides(const Shape& shape);

/// NumPy broadcasting: align shapes on the right; a size-1 (or missing)
/// dimension stretches to the other. Throws ShapeError naming `op` otherwise.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

/// Turns a possibly negative axis (-1 = last) into 0..rank-1, or throws
/// ShapeError naming `op`, the axis and the rank.
int64_t normalize_axis(int64_t axis, int64_t rank, const char* op);

}  // namespace iotgrad
