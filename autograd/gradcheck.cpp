#include "autograd/gradcheck.hpp"

#include <cmath>
#include <sstream>

#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"

namespace iotgrad {

namespace {
// L = sum(r * y) in double, for the numeric side.
double project(const Tensor& y, const Tensor& r) {
    const std::vector<float> a = y.to_vector(), b = r.to_vector();
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}
}  // namespace

GradcheckResult gradcheck(const std::function<Variable(const std::vector<Variable>&)>& f,
                          const std::vector<Variable>& inputs, const GradcheckOptions& opt) {
    GradcheckResult result;
    // Analytic side: one backward with upstream r.
    for (const Variable& v : inputs) const_cast<Variable&>(v).zero_grad();
    const Variable y = f(inputs);
    Generator gen(opt.seed);
    const Tensor r = Tensor::rand(y.shape(), gen, 0.5f, 1.5f);
    Variable(y).backward(r);

    for (size_t k = 0; k < inputs.size(); ++k) {
        const Variable& in = inputs[k];
        if (!in.requires_grad()) continue;
        Tensor x = in.value();  // shares storage: perturbing it perturbs the input
        const Tensor analytic = in.grad().defined() ? in.grad() : Tensor::zeros(x.shape());
        const Shape strides = contiguous_strides(x.shape());
        for (int64_t flat = 0; flat < x.numel(); ++flat) {
            std::vector<int64_t> idx(x.dim());
            for (int64_t d = 0, rem = flat; d < x.dim(); ++d) idx[d] = rem / strides[d], rem %= strides[d];
            const float orig = x.at(idx);
            double lp, lm;
            {
                NoGradGuard no_grad;
                x.at(idx) = orig + opt.eps;
                lp = project(f(inputs).value(), r);
                x.at(idx) = orig - opt.eps;
                lm = project(f(inputs).value(), r);
                x.at(idx) = orig;
            }
            const double numeric = (lp - lm) / (2.0 * opt.eps);
            const double a = analytic.at(idx);
            const double err = std::fabs(numeric - a);
            result.max_abs_error = std::max(result.max_abs_error, err);
            if (!(err <= opt.atol + opt.rtol * std::fabs(numeric)) && result.ok) {
                std::ostringstream os;
                os << "gradcheck: input " << k << (in.name().empty() ? "" : " ('" + in.name() + "')") << " of shape "
                   << shape_str(x.shape()) << ", element " << shape_str(idx) << ": numeric " << numeric
                   << ", analytic " << a;
                result.ok = false;
                result.message = os.str();
            }
        }
    }
    return result;
}

}  // namespace iotgrad
