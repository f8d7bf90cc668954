/// \file
/// The figures the paper REPORTS (Section IV), kept apart from anything we
/// measure: the report prints them in columns labelled as the paper's, never
/// in ours. NaN = the paper gives no value.
#pragma once
#include <limits>
#include <string>

namespace iotgrad::iot::experiments {

struct PaperFigures {
    double accuracy_pct;        ///< Fig. 3
    double latency_ms;          ///< Fig. 3 / Fig. 6
    double train_min_10k;       ///< Fig. 4, 10,000 samples
    double train_min_1m;        ///< Fig. 4, 1,000,000 samples
    double energy_mwh;          ///< Fig. 5, per inference
};

/// The paper's values for a model id ("cnn", "lstm", "transformer", "fedavg-cnn");
/// all NaN for an unknown id.
inline PaperFigures paper_figures(const std::string& id) {
    const double n = std::numeric_limits<double>::quiet_NaN();
    if (id == "cnn") return {85.4, 45.2, 2.1, 230.5, 15.5};
    if (id == "lstm") return {89.6, 60.8, 3.5, 290.1, 18.5};
    if (id == "transformer") return {92.3, 75.4, n, 320.8, 21.3};
    if (id == "fedavg-cnn") return {88.0, 50.6, 2.8, 250.3, 16.6};
    return {n, n, n, n, n};
}

}  // namespace iotgrad::iot::experiments
