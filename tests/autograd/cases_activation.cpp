// Gradcheck cases for the activation family (to be filled in with its ops).
#include "op_cases.hpp"

namespace iotgrad::testing {

std::vector<OpCase> activation_cases() { return {}; }

}  // namespace iotgrad::testing
