/// \file
/// A reader for the real UCI HAR dataset (Anguita et al., "A Public Domain
/// Dataset for Human Activity Recognition Using Smartphones", ESANN 2013),
/// so the models trained on the simulator (iot/sim_har.hpp) run unchanged on
/// the data it imitates.
///
/// Layout read (as unpacked from the dataset's zip, `dir` = "UCI HAR Dataset"):
///
///     <dir>/<split>/Inertial Signals/body_acc_x_<split>.txt   (and _y, _z)
///     <dir>/<split>/Inertial Signals/body_gyro_x_<split>.txt  (and _y, _z)
///     <dir>/<split>/Inertial Signals/total_acc_x_<split>.txt  (and _y, _z)
///     <dir>/<split>/y_<split>.txt          one label 1..6 per line
///     <dir>/<split>/subject_<split>.txt    one subject id per line
///
/// with split = "train" or "test". Line i of every file is window i; each
/// signal line holds 128 whitespace-separated numbers (2.56 s at 50 Hz).
///
/// **Channel order** is the simulator's (see iot/sim_har.hpp): 0-2 body_acc
/// x, y, z; 3-5 body_gyro x, y, z; 6-8 total_acc x, y, z. Labels are shifted
/// from 1..6 to 0..5, which is the simulator's HarActivity order (walking,
/// upstairs, downstairs, sitting, standing, lying = UCI's LAYING). Subject
/// ids are kept as the files give them (1..30), unlike the simulator's 0-based
/// ids.
///
/// Bad input is refused with std::runtime_error naming file:line:column and
/// the reason: a missing file, a line with the wrong number of values, a
/// value that is not a number, a label outside 1..6, a subject id that is not
/// a positive whole number, or files with different numbers of lines.
/// Trailing blank lines at the end of a file are ignored; a blank line
/// elsewhere is an error.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::iot {

/// Samples per UCI HAR window.
constexpr int kUciHarWindow = 128;

/// The nine signal names in channel order; signal s of split p is the file s_p.txt (e.g. body_acc_x_train.txt).
const std::array<std::string, 9>& uci_har_signals();

/// One split of the dataset.
struct UciHarSplit {
    Tensor x;                   ///< [N, 128, 9] float32, channels in uci_har_signals() order.
    std::vector<int> labels;    ///< N labels, 0..5 (UCI's 1..6 minus one).
    std::vector<int> subjects;  ///< N subject ids as in the files (1..30).
    /// The labels as a float tensor [N], the target cross_entropy takes.
    Tensor targets() const;
};

/// Reads `<dir>/<split>/...` (see the file comment). Throws
/// std::runtime_error naming file:line:column and the reason for bad input.
UciHarSplit read_uci_har(const std::string& dir, const std::string& split);

}  // namespace iotgrad::iot
