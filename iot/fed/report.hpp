/// \file
/// Accounting output of federated runs: a fixed-width table and CSV (one row
/// per round, several runs side by side), and a tiny JSON writer for the
/// CLI's metrics file (no library: objects, arrays, strings, numbers).
#pragma once
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "iot/fed/fedavg.hpp"

namespace iotgrad::iot::fed {

/// A run with the name it is reported under ("fedavg-iid", "centralized").
using NamedResult = std::pair<std::string, const FedResult*>;

/// One line per round: round, clients finished/sampled, missing, MB up/down,
/// client seconds, train loss, test loss, test accuracy.
void write_table(std::ostream& os, const std::string& name, const FedResult& r);
/// A summary line per run: rounds, final accuracy, rounds to `target` accuracy, total MB.
void write_summary(std::ostream& os, const std::vector<NamedResult>& runs, double target);
/// CSV with a header; one row per (run, round); NaN cells are empty.
void write_csv(std::ostream& os, const std::vector<NamedResult>& runs);

/// Writes JSON to a stream, inserting commas and escaping strings; NaN and
/// infinities become null. Misuse (a value where a key is due) throws std::logic_error.
class JsonWriter {
public:
    explicit JsonWriter(std::ostream& os) : os_(os) {}
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(const std::string& k);
    JsonWriter& value(const std::string& s);
    JsonWriter& value(const char* s) { return value(std::string(s)); }
    JsonWriter& value(double x);
    JsonWriter& value(int64_t x);
    JsonWriter& value(int x) { return value(static_cast<int64_t>(x)); }
    JsonWriter& value(bool b);

private:
    void before_value();
    struct Level {
        bool object, first = true, key_done = false;
    };
    std::ostream& os_;
    std::vector<Level> stack_;
};

/// A run as JSON: config summary left to the caller; this writes
/// {"rounds": [...], "num_parameters", "total_bytes_up", ...} as an object value.
void write_json(JsonWriter& w, const FedResult& r);

/// "12.3 MB", "456 kB", "789 B".
std::string format_bytes(int64_t bytes);

}  // namespace iotgrad::iot::fed
