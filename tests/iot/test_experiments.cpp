#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "iot/cli/commands.hpp"
#include "iot/experiments/experiments.hpp"
#include "iot/experiments/report.hpp"

using namespace iotgrad;
using namespace iotgrad::iot::experiments;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// The smallest run that still exercises every experiment and every file.
ExperimentConfig tiny_config(const std::string& dir) {
    ExperimentConfig c = preset("quick");
    c.out_dir = dir;
    c.seed = 3;
    c.threads = 1;
    c.train_windows = 48;
    c.test_windows_per_subject = 4;
    c.batch_size = 16;
    c.fed_rounds = 1;
    c.latency_repeats = 3;
    c.throughput_batch = 4;
    c.throughput_min_seconds = 0;
    c.scaling_sizes = {32};
    c.node_counts = {1, 2};
    c.node_min_rounds = 1;
    c.node_min_seconds = 0;
    return c;
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, sep)) out.push_back(cell);
    return out;
}

}  // namespace

TEST_CASE("pareto_front keeps the points no other point beats on both axes", "[iot][experiments]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    //                      0    1    2    3    4    5    6    7
    const std::vector<double> lat = {1.0, 2.0, 3.0, 2.0, 0.5, 4.0, nan, 1.0};
    const std::vector<double> acc = {0.5, 0.7, 0.6, 0.65, 0.4, 0.9, 1.0, 0.5};
    // 2 is beaten by 1 (faster and more accurate), 3 by 1 (same latency, less
    // accurate), 6 is not measured; 0 and 7 tie, so neither beats the other.
    CHECK(pareto_front(lat, acc) == std::vector<size_t>{4, 0, 7, 1, 5});
    CHECK(pareto_front({}, {}).empty());
    CHECK_THROWS_WITH(pareto_front({1.0}, {}), IOTGRAD_HAS("1 x values but 0 y values"));
}

TEST_CASE("percentile interpolates between order statistics", "[iot][experiments]") {
    CHECK(percentile({4, 1, 3, 2}, 50) == IOTGRAD_APPROX(2.5));
    CHECK(percentile({4, 1, 3, 2}, 99) == IOTGRAD_APPROX(3.97));
    CHECK(percentile({4, 1, 3, 2}, 0) == 1.0);
    CHECK(percentile({7}, 99) == 7.0);
    CHECK_THROWS_WITH(percentile({}, 50), IOTGRAD_HAS("no values"));
}

TEST_CASE("presets and validation", "[iot][experiments]") {
    CHECK(preset("full").scaling_sizes == std::vector<int64_t>{10000, 100000, 1000000});
    CHECK(preset("quick").train_windows < preset("default").train_windows);
    CHECK_THROWS_WITH(preset("huge"), IOTGRAD_HAS("quick, default, full"));
    ExperimentConfig c = preset("default");
    c.threads = 0;
    CHECK_THROWS_WITH(validate(c), IOTGRAD_HAS("threads"));
    c = preset("default");
    c.test_subjects = 30;
    CHECK_THROWS_WITH(validate(c), IOTGRAD_HAS("test_subjects"));
    CHECK(model_entries(true).size() == 4);
    CHECK(model_entries(false).size() == 3);
}

TEST_CASE("a tiny experiments run writes every file with measured numbers", "[iot][experiments]") {
    const fs::path dir = fs::temp_directory_path() / "iotgrad_test_experiments";
    fs::remove_all(dir);
    std::ostringstream log;
    const ExperimentConfig cfg = tiny_config(dir.string());
    Results r = run_experiments(cfg, log);
    write_report(r, cfg.out_dir);

    for (const std::string& f : expected_files()) {
        INFO(f);
        REQUIRE(fs::exists(dir / f));
        CHECK(fs::file_size(dir / f) > 100);
    }
    REQUIRE(r.models.size() == 4);  // CNN, LSTM, Transformer, FedAvg CNN
    CHECK(r.info.federated_note.empty());
    for (const ModelResult& m : r.models) {
        INFO(m.model.id);
        CHECK(m.accuracy >= 0.0);
        CHECK(m.accuracy <= 1.0);
        CHECK(m.f1 >= 0.0);
        CHECK(m.test_windows == 24);
        CHECK(m.latency_median_ms > 0.0);
        CHECK(m.latency_p99_ms >= m.latency_median_ms);
        CHECK(m.throughput_wps > 0.0);
        CHECK(m.size_bytes == 4 * m.parameters);
        CHECK(m.macs > 0);
    }
    CHECK(r.models[0].parameters == 12166);
    CHECK(r.scaling.size() == 4);
    CHECK(r.energy.size() == 8);  // 4 models x 2 device classes
    CHECK(r.nodes.size() == 6);   // 3 centralized models x 2 node counts
    CHECK_FALSE(r.pareto.empty());

    // models.csv: a header and one row per model; the measured columns are numbers.
    std::istringstream csv(read_file(dir / "models.csv"));
    std::string line;
    std::getline(csv, line);
    const std::vector<std::string> header = split(line, ',');
    REQUIRE(header[3] == "accuracy");
    int rows = 0;
    while (std::getline(csv, line)) {
        const std::vector<std::string> cells = split(line, ',');
        REQUIRE(cells.size() == header.size());
        for (size_t c = 3; c < cells.size() - 1; ++c) {
            INFO(header[c] << " = " << cells[c]);
            char* end = nullptr;
            std::strtod(cells[c].c_str(), &end);
            CHECK((end != cells[c].c_str() && *end == '\0'));
        }
        ++rows;
    }
    CHECK(rows == 4);

    // report.md: every section, our rows with numbers, the paper's columns labelled.
    const std::string md = read_file(dir / "report.md");
    for (const char* s : {"## 1. Model comparison", "## 2. Training time", "## 3. Energy per inference",
                          "## 4. Accuracy vs latency", "## 5. Processing speed", "accuracy % (paper)",
                          "not meter readings", "fig7_nodes_throughput.svg", "| CNN | "})
        CHECK_THAT(md, IOTGRAD_HAS(s));
    CHECK(md.find("| CNN | n/a") == std::string::npos);
    CHECK(read_file(dir / "fig6_accuracy_latency.svg").find("</svg>") != std::string::npos);
    CHECK_THAT(read_file(dir / "results.json"), IOTGRAD_HAS("\"energy_per_inference\""));
    fs::remove_all(dir);
}

TEST_CASE("iotgrad experiments: help and bad options", "[iot][experiments]") {
    std::ostringstream out, err;
    CHECK(iot::cli::run({"experiments", "--help"}, out, err) == 0);
    CHECK_THAT(out.str(), IOTGRAD_HAS("--quick"));
    CHECK_THAT(out.str(), IOTGRAD_HAS("--threads"));
    std::ostringstream out2, err2;
    CHECK(iot::cli::run({"experiments", "--threads", "0"}, out2, err2) == 2);
    CHECK_THAT(err2.str(), IOTGRAD_HAS("--threads"));
    std::ostringstream out3, err3;
    CHECK(iot::cli::run({"experiments", "--quick", "--full"}, out3, err3) == 2);
    CHECK_THAT(err3.str(), IOTGRAD_HAS("exclude"));
}
