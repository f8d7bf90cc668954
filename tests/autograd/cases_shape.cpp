// Gradcheck cases for the shape family (to be filled in with its ops).
#include "op_cases.hpp"

namespace iotgrad::testing {

std::vector<OpCase> shape_cases() { return {}; }

}  // namespace iotgrad::testing
