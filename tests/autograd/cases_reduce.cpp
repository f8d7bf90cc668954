// Gradcheck cases for the reduce family (to be filled in with its ops).
#include "op_cases.hpp"

namespace iotgrad::testing {

std::vector<OpCase> reduce_cases() { return {}; }

}  // namespace iotgrad::testing
