#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "iot/progress.hpp"

using namespace iotgrad;

namespace {
std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

/// A clock the test moves by hand.
struct FakeClock {
    double t = 1000.0;
    iot::ProgressOptions options() {
        iot::ProgressOptions o;
        o.clock = [this] { return t; };
        return o;
    }
};
}  // namespace

TEST_CASE("progress without a terminal prints a few plain lines, not one per step", "[iot][progress]") {
    std::ostringstream out;
    FakeClock clock;
    iot::ProgressBar bar(out, 100, /*is_tty*/ false, clock.options());
    bar.start_epoch(1, 2);
    for (int i = 1; i <= 100; ++i) {
        clock.t += 0.0625;  // 6.25 s for the epoch (under the 10 s time trigger); exact in binary
        bar.step(static_cast<double>(i), 32);
    }
    bar.end_epoch();
    const std::string s = out.str();
    CHECK(s.find('\r') == std::string::npos);
    const std::vector<std::string> ls = lines(s);
    REQUIRE(ls.size() == 10);  // 10%, 20%, ..., 90%, then the summary
    CHECK(ls[0] == "epoch 1/2 10/100 (10%) loss 5.5 512.0 samples/s ETA 0:06");
    CHECK(ls[4].find("epoch 1/2 50/100 (50%) loss 25.5") == 0);
    CHECK(ls[9] == "epoch 1/2 100/100 (100%) loss 50.5 512.0 samples/s 0:06 elapsed");
    CHECK(bar.mean_loss() == 50.5);
}

TEST_CASE("progress without a terminal also prints every few seconds", "[iot][progress]") {
    std::ostringstream out;
    FakeClock clock;
    iot::ProgressOptions o = clock.options();
    o.print_every_percent = 100;  // no percentage lines: only the time trigger
    o.print_every_seconds = 10;
    iot::ProgressBar bar(out, 50, false, o);
    bar.start_epoch(3);
    for (int i = 0; i < 50; ++i) {
        clock.t += 4.0;
        bar.step(1.0, 1);
    }
    bar.end_epoch();
    const std::vector<std::string> ls = lines(out.str());
    // A line at steps 3, 6, ..., 48 (each 12 s after the last), then the summary.
    REQUIRE(ls.size() == 17);
    CHECK(ls[0].find("epoch 3 3/50 (6%)") == 0);
    CHECK(ls[16].find("epoch 3 50/50 (100%)") == 0);
    CHECK(ls[16].find("3:20 elapsed") != std::string::npos);
}

TEST_CASE("progress on a terminal redraws one line in place", "[iot][progress]") {
    std::ostringstream out;
    FakeClock clock;
    iot::ProgressOptions o = clock.options();
    o.bar_width = 10;
    iot::ProgressBar bar(out, 20, /*is_tty*/ true, o);
    bar.start_epoch(1, 1);
    for (int i = 0; i < 20; ++i) {
        clock.t += 0.0625;  // redraws at most every 0.1 s: the first step, then every second one
        bar.step(2.0, 8);
    }
    bar.end_epoch();
    const std::string s = out.str();
    CHECK(std::count(s.begin(), s.end(), '\n') == 1);
    CHECK(s.back() == '\n');
    const auto redraws = std::count(s.begin(), s.end(), '\r');
    CHECK(redraws >= 10);
    CHECK(redraws <= 12);
    CHECK(s.find("\repoch 1/1 [=====>    ] 11/20 (55%) loss 2 128.0 samples/s ETA 0:01") != std::string::npos);
    CHECK(s.find("[==========] 20/20 (100%)") != std::string::npos);
}

TEST_CASE("durations print as m:ss or h:mm:ss", "[iot][progress]") {
    CHECK(iot::format_duration(0) == "0:00");
    CHECK(iot::format_duration(123) == "2:03");
    CHECK(iot::format_duration(3909) == "1:05:09");
    CHECK(iot::format_duration(-1) == "--:--");
    CHECK_THROWS_AS(iot::ProgressBar(0), std::invalid_argument);
}
