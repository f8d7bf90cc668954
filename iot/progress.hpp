/// \file
/// A progress bar for training loops: epoch, step/total, mean loss so far,
/// throughput (samples/s) and ETA.
///
/// On a terminal it redraws one line in place with a carriage return (a few times a
/// second at most). Anywhere else (a CI log, a file, a pipe) it prints plain
/// lines: one each time another 10% of the epoch is done or 10 seconds have
/// passed, whichever comes first, and a summary line per epoch, so logs stay
/// short however many steps an epoch has.
///
/// \code
/// iot::ProgressBar bar(loader.num_batches());          // std::cout, terminal detected
/// for (int e = 0; e < epochs; ++e) {
///     bar.start_epoch(e + 1, epochs);
///     for (const iot::Batch& b : loader) { ...; bar.step(loss.item(), b.x.size(0)); }
///     bar.end_epoch();
/// }
/// \endcode
#pragma once
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

namespace iotgrad::iot {

/// True when standard output is a terminal (isatty); false where that cannot be told.
bool stdout_is_terminal();

/// Tuning; the defaults suit interactive runs and CI logs alike.
struct ProgressOptions {
    /// Plain mode: print when another this many percent of the epoch is done...
    int print_every_percent = 10;
    /// ...or when this many seconds have passed since the last line.
    double print_every_seconds = 10.0;
    /// Terminal mode: redraw at most this often.
    double redraw_every_seconds = 0.1;
    /// Characters inside the [====>    ] bar (terminal mode).
    int bar_width = 25;
    /// Seconds since some fixed point; defaults to std::chrono::steady_clock.
    /// Tests pass a fake clock to make the output reproducible.
    std::function<double()> clock;
};

/// Progress of an epoch of `steps` training steps (the loader's num_batches()).
class ProgressBar {
public:
    /// Writes to `os`; `is_tty` picks in-place redraws (true) or plain lines (false).
    /// Throws std::invalid_argument for steps < 1 or bad options.
    ProgressBar(std::ostream& os, int64_t steps, bool is_tty, ProgressOptions options = {});
    /// Writes to std::cout, redrawing in place when it is a terminal.
    explicit ProgressBar(int64_t steps, ProgressOptions options = {});

    /// Starts an epoch (shown 1-based as given: "epoch 3/10"; num_epochs 0 shows "epoch 3").
    void start_epoch(int64_t epoch, int64_t num_epochs = 0);
    /// One step done with this loss over `samples` samples.
    void step(double loss, int64_t samples);
    /// Prints the epoch's summary line (terminal mode: the final redraw and a newline).
    void end_epoch();

    /// Mean loss over this epoch's steps so far (NaN before the first step).
    double mean_loss() const;
    int64_t steps_done() const { return done_; }

private:
    std::string status() const;
    void emit(bool final);
    double now() const;

    std::ostream& os_;
    int64_t steps_;
    bool tty_;
    ProgressOptions opt_;
    int64_t epoch_ = 0, num_epochs_ = 0;
    int64_t done_ = 0, samples_ = 0;
    double loss_sum_ = 0;
    double start_ = 0, last_print_ = 0;
    int64_t next_percent_ = 0;
    std::size_t last_width_ = 0;
};

/// "1:05:09" for 3909 seconds, "2:03" for 123 (hours only when needed); "--:--" when unknown.
std::string format_duration(double seconds);

}  // namespace iotgrad::iot
