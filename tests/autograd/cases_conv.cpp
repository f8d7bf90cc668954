// Gradcheck cases for the conv family (to be filled in with its ops).
#include "op_cases.hpp"

namespace iotgrad::testing {

std::vector<OpCase> conv_cases() { return {}; }

}  // namespace iotgrad::testing
