// The `iotgrad` program: everything happens in cli::run, which tests call too.
#include <iostream>

#include "iot/cli/commands.hpp"

int main(int argc, char** argv) {
    const iotgrad::iot::cli::Argv args(argv + 1, argv + argc);
    return iotgrad::iot::cli::run(args, std::cout, std::cerr);
}
