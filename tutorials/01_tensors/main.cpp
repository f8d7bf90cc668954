// Tutorial 01: what a tensor is in memory.
//
// A Tensor is four things: a flat block of floats (the storage), a shape, the
// strides (how far to step in storage for +1 along each dimension) and an
// offset. Element (i0, i1, ...) lives at
//     storage[offset + i0*stride0 + i1*stride1 + ...]
// Views (transpose, slice, expand, ...) make new shape/strides/offset over the
// SAME storage; nothing is copied until you ask for it.
//
// Build and run:  make tutorials   (or: build/tutorial_01_tensors)
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"
#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {

std::string yes_no(bool b) { return b ? "yes" : "no"; }

// Header of the table every `describe` row lines up with.
void print_header() {
    std::cout << "  " << std::left << std::setw(22) << "tensor" << std::setw(10) << "shape" << std::setw(10)
              << "strides" << std::setw(8) << "offset" << std::setw(12) << "contiguous" << "same storage as\n";
}

// One row: the metadata that decides where each element lives, and whether
// t shares memory with `base` (a view) or has its own (a copy).
void describe(const std::string& name, const Tensor& t, const Tensor& base, const std::string& base_name = "a") {
    std::cout << "  " << std::left << std::setw(22) << name << std::setw(10) << shape_str(t.shape()) << std::setw(10)
              << shape_str(t.strides()) << std::setw(8) << t.offset() << std::setw(12) << yes_no(t.is_contiguous())
              << base_name << "? " << yes_no(t.shares_storage(base)) << "\n";
}

// The storage position of every element, visited in row-major order of t:
// offset + sum_d index[d] * stride[d]. This is exactly what the kernels compute.
std::vector<int64_t> storage_positions(const Tensor& t) {
    std::vector<int64_t> out;
    std::vector<int64_t> idx(t.dim(), 0);
    for (int64_t n = 0; n < t.numel(); ++n) {
        int64_t pos = t.offset();
        for (int64_t d = 0; d < t.dim(); ++d) pos += idx[d] * t.strides()[d];
        out.push_back(pos);
        for (int64_t d = t.dim() - 1; d >= 0; --d) {  // odometer step to the next index
            if (++idx[d] < t.shape()[d]) break;
            idx[d] = 0;
        }
    }
    return out;
}

void print_positions(const std::string& name, const Tensor& t) {
    std::cout << "  " << std::left << std::setw(22) << name << "reads storage at:";
    for (int64_t p : storage_positions(t)) std::cout << std::right << std::setw(3) << p;
    std::cout << "\n";
}

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

// 1. A contiguous matrix: strides [4, 1] mean "next row: +4, next column: +1".
Tensor contiguous_matrix() {
    section("1. A 3x4 matrix is 12 floats in a row");
    Tensor a = Tensor::arange(12).reshape({3, 4});
    std::cout << a << "\n";
    std::cout << "  storage (flat):      ";
    for (float v : a.to_vector()) std::cout << std::setw(3) << v;
    std::cout << "\n";
    print_header();
    describe("a", a, a);
    std::cout << "  a.at({1, 2}) = storage[0 + 1*4 + 2*1] = storage[6] = " << a.at({1, 2}) << "\n";
    return a;
}

// 2. Views: only shape, strides and offset change.
void views(Tensor& a) {
    section("2. Views share memory: transpose, slice, select");
    const Tensor at = a.t();                 // strides swap: [4,1] -> [1,4]
    const Tensor cols = a.slice(1, 1, 3);    // columns 1..2: offset 1, same strides
    const Tensor row2 = a.select(0, 2);      // row 2: offset 8, one dimension fewer
    const Tensor every2 = a.slice(1, 0, 4, 2);  // columns 0 and 2: column stride 2
    print_header();
    describe("a", a, a);
    describe("a.t()", at, a);
    describe("a.slice(1, 1, 3)", cols, a);
    describe("a.select(0, 2)", row2, a);
    describe("a.slice(1, 0, 4, 2)", every2, a);
    print_positions("a", a);
    print_positions("a.t()", at);
    print_positions("a.slice(1, 1, 3)", cols);
    print_positions("a.slice(1, 0, 4, 2)", every2);

    std::cout << "\n  A transpose is a view: writing through it changes a.\n";
    Tensor at_w = a.t();
    at_w.at({2, 1}) = 100.0f;  // element (2,1) of a.t() is element (1,2) of a
    std::cout << "  after a.t().at({2, 1}) = 100:  a.at({1, 2}) = " << a.at({1, 2}) << "\n";
    at_w.at({2, 1}) = 6.0f;  // put it back
}

