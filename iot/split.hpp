/// \file
/// Train / validation / test splits of windowed samples, by time or by
/// device, that never leak a record from one part into another.
///
/// Sliding windows overlap: with window 128 and stride 64, two neighbouring
/// windows share 64 records. Split the windows at random and half of a test
/// window's records were seen in training, so the score flatters the model.
/// Here each sample is described by the span of records it reads (its window,
/// and for forecasting the target `horizon` records later), and a split only
/// ever puts a sample in a part when its whole span lies inside that part:
///
/// - **by time**: two cut times split the time axis into train | validation |
///   test; a sample whose span crosses a cut is dropped (for a stride-s
///   stream that is about window/s samples per cut and device, i.e. a gap of
///   window-1 records at the boundary, as the usual "purged" split does);
/// - **by device**: whole devices (subjects, machines, sites) go to one part,
///   chosen by a seeded shuffle, so the test measures unseen devices; windows
///   never straddle two devices, so nothing can leak.
#pragma once
#include <cstdint>
#include <vector>

namespace iotgrad::iot {

/// The records one sample reads.
struct SampleSpan {
    int device = 0;
    double t_first = 0.0;  ///< Time of its first record.
    double t_last = 0.0;   ///< Time of its last record (the target's, for a forecast).
};

/// Sample indices of each part, in their original order.
struct SplitIndices {
    std::vector<int64_t> train, validation, test;
    int64_t dropped = 0;   ///< Samples that crossed a cut (by time) and are in no part.
};

/// Cuts at the times where a fraction (1 - validation - test), then
/// (1 - test), of the samples have started (quantiles of t_first), and drops
/// samples crossing a cut. Throws std::invalid_argument unless 0 <= validation,
/// 0 <= test and validation + test < 1.
SplitIndices split_by_time(const std::vector<SampleSpan>& spans, double validation, double test = 0.0);

/// Shuffles the distinct devices with `seed` and gives the last
/// round(validation * D) to validation and the round(test * D) before them
/// to test (at least one each when the fraction is > 0 and there are enough
/// devices; train always keeps at least one). Same checks as split_by_time.
SplitIndices split_by_device(const std::vector<SampleSpan>& spans, double validation, double test = 0.0,
                             uint64_t seed = 0);

}  // namespace iotgrad::iot
