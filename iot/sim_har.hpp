/// \file
/// A simulated wearable for human activity recognition (healthcare), standing
/// in for the UCI HAR dataset (Anguita et al. 2013: 30 subjects, a waist-worn
/// smartphone, 50 Hz, 128-sample windows with 50% overlap, 6 activities).
///
/// What it imitates, channel by channel (UCI HAR's order):
///   0-2 body_acc x,y,z (g, gravity removed), 3-5 body_gyro x,y,z (rad/s),
///   6-8 total_acc x,y,z (g, = gravity + body_acc). Axis x is vertical when upright.
///
/// Gait. Walking-type activities have a step frequency f (the "cadence",
/// 1.6-2.2 Hz). The vertical acceleration is a heel-strike pulse once per step,
/// a von Mises bump with zero mean,
/// \f$ a_v(\psi) = A\,\frac{e^{\kappa\cos\psi} - I_0(\kappa)}{e^{\kappa} - I_0(\kappa)} \f$,
/// \f$ \psi = 2\pi\int f\,dt \f$; larger \f$\kappa\f$ = sharper impact. Forward
/// acceleration is \f$\sin\psi\f$ plus its second harmonic; lateral sway and
/// yaw rate follow the stride (two steps), \f$\sin(\psi/2)\f$. Upstairs: 0.88 f,
/// more vertical energy, softer impacts; downstairs: 1.10 f, sharp impacts and
/// more lateral sway. Each bout draws its amplitude A and sharpness
/// \f$\kappa\f$ from 1 ± `gait_jitter` times the activity's values (nobody
/// walks the same way twice), so walking and the stairs overlap a little.
/// body_acc is zero-mean (gravity removed, as in UCI HAR), so its magnitude is
/// rectified and peaks at 2f; |total_acc| ~ 1 g + vertical peaks at f.
///
/// Posture. Static activities differ mainly by the gravity direction seen in
/// total_acc, \f$ g = (\cos\theta\cos\phi, \sin\phi, \sin\theta\cos\phi) \f$
/// (pitch \f$\theta\f$, roll \f$\phi\f$): standing \f$\theta\approx 5°\f$ (sd 3°),
/// sitting `sit_stand_gap_deg` more (sd 4°), lying \f$\theta\approx 85°\f$
/// (gravity moves to z / y). The subject's mounting rotation shifts the
/// gravity direction by as much as the gap, so from one window alone sitting
/// and standing are confused, as in the real data.
///
/// Subjects. Each has its own cadence, gain (±gain_spread), device mounting
/// rotation (a rotation by an angle uniform in ±rotation_deg about a random
/// axis, applied to all three vectors) and noise level, so held-out subjects
/// are a real test. A subject's stream is a sequence of bouts of a random
/// activity, each a whole number of windows long; windows never straddle two
/// bouts and take their bout's label. Everything is seeded: subject s's stream
/// depends only on (seed, s), so the same subject always gives the same windows.
///
/// Held-out protocol (the one the tuning below used, and what
/// tutorials/09_iot_streams runs; it mirrors UCI HAR's split of 21 training
/// and 9 test subjects):
///   - default HarConfig (seed 0); train on subjects 0-20, the first 30
///     windows of each (630 windows); test on subjects 21-29, the first 100
///     windows of each (900 windows);
///   - inputs [N, 128, 9] standardised per channel, \f$ (x - \mu_c)/\sigma_c \f$,
///     with an iot::RunningStats fed every row of the training windows
///     (population variance);
///   - `make_model({"cnn" or "lstm", 128, 9, 6, seed 0})`; Adam lr 5e-3,
///     batch 32, DataLoader shuffle seed 0, gradient-norm clipping at 1.0
///     after each backward, CosineAnnealingLR over 12 epochs (stepped once per
///     epoch); accuracy of the final model on the test windows.
///
/// Tuning status (measured with that protocol): 1-d CNN 95.4%, LSTM 89.4%,
/// majority-class baseline 20.3% (training 2 s and 4 s on one thread of an
/// otherwise busy 2-core machine). Nearly all errors are sitting <-> standing
/// (CNN: all 41 errors; LSTM: 71 of 95, the rest walking and stairs mixed
/// up). The LSTM's number is fragile: standardising with a two-pass
/// mean/variance instead of Welford's (the same statistics up to the last
/// bits) gave it 91.9% (CNN unchanged). Other seeds mean other subjects, and
/// with 9 test subjects one unusual person moves the accuracy by a few
/// points: with that two-pass variant, seeds 1 and 2 gave CNN 93.2% and
/// 91.4%, and the LSTM 85.3% on seed 2 (downstairs taken for walking for
/// one subject).
///
/// Taught in \ref tutorial_09_iot_streams.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "iot/record.hpp"
#include "tensor/random.hpp"

