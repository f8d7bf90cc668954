// Placeholder until this subcommand is written: it says so and fails.
#include "iot/cli/commands.hpp"

namespace iotgrad::iot::cli {

int cmd_simulate(const Argv&, std::ostream&, std::ostream& err) {
    err << "iotgrad simulate: not implemented yet\n";
    return 1;
}

}  // namespace iotgrad::iot::cli
