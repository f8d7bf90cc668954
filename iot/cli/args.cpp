#include "iot/cli/args.hpp"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace iotgrad::iot::cli {

Args::Args(std::string command, std::string summary) : command_(std::move(command)), summary_(std::move(summary)) {}

Args& Args::option(const std::string& name, const std::string& metavar, const std::string& help,
                   const std::string& default_value, bool required) {
    order_.push_back(name);
    specs_[name] = Spec{metavar, help, default_value, required, false};
    return *this;
}

Args& Args::flag(const std::string& name, const std::string& help) {
    order_.push_back(name);
    specs_[name] = Spec{"", help, "", false, true};
    return *this;
}

const Args::Spec& Args::spec(const std::string& name) const {
    auto it = specs_.find(name);
    if (it == specs_.end()) throw std::logic_error(command_ + ": option --" + name + " was never declared");
    return it->second;
}

bool Args::parse(const std::vector<std::string>& args, std::ostream& out) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            out << help();
            return false;
        }
        if (a.rfind("--", 0) != 0)
            throw UsageError(command_ + ": unexpected argument '" + a + "' (options start with --; see --help)");
        std::string name = a.substr(2), value;
        const size_t eq = name.find('=');
        const bool inline_value = eq != std::string::npos;
        if (inline_value) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        auto it = specs_.find(name);
        if (it == specs_.end()) throw UsageError(command_ + ": unknown option --" + name + " (see --help)");
        if (it->second.is_flag) {
            if (inline_value) throw UsageError(command_ + ": --" + name + " is a switch and takes no value");
            values_[name] = "1";
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) throw UsageError(command_ + ": --" + name + " needs a value " + it->second.metavar);
            value = args[++i];
        }
        values_[name] = value;
    }
    for (const auto& name : order_)
        if (specs_[name].required && !values_.count(name))
            throw UsageError(command_ + ": missing required option --" + name + " " + specs_[name].metavar);
    return true;
}

bool Args::has(const std::string& name) const {
    const Spec& s = spec(name);
    return values_.count(name) || !s.default_value.empty();
}

std::string Args::get(const std::string& name) const {
    const Spec& s = spec(name);
    auto it = values_.find(name);
    return it != values_.end() ? it->second : s.default_value;
}

int64_t Args::get_int(const std::string& name) const {
    const std::string v = get(name);
    char* end = nullptr;
    errno = 0;
    const long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE)
        throw UsageError(command_ + ": --" + name + " needs a whole number, got '" + v + "'");
    return x;
}

double Args::get_double(const std::string& name) const {
    const std::string v = get(name);
    char* end = nullptr;
    errno = 0;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || errno == ERANGE)
        throw UsageError(command_ + ": --" + name + " needs a number, got '" + v + "'");
    return x;
}

bool Args::get_flag(const std::string& name) const {
    spec(name);
    return values_.count(name) > 0;
}

std::vector<std::string> Args::get_list(const std::string& name) const {
    std::vector<std::string> items;
    std::stringstream ss(get(name));
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) items.push_back(item);
    return items;
}

std::string Args::get_choice(const std::string& name, const std::vector<std::string>& choices) const {
    const std::string v = get(name);
    std::string list;
    for (const auto& c : choices) {
        if (c == v) return v;
        list += (list.empty() ? "" : "|") + c;
    }
    throw UsageError(command_ + ": --" + name + " must be one of " + list + ", got '" + v + "'");
}

std::string Args::help() const {
    std::ostringstream os;
    os << "usage: " << command_ << " [options]\n\n" << summary_ << "\n\noptions:\n";
    for (const auto& name : order_) {
        const Spec& s = specs_.at(name);
        std::string lhs = "  --" + name + (s.is_flag ? "" : " " + s.metavar);
        os << lhs << std::string(lhs.size() < 28 ? 28 - lhs.size() : 1, ' ') << s.help;
        if (s.required) os << " (required)";
        else if (!s.default_value.empty()) os << " (default " << s.default_value << ")";
        os << "\n";
    }
    os << "  --help                    this text\n";
    return os.str();
}

}  // namespace iotgrad::iot::cli
