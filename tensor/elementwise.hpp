/// \file
/// Elementwise arithmetic with NumPy broadcasting, comparisons and `where`.
/// `map`, `zip` and `zip3` take any float function; the named ops below are
/// one line each on top of them, and autograd's backward formulas use the
/// same three loops with the derivative written inline.
#pragma once
#include <string>

#include "tensor/strided.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad::tensor {

/// Throws std::invalid_argument naming `op` when t is undefined (default-constructed).
void require_defined(const Tensor& t, const char* op);

/// out[i] = f(a[i]).
template <class F>
Tensor map(const Tensor& a, F f, const char* op = "map") {
    require_defined(a, op);
    Tensor out = Tensor::empty(a.shape());
    strided::for_each_run<2>(a.shape(), {out.data(), const_cast<float*>(a.data())}, {&out.strides(), &a.strides()}, 4,
                             [&](const std::array<float*, 2>& p, int64_t n, const std::array<int64_t, 2>& s) {
                                 float* o = p[0];
                                 const float* x = p[1];
                                 if (s[1] == 1) {
                                     for (int64_t i = 0; i < n; ++i) o[i] = f(x[i]);
                                 } else {
                                     for (int64_t i = 0; i < n; ++i) o[i] = f(x[i * s[1]]);
                                 }
                             });
    return out;
}

/// out[i] = f(a[i], b[i]) with a and b broadcast to a common shape.
template <class F>
Tensor zip(const Tensor& a, const Tensor& b, F f, const char* op = "zip") {
    require_defined(a, op);
    require_defined(b, op);
    const Shape shape = broadcast_shapes(a.shape(), b.shape(), op);
    const Tensor ea = a.expand(shape), eb = b.expand(shape);
    Tensor out = Tensor::empty(shape);
    strided::for_each_run<3>(
        shape, {out.data(), const_cast<float*>(ea.data()), const_cast<float*>(eb.data())},
        {&out.strides(), &ea.strides(), &eb.strides()}, 4,
        [&](const std::array<float*, 3>& p, int64_t n, const std::array<int64_t, 3>& s) {
            float* o = p[0];
            const float *x = p[1], *y = p[2];
            if (s[1] == 1 && s[2] == 1) {
                for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
            } else if (s[1] == 1 && s[2] == 0) {
                const float yv = y[0];
                for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], yv);
            } else {
                for (int64_t i = 0; i < n; ++i) o[i] = f(x[i * s[1]], y[i * s[2]]);
            }
        });
    return out;
}

/// out[i] = f(a[i], b[i], c[i]) with all three broadcast to a common shape.
template <class F>
Tensor zip3(const Tensor& a, const Tensor& b, const Tensor& c, F f, const char* op = "zip3") {
    require_defined(a, op);
    require_defined(b, op);
    require_defined(c, op);
    const Shape shape = broadcast_shapes(broadcast_shapes(a.shape(), b.shape(), op), c.shape(), op);
    const Tensor ea = a.expand(shape), eb = b.expand(shape), ec = c.expand(shape);
    Tensor out = Tensor::empty(shape);
    strided::for_each_run<4>(
        shape,
        {out.data(), const_cast<float*>(ea.data()), const_cast<float*>(eb.data()), const_cast<float*>(ec.data())},
        {&out.strides(), &ea.strides(), &eb.strides(), &ec.strides()}, 6,
        [&](const std::array<float*, 4>& p, int64_t n, const std::array<int64_t, 4>& s) {
            for (int64_t i = 0; i < n; ++i) p[0][i] = f(p[1][i * s[1]], p[2][i * s[2]], p[3][i * s[3]]);
        });
    return out;
}

// ---- named ops (declared here, one line each in elementwise.cpp) ----------------
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
/// a^b elementwise (std::pow).
Tensor pow(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, float b);
Tensor mul(const Tensor& a, float b);
Tensor pow(const Tensor& a, float p);

Tensor neg(const Tensor& a);
Tensor exp(const Tensor& a);
Tensor log(const Tensor& a);
Tensor sqrt(const Tensor& a);
Tensor abs(const Tensor& a);
Tensor tanh(const Tensor& a);
/// Stable logistic: never evaluates exp of a large positive number.
Tensor sigmoid(const Tensor& a);
Tensor relu(const Tensor& a);
Tensor clamp(const Tensor& a, float lo, float hi);

// Comparisons give 1.0 where true and 0.0 where false (float masks).
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
/// cond != 0 ? a : b, all three broadcast.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

/// True when every element of a and b (same shape) differs by at most atol + rtol*|b|.
bool allclose(const Tensor& a, const Tensor& b, float rtol = 1e-5f, float atol = 1e-6f);

/// Sums a broadcast gradient back to `shape` (the reverse of broadcasting):
/// leading dimensions are summed away, stretched size-1 dimensions summed with keepdim.
/// Throws ShapeError when `shape` does not broadcast to g's shape.
Tensor sum_to(const Tensor& g, const Shape& shape);

}  // namespace iotgrad::tensor
