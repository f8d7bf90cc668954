/// \file
/// A small command-line parser for the `iotgrad` tool's subcommands: named
/// options (`--epochs 10` or `--epochs=10`), flags (`--full`), defaults,
/// required options and a generated `--help`. No positional arguments.
/// Every mistake (unknown option, missing value, a value that is not a
/// number, a required option left out) throws UsageError with a message
/// that names the option, so the tool can print it and exit with status 2.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace iotgrad::iot::cli {

/// A bad command line; what() is the message to show the user.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    /// `command` is e.g. "iotgrad train"; `summary` is the one-line description for --help.
    Args(std::string command, std::string summary);

    /// An option taking a value. An empty `default_value` with `required`
    /// false means "absent unless given" (test with has()).
    Args& option(const std::string& name, const std::string& metavar, const std::string& help,
                 const std::string& default_value = "", bool required = false);
    /// A required option (no default).
    Args& required(const std::string& name, const std::string& metavar, const std::string& help) {
        return option(name, metavar, help, "", true);
    }
    /// A boolean switch, false unless given.
    Args& flag(const std::string& name, const std::string& help);

    /// Parses the arguments after the subcommand name. Returns false when
    /// --help (or -h) was given: the help text has then been written to `out`.
    bool parse(const std::vector<std::string>& args, std::ostream& out);

    bool has(const std::string& name) const;
    std::string get(const std::string& name) const;
    int64_t get_int(const std::string& name) const;
    double get_double(const std::string& name) const;
    bool get_flag(const std::string& name) const;
    /// A comma-separated value split into its items ("a,b,c" -> {a, b, c}); empty if absent.
    std::vector<std::string> get_list(const std::string& name) const;
    /// Throws UsageError unless the value is one of `choices`.
    std::string get_choice(const std::string& name, const std::vector<std::string>& choices) const;

    std::string help() const;

private:
    struct Spec {
        std::string metavar, help, default_value;
        bool required = false, is_flag = false;
    };
    const Spec& spec(const std::string& name) const;

    std::string command_, summary_;
    std::vector<std::string> order_;
    std::map<std::string, Spec> specs_;
    std::map<std::string, std::string> values_;
};

}  // namespace iotgrad::iot::cli
