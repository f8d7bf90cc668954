/// \file
/// Turns the experiments' Results into the output folder: report.md (tables
/// with the paper's reported values beside ours, labelled as the paper's),
/// one SVG per figure, and the raw numbers as CSV and JSON.
#pragma once
#include <string>
#include <vector>

#include "iot/experiments/results.hpp"
#include "iot/report/table.hpp"

namespace iotgrad::iot::experiments {

/// The files write_report creates, relative to its folder.
std::vector<std::string> expected_files();

/// Writes every file of expected_files() into `dir` (created if missing).
/// Throws std::runtime_error naming the path when a file cannot be written.
void write_report(const Results& r, const std::string& dir);

/// The report's Markdown text (also what report.md holds).
std::string report_markdown(const Results& r);

/// The headline table of experiment 1 (and the MCU energy), as printed at the
/// end of the run: accuracy, F1, training time, latency, throughput, size, energy.
report::Table summary_table(const Results& r);

/// Raw tables (full precision, machine-readable column names) for the CSV files.
report::Table models_csv(const Results& r);
report::Table scaling_csv(const Results& r);
report::Table energy_csv(const Results& r);
report::Table nodes_csv(const Results& r);
/// Everything, config and machine included, as one JSON document.
report::Json results_json(const Results& r);

/// Writes the SVG figures into `dir`.
void write_figures(const Results& r, const std::string& dir);

}  // namespace iotgrad::iot::experiments