// 3. contiguous(): a copy only when the layout is not already row-major.
void copies(const Tensor& a) {
    section("3. contiguous() copies only when it must");
    const Tensor same = a.contiguous();
    const Tensor at = a.t();
    const Tensor fresh = at.contiguous();
    print_header();
    describe("a.contiguous()", same, a);
    describe("a.t()", at, a);
    describe("a.t().contiguous()", fresh, a);
    print_positions("a.t().contiguous()", fresh);
    std::cout << "  a is already row-major, so a.contiguous() is a itself (no copy);\n"
                 "  a.t() is not, so .contiguous() lays its elements out afresh in new memory.\n";
    std::cout << "  fresh copy:\n" << fresh << "\n";

    std::cout << "\n  view() never copies, so it refuses when the strides do not allow it:\n";
    try {
        at.view({12});
    } catch (const ShapeError& e) {
        std::cout << "  ShapeError: " << e.what() << "\n";
    }
    const Tensor flat = at.reshape({12});  // reshape copies instead
    std::cout << "  a.t().reshape({12}) copies instead; shares a's memory: " << yes_no(flat.shares_storage(a)) << "\n";
}

// 4. Broadcasting: align shapes on the right; size 1 stretches (stride 0).
void broadcasting() {
    section("4. Broadcasting [3, 1] + [4] -> [3, 4]");
    const Tensor col = Tensor::from({3, 1}, {0, 10, 20});
    const Tensor row = Tensor::from({4}, {1, 2, 3, 4});
    const Shape out = broadcast_shapes(col.shape(), row.shape(), "add");
    std::cout << "  shapes, aligned on the right:\n"
              << "      col  [3, 1]\n      row     [4]   (missing dimension counts as 1)\n"
              << "      out  " << shape_str(out) << "\n";
    const Tensor ce = col.expand(out), re = row.expand(out);
    print_header();
    describe("col.expand({3, 4})", ce, col, "col");
    describe("row.expand({3, 4})", re, row, "row");
    print_positions("col.expand({3, 4})", ce);
    print_positions("row.expand({3, 4})", re);
    std::cout << "  Stride 0 repeats the same float: 12 elements read from 3 (col) or 4 (row) floats.\n";
    std::cout << "  col + row =\n" << tensor::add(col, row) << "\n";

    std::cout << "\n  Shapes that do not broadcast name themselves in the error:\n";
    try {
        tensor::add(Tensor::zeros({3}), Tensor::zeros({4}));
    } catch (const ShapeError& e) {
        std::cout << "  ShapeError: " << e.what() << "\n";
    }
}

// 5. Reductions and keepdim: keeping the reduced axis as size 1 lets the
// result broadcast straight back against the input.
void reductions(const Tensor& a) {
    section("5. Reductions: sum over axis 1, with and without keepdim");
    const Tensor s = tensor::sum(a, {1});
    const Tensor sk = tensor::sum(a, {1}, /*keepdim=*/true);
    std::cout << "  sum(a, {1}) removes axis 1:\n" << s << "\n";
    std::cout << "  sum(a, {1}, keepdim = true) keeps it with size 1:\n" << sk << "\n";
    const Tensor centred = tensor::sub(a, tensor::mean(a, {1}, true));  // [3,4] - [3,1]
    std::cout << "  a - mean(a, {1}, keepdim) centres each row ([3, 4] - [3, 1] broadcasts):\n" << centred << "\n";
    std::cout << "  row means after centring:\n" << tensor::mean(centred, {1}) << "\n";
    std::cout << "  Without keepdim, [3, 4] - [3] would align 4 with 3 and fail:\n";
    try {
        tensor::sub(a, tensor::mean(a, {1}));
    } catch (const ShapeError& e) {
        std::cout << "  ShapeError: " << e.what() << "\n";
    }
}

}  // namespace

int main() {
    Tensor a = contiguous_matrix();
    views(a);
    copies(a);
    broadcasting();
    reductions(a);
    std::cout << "\nDone: views are free, copies are explicit, broadcasting is stride 0.\n";
    return 0;
}
