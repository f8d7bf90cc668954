#include <exception>

#include "iot/cli/args.hpp"
#include "iot/cli/commands.hpp"

namespace iotgrad::iot::cli {
namespace {

struct Command {
    const char* name;
    const char* summary;
    int (*fn)(const Argv&, std::ostream&, std::ostream&);
};

const Command kCommands[] = {
    {"simulate", "write a simulated IoT data set (wearable, machines, city) as CSV", cmd_simulate},
    {"train", "train a model on a CSV file and save it", cmd_train},
    {"evaluate", "measure a saved model on a CSV file, beside the naive baseline", cmd_evaluate},
    {"predict", "write a saved model's predictions for a CSV file", cmd_predict},
    {"federated", "federated training across simulated devices (FedAvg and variants)", cmd_federated},
    {"experiments", "the paper's five experiments: report, plots and data (what make demo runs)", cmd_experiments},
};

void usage(std::ostream& os) {
    os << "usage: iotgrad <command> [options]\n\ncommands:\n";
    for (const Command& c : kCommands) {
        std::string name = c.name;
        os << "  " << name << std::string(14 - name.size(), ' ') << c.summary << "\n";
    }
    os << "\n'iotgrad <command> --help' describes a command's options.\n";
}

}  // namespace

int run(const Argv& args, std::ostream& out, std::ostream& err) {
    if (args.empty()) {
        usage(err);
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        usage(out);
        return 0;
    }
    for (const Command& c : kCommands) {
        if (args[0] != c.name) continue;
        const Argv rest(args.begin() + 1, args.end());
        try {
            return c.fn(rest, out, err);
        } catch (const UsageError& e) {
            err << "iotgrad: " << e.what() << "\n";
            return 2;
        } catch (const std::exception& e) {
            err << "iotgrad " << c.name << ": " << e.what() << "\n";
            return 1;
        }
    }
    err << "iotgrad: unknown command '" << args[0] << "'\n\n";
    usage(err);
    return 2;
}

}  // namespace iotgrad::iot::cli
