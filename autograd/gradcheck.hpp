/// \file
/// Finite-difference gradient checking: the proof that each backward matches
/// the definition of the derivative.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"

namespace iotgrad {

struct GradcheckOptions {
    float eps = 1e-3f;   ///< central-difference step
    float atol = 1e-3f;  ///< absolute tolerance
    float rtol = 1e-2f;  ///< relative tolerance (float32 differences are noisy)
    uint64_t seed = 0;   ///< seeds the random projection of non-scalar outputs
};

struct GradcheckResult {
    bool ok = true;
    /// Empty when ok; otherwise names the input, the element index, the numeric and the analytic value.
    std::string message;
    /// Largest |numeric - analytic| seen.
    double max_abs_error = 0;
};

/// Compares backward() against central differences
/// \f$ \frac{L(x + \epsilon e_i) - L(x - \epsilon e_i)}{2\epsilon} \f$ for every
/// element of every input that requires a gradient. A non-scalar output y is
/// reduced to \f$ L = \sum_j r_j y_j \f$ with fixed random r, so every output
/// element takes part. f must be deterministic.
GradcheckResult gradcheck(const std::function<Variable(const std::vector<Variable>&)>& f,
                          const std::vector<Variable>& inputs, const GradcheckOptions& options = {});

}  // namespace iotgrad
