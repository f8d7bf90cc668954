/// \file
/// Arithmetic with broadcasting. For \f$ y = f(a, b) \f$ with a, b broadcast
/// to y's shape, the gradient for each operand is the elementwise derivative
/// times \f$ \partial L/\partial y \f$, summed back over the broadcast
/// dimensions (tensor::sum_to).
#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"

namespace iotgrad {

using tensor::sum_to;

/// \f$ y = a + b \f$; \f$ \partial L/\partial a = g,\ \partial L/\partial b = g \f$.
Variable add(const Variable& a, const Variable& b) {
    return make_result(Op::Add, tensor::add(a.value(), b.value()), {a, b},
                       [sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& needs) {
                           return Grads{needs[0] ? sum_to(g, sa) : Tensor(), needs[1] ? sum_to(g, sb) : Tensor()};
                       });
}

/// \f$ y = a - b \f$; \f$ \partial L/\partial a = g,\ \partial L/\partial b = -g \f$.
Variable sub(const Variable& a, const Variable& b) {
    return make_result(Op::Sub, tensor::sub(a.value(), b.value()), {a, b},
                       [sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& needs) {
                           return Grads{needs[0] ? sum_to(g, sa) : Tensor(),
                                        needs[1] ? sum_to(tensor::neg(g), sb) : Tensor()};
                       });
}

/// \f$ y = a \odot b \f$; \f$ \partial L/\partial a = g \odot b,\ \partial L/\partial b = g \odot a \f$.
Variable mul(const Variable& a, const Variable& b) {
    return make_result(Op::Mul, tensor::mul(a.value(), b.value()), {a, b},
                       [va = a.value(), vb = b.value()](const Tensor& g, const std::vector<bool>& needs) {
                           return Grads{needs[0] ? sum_to(tensor::mul(g, vb), va.shape()) : Tensor(),
                                        needs[1] ? sum_to(tensor::mul(g, va), vb.shape()) : Tensor()};
                       });
}

/// \f$ y = a / b \f$; \f$ \partial L/\partial a = g / b,\ \partial L/\partial b = -g\, a / b^2 \f$.
Variable div(const Variable& a, const Variable& b) {
    return make_result(Op::Div, tensor::div(a.value(), b.value()), {a, b},
                       [va = a.value(), vb = b.value()](const Tensor& g, const std::vector<bool>& needs) {
                           Tensor ga, gb;
                           if (needs[0]) ga = sum_to(tensor::div(g, vb), va.shape());
                           if (needs[1])
                               gb = sum_to(tensor::zip3(g, va, vb, [](float gi, float x, float y) { return -gi * x / (y * y); }),
                                           vb.shape());
                           return Grads{ga, gb};
                       });
}

/// \f$ y = -a \f$; \f$ \partial L/\partial a = -g \f$.
Variable neg(const Variable& a) {
    return make_result(Op::Neg, tensor::neg(a.value()), {a},
                       [](const Tensor& g, const std::vector<bool>&) { return Grads{tensor::neg(g)}; });
}

namespace {
Variable constant(float v) { return Variable(Tensor::scalar(v)); }
}  // namespace

Variable operator+(const Variable& a, const Variable& b) { return add(a, b); }
Variable operator-(const Variable& a, const Variable& b) { return sub(a, b); }
Variable operator*(const Variable& a, const Variable& b) { return mul(a, b); }
Variable operator/(const Variable& a, const Variable& b) { return div(a, b); }
Variable operator-(const Variable& a) { return neg(a); }
Variable operator+(const Variable& a, float b) { return add(a, constant(b)); }
Variable operator-(const Variable& a, float b) { return sub(a, constant(b)); }
Variable operator*(const Variable& a, float b) { return mul(a, constant(b)); }
Variable operator/(const Variable& a, float b) { return div(a, constant(b)); }
Variable operator+(float a, const Variable& b) { return add(constant(a), b); }
Variable operator-(float a, const Variable& b) { return sub(constant(a), b); }
Variable operator*(float a, const Variable& b) { return mul(constant(a), b); }
Variable operator/(float a, const Variable& b) { return div(constant(a), b); }

}  // namespace iotgrad
