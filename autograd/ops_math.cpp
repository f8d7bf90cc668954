/// \file
/// Elementwise math: exp, log, pow, sqrt, abs, clamp, maximum, minimum, where.
/// Each backward multiplies \f$ g = \partial L/\partial y \f$ by the local
/// derivative \f$ f'(x) \f$, written inline as a lambda; binary ops broadcast
/// and sum the gradient back to each operand's shape (tensor::sum_to).
#include <cmath>
#include <sstream>

#include "autograd/dot.hpp"
#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"

namespace iotgrad {

using tensor::sum_to;
using tensor::zip;
using tensor::zip3;

/// \f$ y = e^x \f$; \f$ \partial L/\partial x = g\, y \f$ (the saved output, not a second exp).
Variable exp(const Variable& x) {
    Tensor y = tensor::exp(x.value());
    return make_result(Op::Exp, y, {x},
                       [y](const Tensor& g, const std::vector<bool>&) { return Grads{tensor::mul(g, y)}; });
}

/// \f$ y = \ln x \f$; \f$ \partial L/\partial x = g / x \f$.
Variable log(const Variable& x) {
    return make_result(
        Op::Log, tensor::log(x.value()), {x},
        [vx = x.value()](const Tensor& g, const std::vector<bool>&) { return Grads{tensor::div(g, vx)}; });
}

/// \f$ y = x^p \f$ for a constant p; \f$ \partial L/\partial x = g\, p\, x^{p-1} \f$.
/// p = 0 gives a zero gradient everywhere (also at x = 0, where \f$ x^{-1} \f$ would be inf).
Variable pow(const Variable& x, float p) {
    Variable y = make_result(
        Op::Pow, tensor::pow(x.value(), p), {x}, [vx = x.value(), p](const Tensor& g, const std::vector<bool>&) {
            return Grads{
                zip(g, vx, [p](float gi, float xi) { return p == 0.0f ? 0.0f : gi * p * std::pow(xi, p - 1.0f); })};
        });
    std::ostringstream os;
    os << "p=" << p;
    set_op_detail(y, os.str());
    return y;
}

/// \f$ y = \sqrt{x} \f$; \f$ \partial L/\partial x = \frac{g}{2y} \f$ (inf at x = 0, like PyTorch).
Variable sqrt(const Variable& x) {
    Tensor y = tensor::sqrt(x.value());
    return make_result(Op::Sqrt, y, {x}, [y](const Tensor& g, const std::vector<bool>&) {
        return Grads{zip(g, y, [](float gi, float yi) { return gi / (2.0f * yi); })};
    });
}

/// \f$ y = |x| \f$; \f$ \partial L/\partial x = g\,\mathrm{sign}(x) \f$, with the
/// subgradient 0 at x = 0 (PyTorch's choice: sign(0) = 0).
Variable abs(const Variable& x) {
    return make_result(
        Op::Abs, tensor::abs(x.value()), {x}, [vx = x.value()](const Tensor& g, const std::vector<bool>&) {
            return Grads{zip(g, vx, [](float gi, float xi) { return xi > 0 ? gi : (xi < 0 ? -gi : 0.0f); })};
        });
}

/// \f$ y = \min(\max(x, lo), hi) \f$;
/// \f$ \partial L/\partial x = g \cdot [lo \le x \le hi] \f$.
/// The bounds themselves count as inside, as in PyTorch's clamp_backward
/// (subgradient 1 at the kinks), so a value sitting exactly on a bound still learns.
Variable clamp(const Variable& x, float lo, float hi) {
    Variable y = make_result(
        Op::Clamp, tensor::clamp(x.value(), lo, hi), {x},
        [vx = x.value(), lo, hi](const Tensor& g, const std::vector<bool>&) {
            return Grads{zip(g, vx, [lo, hi](float gi, float xi) { return lo <= xi && xi <= hi ? gi : 0.0f; })};
        });
    std::ostringstream os;
    os << "lo=" << lo << ", hi=" << hi;
    set_op_detail(y, os.str());
    return y;
}

/// \f$ y = \max(a, b) \f$;
/// \f$ \partial L/\partial a = g\,[a \ge b],\ \partial L/\partial b = g\,[a < b] \f$.
/// Ties send the whole gradient to a (PyTorch splits it in half instead; one
/// winner keeps the sum of the two gradients equal to g either way).
Variable maximum(const Variable& a, const Variable& b) {
    return make_result(
        Op::Maximum, tensor::maximum(a.value(), b.value()), {a, b},
        [va = a.value(), vb = b.value()](const Tensor& g, const std::vector<bool>& needs) {
            Tensor ga, gb;
            if (needs[0])
                ga = sum_to(zip3(g, va, vb, [](float gi, float x, float y) { return x >= y ? gi : 0.0f; }), va.shape());
            if (needs[1])
                gb = sum_to(zip3(g, va, vb, [](float gi, float x, float y) { return x < y ? gi : 0.0f; }), vb.shape());
            return Grads{ga, gb};
        });
}

/// \f$ y = \min(a, b) \f$;
/// \f$ \partial L/\partial a = g\,[a \le b],\ \partial L/\partial b = g\,[a > b] \f$ (ties go to a).
Variable minimum(const Variable& a, const Variable& b) {
    return make_result(
        Op::Minimum, tensor::minimum(a.value(), b.value()), {a, b},
        [va = a.value(), vb = b.value()](const Tensor& g, const std::vector<bool>& needs) {
            Tensor ga, gb;
            if (needs[0])
                ga = sum_to(zip3(g, va, vb, [](float gi, float x, float y) { return x <= y ? gi : 0.0f; }), va.shape());
            if (needs[1])
                gb = sum_to(zip3(g, va, vb, [](float gi, float x, float y) { return x > y ? gi : 0.0f; }), vb.shape());
            return Grads{ga, gb};
        });
}

/// \f$ y = c \ne 0\ ?\ a : b \f$ with c, a, b broadcast together;
/// \f$ \partial L/\partial a = g\,[c \ne 0],\ \partial L/\partial b = g\,[c = 0] \f$,
/// each summed back to its operand's shape. The mask c is a constant (no gradient).
Variable where(const Tensor& cond, const Variable& a, const Variable& b) {
    return make_result(Op::Where, tensor::where(cond, a.value(), b.value()), {a, b},
                       [cond, sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& needs) {
                           // g has the full broadcast shape, so zip(cond, g) has it too.
                           Tensor ga, gb;
                           if (needs[0])
                               ga = sum_to(zip(cond, g, [](float c, float gi) { return c != 0.0f ? gi : 0.0f; }), sa);
                           if (needs[1])
                               gb = sum_to(zip(cond, g, [](float c, float gi) { return c != 0.0f ? 0.0f : gi; }), sb);
                           return Grads{ga, gb};
                       });
}

}  // namespace iotgrad
