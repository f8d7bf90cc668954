#include "iot/fed/report.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace iotgrad::iot::fed {

namespace {

std::string fixed(double x, int digits) {
    if (std::isnan(x)) return "-";
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << x;
    return s.str();
}

std::string csv_number(double x) {
    if (std::isnan(x)) return "";
    std::ostringstream s;
    s << std::setprecision(8) << x;
    return s.str();
}

std::string join(const std::vector<int>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + std::to_string(v[i]);
    return s;
}

}  // namespace

std::string format_bytes(int64_t b) {
    char buf[32];
    if (b >= 1000000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(b) / 1e6);
    else if (b >= 1000) std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(b) / 1e3);
    else std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(b));
    return buf;
}

void write_table(std::ostream& os, const std::string& name, const FedResult& r) {
    os << name << " (" << r.num_parameters << " parameters)\n";
    os << std::setw(6) << "round" << std::setw(9) << "clients" << std::setw(8) << "missing" << std::setw(11) << "up"
       << std::setw(11) << "down" << std::setw(10) << "client s" << std::setw(11) << "train loss" << std::setw(10)
       << "test loss" << std::setw(9) << "test acc" << "\n";
    for (const RoundStats& s : r.rounds)
        os << std::setw(6) << s.round << std::setw(9) << (std::to_string(s.finished) + "/" + std::to_string(s.sampled))
           << std::setw(8) << s.missing << std::setw(11) << format_bytes(s.bytes_up) << std::setw(11)
           << format_bytes(s.bytes_down) << std::setw(10) << fixed(s.client_seconds, 2) << std::setw(11)
           << fixed(s.train_loss, 4) << std::setw(10) << fixed(s.test_loss, 4) << std::setw(9)
           << fixed(s.test_accuracy * 100.0, 1) << (s.applied ? "" : "  (skipped: too few clients)") << "\n";
}

void write_summary(std::ostream& os, const std::vector<NamedResult>& runs, double target) {
    os << std::left << std::setw(22) << "run" << std::right << std::setw(7) << "rounds" << std::setw(11) << "final acc"
       << std::setw(16) << ("rounds to " + fixed(target * 100, 0) + "%") << std::setw(12) << "MB up" << std::setw(12)
       << "MB down" << std::setw(11) << "client s" << "\n";
    for (const auto& [name, r] : runs) {
        const int to = r->rounds_to_accuracy(target);
        os << std::left << std::setw(22) << name << std::right << std::setw(7) << r->rounds.size() << std::setw(11)
           << fixed(r->final_accuracy() * 100.0, 1) << std::setw(16) << (to < 0 ? std::string("not reached") : std::to_string(to))
           << std::setw(12) << fixed(static_cast<double>(r->total_bytes_up) / 1e6, 2) << std::setw(12)
           << fixed(static_cast<double>(r->total_bytes_down) / 1e6, 2) << std::setw(11) << fixed(r->total_client_seconds, 2)
           << "\n";
    }
}

void write_csv(std::ostream& os, const std::vector<NamedResult>& runs) {
    os << "run,round,sampled,finished,missing,stragglers,applied,bytes_up,bytes_down,client_seconds,max_client_seconds,"
          "train_loss,update_norm,dp_noise_std,test_loss,test_accuracy,missing_clients\n";
    for (const auto& [name, r] : runs)
        for (const RoundStats& s : r->rounds)
            os << name << ',' << s.round << ',' << s.sampled << ',' << s.finished << ',' << s.missing << ','
               << s.stragglers << ',' << (s.applied ? 1 : 0) << ',' << s.bytes_up << ',' << s.bytes_down << ','
               << csv_number(s.client_seconds) << ',' << csv_number(s.max_client_seconds) << ','
               << csv_number(s.train_loss) << ',' << csv_number(s.update_norm) << ',' << csv_number(s.dp_noise_std) << ','
               << csv_number(s.test_loss) << ',' << csv_number(s.test_accuracy) << ',' << join(s.missing_clients) << "\n";
}

