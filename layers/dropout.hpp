/// \file
/// Dropout (Srivastava et al., 2014), inverted: scaling happens at training
/// time so that evaluation is the identity.
#pragma once
#include <cstdint>
#include <string>

#include "layers/module.hpp"

namespace iotgrad::nn {

/// The inverted-dropout mask: each entry is 0 with probability p and
/// \f$ 1/(1-p) \f$ otherwise (all zeros for p = 1), one Bernoulli draw of gen
/// per entry. Dropout and the dropout between recurrent layers multiply by it.
Tensor dropout_mask(const Shape& shape, float p, Generator& gen);

/// In training, \f$ y = x \odot m / (1 - p) \f$ with \f$ m_i \sim \mathrm{Bernoulli}(1 - p) \f$,
/// so \f$ \mathbb E[y] = x \f$; in evaluation, \f$ y = x \f$. The mask comes from
/// the layer's own generator, so two layers built from the same seed drop the
/// same elements, call for call.
class Dropout : public Module {
public:
    /// The layer's generator is split off `gen` (gen advances by one draw).
    Dropout(float p, Generator& gen);
    /// The layer's generator is seeded directly.
    explicit Dropout(float p = 0.5f, uint64_t seed = 0);
    Dropout(Dropout&&) = default;

    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "Dropout"; }
    std::string extra_repr() const override;
    float p() const { return p_; }

private:
    float p_;
    Generator gen_;
};

}  // namespace iotgrad::nn
