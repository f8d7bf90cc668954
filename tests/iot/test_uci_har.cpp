#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

#include "catch_compat.hpp"
#include "iot/sim_har.hpp"
#include "iot/uci_har.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;
namespace fs = std::filesystem;

namespace {

/// The value the fake dataset stores at window i, time t, channel c.
float fake_value(int i, int t, int c) { return static_cast<float>(c + 0.01 * t + 10.0 * i); }

/// Each signal value as UCI writes it: two spaces and 13 characters
/// ("2.9270000e+01"), so value k of a line starts at column 15 k + 3.
std::string signal_line(int i, int c, int count = kUciHarWindow) {
    std::string s;
    char buf[32];
    for (int t = 0; t < count; ++t) {
        std::snprintf(buf, sizeof buf, "  %.7e", static_cast<double>(fake_value(i, t, c)));
        s += buf;
    }
    return s;
}

/// A tiny UCI HAR layout in a fresh temporary folder: 3 windows, labels
/// 1, 6, 4 and subjects 7, 7, 12, split "train". Removed on destruction.
struct FakeUci {
    fs::path root;
    std::vector<std::string> y{"1", "6", "4"}, subject{"7", "7", "12"};
    std::vector<std::vector<std::string>> signals;  // [channel][window]

    explicit FakeUci(const std::string& tag) {
#if defined(__unix__) || defined(__APPLE__)
        const std::string pid = std::to_string(::getpid());
#else
        const std::string pid = "0";
#endif
        root = fs::temp_directory_path() / ("iotgrad_uci_" + pid + "_" + tag);
        fs::remove_all(root);
        for (int c = 0; c < 9; ++c) {
            signals.emplace_back();
            for (int i = 0; i < 3; ++i) signals.back().push_back(signal_line(i, c));
        }
    }
    ~FakeUci() { fs::remove_all(root); }
    fs::path signal_path(int c) const {
        return root / "train" / "Inertial Signals" / (uci_har_signals()[static_cast<size_t>(c)] + "_train.txt");
    }
    /// Writes every file (call after changing the lines).
    void write() const {
        fs::create_directories(root / "train" / "Inertial Signals");
        auto put = [](const fs::path& p, const std::vector<std::string>& lines) {
            std::ofstream out(p);
            for (const std::string& l : lines) out << l << "\n";
        };
        put(root / "train" / "y_train.txt", y);
        put(root / "train" / "subject_train.txt", subject);
        for (int c = 0; c < 9; ++c) put(signal_path(c), signals[static_cast<size_t>(c)]);
    }
    UciHarSplit read() const { return read_uci_har(root.string(), "train"); }
};

}  // namespace

TEST_CASE("UCI HAR reader: values land at [window, time, channel] in the simulator's order", "[iot][uci_har]") {
    FakeUci d("ok");
    d.write();
    UciHarSplit s = d.read();
    CHECK(s.x.shape() == Shape{3, 128, 9});
    for (int i = 0; i < 3; ++i)
        for (int t : {0, 1, 64, 127})
            for (int c = 0; c < 9; ++c) CHECK(s.x.at({i, t, c}) == Approx(fake_value(i, t, c)).epsilon(1e-6));
    CHECK(s.labels == std::vector<int>{0, 5, 3});
    CHECK(har_activity_name(s.labels[1]) == "lying");    // UCI's 6 = LAYING
    CHECK(har_activity_name(s.labels[2]) == "sitting");  // UCI's 4 = SITTING
    CHECK(s.subjects == std::vector<int>{7, 7, 12});
    CHECK(s.targets().to_vector() == std::vector<float>{0, 5, 3});
    CHECK(uci_har_signals()[0] == "body_acc_x");
    CHECK(uci_har_signals()[3] == "body_gyro_x");
    CHECK(uci_har_signals()[8] == "total_acc_z");
}

TEST_CASE("UCI HAR reader: Windows line ends and a trailing blank line are accepted", "[iot][uci_har]") {
    FakeUci d("crlf");
    d.y = {"1\r", "6\r", "4\r", ""};
    d.signals[4][2] += "\r";
    d.signals[0][0].replace(0, 15, " -1.8085150e-004");  // the real files' 3-digit exponents
    d.write();
    UciHarSplit s = d.read();
    CHECK(s.labels == std::vector<int>{0, 5, 3});
    CHECK(s.x.at({0, 0, 0}) == Approx(-1.808515e-4).epsilon(1e-6));
    CHECK(s.x.at({0, 1, 0}) == Approx(fake_value(0, 1, 0)).epsilon(1e-6));
    CHECK(s.x.at({2, 127, 4}) == Approx(fake_value(2, 127, 4)).epsilon(1e-6));
}

TEST_CASE("UCI HAR reader: bad input names file, line, column and reason", "[iot][uci_har]") {
    SECTION("missing file") {
        FakeUci d("missing");
        d.write();
        fs::remove(d.signal_path(5));
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("body_gyro_z_train.txt: cannot open"));
        CHECK_THROWS_AS(read_uci_har((d.root / "nowhere").string(), "train"), std::runtime_error);
    }
    SECTION("too few values on a line") {
        FakeUci d("short");
        d.signals[4][1] = signal_line(1, 4, 127);
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("body_gyro_y_train.txt:2:1906: expected 128 values, found 127"));
    }
    SECTION("too many values: the column of the first extra one") {
        FakeUci d("long");
        d.signals[0][0] = signal_line(0, 0, 129);
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("body_acc_x_train.txt:1:1923: expected 128 values, found 129"));
    }
    SECTION("not a number") {
        FakeUci d("nan");
        std::string& line = d.signals[7][2];
        line.replace(15 * 5 + 2, 13, "abc          ");  // value 5 (0-based) starts at column 78
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("total_acc_y_train.txt:3:78: 'abc' is not a number"));
    }
    SECTION("label outside 1..6") {
        FakeUci d("label");
        d.y[2] = "7";
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("y_train.txt:3:1: label 7 is not in 1..6"));
        d.y[2] = "0";
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("label 0 is not in 1..6"));
        d.y[2] = " 2.5";
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("y_train.txt:3:2: label 2.5 is not in 1..6"));
        d.y[2] = "2 3";
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("y_train.txt:3:3: expected one label, found 2 values"));
    }
    SECTION("bad subject id") {
        FakeUci d("subject");
        d.subject[0] = "-3";
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("subject_train.txt:1:1: subject id -3 is not a positive whole number"));
    }
    SECTION("files with different line counts") {
        FakeUci d("count");
        d.subject.pop_back();
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("subject_train.txt has 2 lines but"));
        FakeUci e("count2");
        e.signals[8].push_back(signal_line(3, 8));
        e.write();
        CHECK_THROWS_WITH(e.read(), IOTGRAD_HAS("total_acc_z_train.txt has 4 lines but"));
    }
    SECTION("a blank line inside a file") {
        FakeUci d("blank");
        d.signals[2][1] = "   ";
        d.write();
        CHECK_THROWS_WITH(d.read(), IOTGRAD_HAS("body_acc_z_train.txt:2:4: expected 128 values, found 0"));
    }
}
