#include "iot/progress.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <stdexcept>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace iotgrad::iot {

bool stdout_is_terminal() {
#if defined(__unix__) || defined(__APPLE__)
    return ::isatty(STDOUT_FILENO) == 1;
#else
    return false;
#endif
}

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "--:--";
    const auto s = static_cast<long long>(std::llround(seconds));
    char buf[48];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

ProgressBar::ProgressBar(std::ostream& os, int64_t steps, bool is_tty, ProgressOptions options)
    : os_(os), steps_(steps), tty_(is_tty), opt_(std::move(options)) {
    if (steps < 1) throw std::invalid_argument("ProgressBar: steps must be >= 1, got " + std::to_string(steps));
    if (opt_.print_every_percent < 1 || opt_.print_every_percent > 100)
        throw std::invalid_argument("ProgressBar: print_every_percent must be in 1..100");
    if (opt_.bar_width < 1) throw std::invalid_argument("ProgressBar: bar_width must be >= 1");
    if (!opt_.clock) {
        opt_.clock = [] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        };
    }
    start_ = last_print_ = now();
}

ProgressBar::ProgressBar(int64_t steps, ProgressOptions options)
    : ProgressBar(std::cout, steps, stdout_is_terminal(), std::move(options)) {}

double ProgressBar::now() const { return opt_.clock(); }

void ProgressBar::start_epoch(int64_t epoch, int64_t num_epochs) {
    epoch_ = epoch;
    num_epochs_ = num_epochs;
    done_ = samples_ = 0;
    loss_sum_ = 0;
    start_ = last_print_ = now();
    next_percent_ = opt_.print_every_percent;
    last_width_ = 0;
}

double ProgressBar::mean_loss() const {
    return done_ ? loss_sum_ / static_cast<double>(done_) : std::numeric_limits<double>::quiet_NaN();
}

void ProgressBar::step(double loss, int64_t samples) {
    ++done_;
    samples_ += samples;
    loss_sum_ += loss;
    const double t = now();
    if (tty_) {
        if (t - last_print_ >= opt_.redraw_every_seconds || done_ == 1) emit(false);
        return;
    }
    // Plain lines: at each multiple of print_every_percent (not 100%: end_epoch
    // prints the summary), or when the clock says it has been a while.
    const int64_t percent = done_ * 100 / steps_;
    bool print = false;
    if (percent >= next_percent_ && percent < 100) {
        print = true;
        while (next_percent_ <= percent) next_percent_ += opt_.print_every_percent;
    }
    if (done_ < steps_ && t - last_print_ >= opt_.print_every_seconds) print = true;
    if (print) emit(false);
}

void ProgressBar::end_epoch() { emit(true); }

std::string ProgressBar::status() const {
    std::string s = "epoch " + std::to_string(epoch_);
    if (num_epochs_ > 0) s += "/" + std::to_string(num_epochs_);
    const double elapsed = now() - start_;
    char buf[160];
    if (tty_) {
        const int64_t filled = std::min<int64_t>(opt_.bar_width, done_ * opt_.bar_width / steps_);
        std::string bar(static_cast<std::size_t>(filled), '=');
        if (filled < opt_.bar_width) bar += done_ ? ">" : " ";
        bar.resize(static_cast<std::size_t>(opt_.bar_width), ' ');
        s += " [" + bar + "]";
    }
    std::snprintf(buf, sizeof buf, " %lld/%lld (%lld%%)", static_cast<long long>(done_),
                  static_cast<long long>(steps_), static_cast<long long>(done_ * 100 / steps_));
    s += buf;
    if (done_ > 0) {
        std::snprintf(buf, sizeof buf, " loss %.4g", mean_loss());
        s += buf;
    }
    if (elapsed > 0 && samples_ > 0) {
        std::snprintf(buf, sizeof buf, " %.1f samples/s", static_cast<double>(samples_) / elapsed);
        s += buf;
    }
    if (done_ >= steps_)
        s += " " + format_duration(elapsed) + " elapsed";
    else
        s += " ETA " + format_duration(done_ > 0 && elapsed > 0
                                           ? elapsed / static_cast<double>(done_) * static_cast<double>(steps_ - done_)
                                           : -1.0);
    return s;
}

void ProgressBar::emit(bool final) {
    const std::string s = status();
    last_print_ = now();
    if (!tty_) {
        os_ << s << '\n' << std::flush;
        return;
    }
    // Pad with spaces so a shorter line fully covers the previous one.
    os_ << '\r' << s;
    if (s.size() < last_width_) os_ << std::string(last_width_ - s.size(), ' ');
    last_width_ = s.size();
    if (final) os_ << '\n';
    os_ << std::flush;
}

}  // namespace iotgrad::iot
