// Gradcheck cases for the softmax family (to be filled in with its ops).
#include "op_cases.hpp"

namespace iotgrad::testing {

std::vector<OpCase> softmax_cases() { return {}; }

}  // namespace iotgrad::testing