// ---- JSON -------------------------------------------------------------------

void JsonWriter::before_value() {
    if (stack_.empty()) return;
    Level& l = stack_.back();
    if (l.object) {
        if (!l.key_done) throw std::logic_error("JsonWriter: a value inside an object needs a key first");
        l.key_done = false;
    } else {
        if (!l.first) os_ << ',';
        l.first = false;
    }
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    os_ << '{';
    stack_.push_back({true});
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    if (stack_.empty() || !stack_.back().object) throw std::logic_error("JsonWriter: end_object without begin_object");
    stack_.pop_back();
    os_ << '}';
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    os_ << '[';
    stack_.push_back({false});
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    if (stack_.empty() || stack_.back().object) throw std::logic_error("JsonWriter: end_array without begin_array");
    stack_.pop_back();
    os_ << ']';
    return *this;
}

JsonWriter& JsonWriter::key(const std::string& k) {
    if (stack_.empty() || !stack_.back().object || stack_.back().key_done)
        throw std::logic_error("JsonWriter: key \"" + k + "\" outside an object or after another key");
    Level& l = stack_.back();
    if (!l.first) os_ << ',';
    l.first = false;
    l.key_done = true;
    // Keys are escaped like strings; write without before_value.
    os_ << '"';
    for (char c : k) os_ << (c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c));
    os_ << "\":";
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& s) {
    before_value();
    os_ << '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': os_ << "\\\""; break;
            case '\\': os_ << "\\\\"; break;
            case '\n': os_ << "\\n"; break;
            case '\t': os_ << "\\t"; break;
            case '\r': os_ << "\\r"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    os_ << buf;
                } else {
                    os_ << c;
                }
        }
    }
    os_ << '"';
    return *this;
}

JsonWriter& JsonWriter::value(double x) {
    before_value();
    if (!std::isfinite(x)) {
        os_ << "null";
    } else {
        std::ostringstream s;
        s << std::setprecision(10) << x;
        os_ << s.str();
    }
    return *this;
}

JsonWriter& JsonWriter::value(int64_t x) {
    before_value();
    os_ << x;
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    os_ << (b ? "true" : "false");
    return *this;
}

void write_json(JsonWriter& w, const FedResult& r) {
    auto int_list = [&w](const std::vector<int>& v) {
        w.begin_array();
        for (int x : v) w.value(x);
        w.end_array();
    };
    w.begin_object();
    w.key("num_parameters").value(r.num_parameters);
    w.key("total_bytes_up").value(r.total_bytes_up);
    w.key("total_bytes_down").value(r.total_bytes_down);
    w.key("total_client_seconds").value(r.total_client_seconds);
    w.key("final_accuracy").value(r.final_accuracy());
    w.key("final_loss").value(r.final_loss());
    w.key("poisoned_clients");
    int_list(r.poisoned_clients);
    w.key("rounds").begin_array();
    for (const RoundStats& s : r.rounds) {
        w.begin_object();
        w.key("round").value(s.round);
        w.key("sampled").value(s.sampled);
        w.key("finished").value(s.finished);
        w.key("missing").value(s.missing);
        w.key("stragglers").value(s.stragglers);
        w.key("applied").value(s.applied);
        w.key("missing_clients");
        int_list(s.missing_clients);
        w.key("bytes_up").value(s.bytes_up);
        w.key("bytes_down").value(s.bytes_down);
        w.key("client_seconds").value(s.client_seconds);
        w.key("train_loss").value(s.train_loss);
        w.key("update_norm").value(s.update_norm);
        w.key("dp_noise_std").value(s.dp_noise_std);
        w.key("test_loss").value(s.test_loss);
        w.key("test_accuracy").value(s.test_accuracy);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

}  // namespace iotgrad::iot::fed
