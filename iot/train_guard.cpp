#include "iot/train_guard.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace iotgrad::iot {

namespace {
std::string describe(int64_t step, double loss, bool has_last, double last, int64_t last_step) {
    const char* what = std::isnan(loss) ? "NaN" : loss > 0 ? "+inf" : "-inf";
    char buf[200];
    if (has_last)
        std::snprintf(buf, sizeof buf, "loss is %s at step %lld (last finite loss: %.6g at step %lld)", what,
                      static_cast<long long>(step), last, static_cast<long long>(last_step));
    else
        std::snprintf(buf, sizeof buf, "loss is %s at step %lld (no finite loss before it)", what,
                      static_cast<long long>(step));
    return buf;
}
}  // namespace

NonFiniteLoss::NonFiniteLoss(int64_t step, double loss, bool has_last, double last_finite, int64_t last_step)
    : std::runtime_error(describe(step, loss, has_last, last_finite, last_step)),
      step_(step),
      loss_(loss),
      has_last_(has_last),
      last_(last_finite) {}

void LossWatcher::observe(int64_t step, double loss) {
    step_ = step;
    if (!std::isfinite(loss)) throw NonFiniteLoss(step, loss, has_finite_, last_finite_, last_finite_step_);
    has_finite_ = true;
    last_finite_ = loss;
    last_finite_step_ = step;
}

}  // namespace iotgrad::iot
