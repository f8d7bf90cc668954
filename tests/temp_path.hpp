// One temporary-file path helper for the tests that write files.
#pragma once
#include <filesystem>
#include <string>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace iotgrad::test {

/// `<temp dir>/iotgrad_<pid>_<name>`: the process id keeps ctest's parallel
/// test processes (one per group, same binary) from writing the same file.
inline std::string temp_path(const std::string& name) {
#if defined(__unix__) || defined(__APPLE__)
    const std::string pid = std::to_string(::getpid());
#else
    const std::string pid = "0";
#endif
    return (std::filesystem::temp_directory_path() / ("iotgrad_" + pid + "_" + name)).string();
}

}  // namespace iotgrad::test
