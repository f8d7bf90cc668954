// Placeholder until this subcommand is written: it says so and fails.
#include "iot/cli/commands.hpp"

namespace iotgrad::iot::cli {

int cmd_evaluate(const Argv&, std::ostream&, std::ostream& err) {
    err << "iotgrad evaluate: not implemented yet\n";
    return 1;
}

}  // namespace iotgrad::iot::cli
