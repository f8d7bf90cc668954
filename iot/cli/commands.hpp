/// \file
/// The `iotgrad` command-line tool: one function per subcommand, each taking
/// the arguments after its name and returning the process exit status
/// (0 success, 1 bad data or a failed run, 2 a bad command line). They write
/// to the given streams rather than to std::cout, so tests can run them.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace iotgrad::iot::cli {

using Argv = std::vector<std::string>;

int cmd_simulate(const Argv& args, std::ostream& out, std::ostream& err);
int cmd_train(const Argv& args, std::ostream& out, std::ostream& err);
int cmd_evaluate(const Argv& args, std::ostream& out, std::ostream& err);
int cmd_predict(const Argv& args, std::ostream& out, std::ostream& err);
int cmd_federated(const Argv& args, std::ostream& out, std::ostream& err);
int cmd_experiments(const Argv& args, std::ostream& out, std::ostream& err);

/// The whole tool: args[0] is the subcommand. Catches every exception a
/// subcommand lets through (UsageError -> status 2, anything else -> 1) and
/// prints it as "iotgrad: <message>", so nothing escapes as a crash.
int run(const Argv& args, std::ostream& out, std::ostream& err);

}  // namespace iotgrad::iot::cli