namespace iotgrad::iot {

/// UCI HAR's six activities, in its label order (minus one).
enum HarActivity : int { kWalking = 0, kUpstairs, kDownstairs, kSitting, kStanding, kLying };
constexpr int kHarClasses = 6;
constexpr int kHarChannels = 9;
/// "walking", "upstairs", ...; throws std::invalid_argument outside 0..5.
std::string har_activity_name(int activity);

/// Difficulty knobs with defaults close to UCI HAR.
struct HarConfig {
    int subjects = 30;
    uint64_t seed = 0;
    float noise = 1.0f;             ///< Scales every subject's sensor noise.
    float gain_spread = 0.2f;       ///< Subject gain drawn from 1 ± gain_spread.
    float rotation_deg = 15.0f;     ///< Mounting rotation angle (random axis), uniform ± this.
    float sit_stand_gap_deg = 12.0f;///< Mean extra forward tilt when sitting.
    float gait_jitter = 0.1f;       ///< Per-bout gait amplitude and impact sharpness: 1 ± this.
    float sample_hz = 50.0f;
    int window = 128;               ///< Samples per window.
    int step = 64;                  ///< Window start-to-start distance (50% overlap).
    int min_bout_windows = 2;       ///< A bout lasts this many windows at least ...
    int max_bout_windows = 8;       ///< ... and at most this many.
};

/// A subject's fixed traits (drawn from the subject's own generator).
struct HarSubject {
    float cadence_hz;               ///< Walking step frequency.
    float gain;                     ///< Multiplies body movement amplitudes.
    std::array<float, 9> rotation;  ///< Row-major 3x3 mounting rotation.
    float acc_noise, gyro_noise;    ///< Standard deviations (g, rad/s).
    float lat, lon;                 ///< Where the subject starts.
};

/// One subject's endless stream, sample by sample or window by window.
class HarSubjectStream {
public:
    HarSubjectStream(const HarConfig& cfg, int subject);
    /// The next 50 Hz sample (9 values, label = the bout's activity).
    Record next_record();
    /// The next [window, 9] window; consecutive windows of a bout start
    /// `step` samples apart; t0 is the first sample's timestamp.
    Window next_window();
    const HarSubject& traits() const { return traits_; }

private:
    void start_bout();
    std::array<float, 9> sample();

    HarConfig cfg_;
    int subject_;
    Generator gen_;
    HarSubject traits_;
    int64_t n_ = 0;               // samples emitted
    int bout_id_ = -1, activity_ = 0;
    int64_t bout_left_ = 0;       // samples left in the bout
    double phase_ = 0.0;          // gait phase psi (radians)
    float bout_f_ = 0, bout_amp_ = 1, bout_kappa_ = 1, pitch_ = 0, roll_ = 0, heading_ = 0;
    double lat_ = 0, lon_ = 0;
    std::vector<std::array<float, 9>> buf_;  // samples of the current bout not yet windowed
    double buf_t0_ = 0.0;
    int buf_bout_ = -1;
};

/// The whole cohort. Streams for a chosen set of subjects (held-out splits).
class HarSimulator {
public:
    explicit HarSimulator(HarConfig cfg = {});
    const HarConfig& config() const { return cfg_; }
    /// Subject s's stream, fresh from its start (0 <= s < subjects).
    HarSubjectStream subject(int s) const;
    /// The first n windows of subject s (a convenience for small n).
    std::vector<Window> windows_for_subject(int s, int n) const;

private:
    HarConfig cfg_;
};

/// Round-robin over the given subjects: one window from each in turn, so a
/// training stream of any length holds only one buffer per subject.
class HarMultiStream {
public:
    HarMultiStream(const HarSimulator& sim, const std::vector<int>& subjects);
    Window next_window();

private:
    std::vector<HarSubjectStream> streams_;
    size_t turn_ = 0;
};

}  // namespace iotgrad::iot
