// The accounting output (table, CSV, JSON writer), the scenario builders and
// the `iotgrad federated` subcommand end to end on a tiny run.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>

#include "catch_compat.hpp"
#include "iot/cli/commands.hpp"
#include "iot/fed/report.hpp"
#include "iot/fed/scenario.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;
using namespace iotgrad::iot::fed;

TEST_CASE("fed report: the JSON writer nests, escapes, writes NaN as null and refuses misuse", "[iot][fed]") {
    std::ostringstream os;
    JsonWriter w(os);
    w.begin_object();
    w.key("name").value("a \"b\"\n");
    w.key("n").value(3);
    w.key("x").value(0.5);
    w.key("nan").value(std::numeric_limits<double>::quiet_NaN());
    w.key("list").begin_array().value(1).value(true).begin_object().end_object().end_array();
    w.end_object();
    CHECK(os.str() == R"({"name":"a \"b\"\n","n":3,"x":0.5,"nan":null,"list":[1,true,{}]})");
    std::ostringstream bad;
    JsonWriter v(bad);
    v.begin_object();
    CHECK_THROWS_WITH(v.value(1), IOTGRAD_HAS("needs a key"));
    CHECK_THROWS_WITH(v.end_array(), IOTGRAD_HAS("end_array"));
}

TEST_CASE("fed report: table, summary and CSV carry every round", "[iot][fed]") {
    FedResult r;
    r.num_parameters = 10;
    for (int t = 1; t <= 3; ++t) {
        RoundStats s;
        s.round = t;
        s.sampled = 4;
        s.finished = 3;
        s.missing = 1;
        s.missing_clients = {t};
        s.bytes_up = 120;
        s.bytes_down = 160;
        s.test_accuracy = 0.3 * t;
        s.test_loss = 1.0 / t;
        r.rounds.push_back(s);
    }
    std::ostringstream csv, table, summary;
    write_csv(csv, {{"fedavg", &r}});
    write_table(table, "fedavg", r);
    write_summary(summary, {{"fedavg", &r}}, 0.5);
    int lines = 0;
    std::string line;
    std::istringstream in(csv.str());
    while (std::getline(in, line)) ++lines;
    CHECK(lines == 4);  // header + 3 rounds
    CHECK_THAT(csv.str(), IOTGRAD_HAS("fedavg,2,4,3,1,0,1,120,160,"));
    CHECK_THAT(table.str(), IOTGRAD_HAS("3/4"));
    CHECK(r.rounds_to_accuracy(0.5) == 2);
    CHECK(r.final_accuracy() == Approx(0.9));
    CHECK(format_bytes(48664) == "48.7 kB");
}

TEST_CASE("fed scenarios: natural clients, held-out devices, normalised inputs", "[iot][fed]") {
    HarConfig hc;
    hc.window = 32;
    hc.step = 16;
    const FedData har = har_data(hc, 3, 2, 5);
    CHECK(har.train->size() == 15);
    CHECK(har.test->size() == 10);
    CHECK(har.train->get(0).x.shape() == Shape{32, 9});
    CHECK(partition_data(har, "natural", 0, 0, 0, 0).size() == 3u);
    CHECK(partition_data(har, "iid", 5, 0, 0, 0).size() == 5u);
    CHECK_THROWS_WITH(partition_data(har, "random", 5, 0, 0, 0), IOTGRAD_HAS("natural, iid"));
    CHECK_THROWS_WITH(har_data(hc, 29, 2, 5), IOTGRAD_HAS("subjects"));

    MachineConfig mc;
    mc.machines = 4;
    const FedData m = machine_data(mc, 3, 1, 16, 8);
    const std::vector<int> y = dataset_labels(*m.train);
    CHECK(std::count(y.begin(), y.end(), 1) > 0);  // every machine fails within its life
    CHECK(std::count(y.begin(), y.end(), 0) > 0);
    CHECK(partition_by_group(m.train_device).size() == 3u);
    // Per-channel mean of the normalised training inputs is 0.
    double mean0 = 0.0;
    for (int64_t i = 0; i < m.train->size(); ++i) mean0 += m.train->get(i).x.at({0, 0}) / static_cast<double>(m.train->size());
    CHECK(std::fabs(mean0) < 0.5);
}

TEST_CASE("fed cli: iotgrad federated runs rounds, writes metrics JSON and rejects bad options", "[iot][fed]") {
    const std::string json = (std::filesystem::temp_directory_path() / "iotgrad_fed_cli_test.json").string();
    std::ostringstream out, err;
    const int rc = cli::run({"federated", "--window", "16", "--devices", "4", "--test-devices", "2", "--windows-per-device",
                             "6", "--rounds", "2", "--model", "mlp", "--fraction", "1", "--dropout", "0.3",
                             "--central-epochs", "1", "--metrics-json", json}, out, err);
    CHECK(err.str().empty());
    REQUIRE(rc == 0);
    CHECK_THAT(out.str(), IOTGRAD_HAS("round   2/2"));
    CHECK_THAT(out.str(), IOTGRAD_HAS("centralized"));
    std::ifstream f(json);
    const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, IOTGRAD_HAS("\"algorithm\":\"fedavg\""));
    CHECK_THAT(text, IOTGRAD_HAS("\"rounds\":[{\"round\":1"));
    std::filesystem::remove(json);

    std::ostringstream o2, e2;
    CHECK(cli::run({"federated", "--algorithm", "fedfoo"}, o2, e2) == 2);
    CHECK_THAT(e2.str(), IOTGRAD_HAS("fedprox"));
    std::ostringstream o3, e3;
    CHECK(cli::run({"federated", "--aggregator", "median", "--secure-agg"}, o3, e3) == 2);
    CHECK_THAT(e3.str(), IOTGRAD_HAS("secure_aggregation needs aggregator mean"));
    std::ostringstream o4, e4;
    CHECK(cli::run({"federated", "--scenario", "csv"}, o4, e4) == 2);
    CHECK_THAT(e4.str(), IOTGRAD_HAS("--csv FILE"));
}
