#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catch_compat.hpp"
#include "temp_path.hpp"
#include "iot/cli/commands.hpp"

using namespace iotgrad::iot;

namespace {

using iotgrad::test::temp_path;

struct Result {
    int code;
    std::string out, err;
};

Result run(const cli::Argv& args) {
    std::ostringstream out, err;
    const int code = cli::run(args, out, err);
    return {code, out.str(), err.str()};
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("cli: bad command lines exit 2 naming the option", "[iot][cli]") {
    CHECK(run({}).code == 2);
    const Result unknown = run({"frobnicate"});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err, IOTGRAD_HAS("unknown command 'frobnicate'"));
    const Result missing = run({"train", "--target", "y", "--task", "classify"});
    CHECK(missing.code == 2);
    CHECK_THAT(missing.err, IOTGRAD_HAS("--csv"));
    const Result epochs = run({"train", "--csv", "x.csv", "--target", "y", "--task", "classify", "--epochs", "ten"});
    CHECK(epochs.code == 2);
    CHECK_THAT(epochs.err, IOTGRAD_HAS("--epochs needs a whole number, got 'ten'"));
    const Result task = run({"train", "--csv", "x.csv", "--target", "y", "--task", "guess"});
    CHECK(task.code == 2);
    CHECK_THAT(task.err, IOTGRAD_HAS("--task must be one of"));
    const Result scen = run({"simulate", "--scenario", "moon", "--out", temp_path("m.csv")});
    CHECK(scen.code == 2);
    CHECK_THAT(scen.err, IOTGRAD_HAS("--scenario"));
    const Result extra = run({"evaluate", "--model", "m", "--csv", "c", "--bogus", "1"});
    CHECK(extra.code == 2);
    CHECK_THAT(extra.err, IOTGRAD_HAS("unknown option --bogus"));
    for (const char* cmd : {"simulate", "train", "evaluate", "predict"}) {
        const Result help = run({cmd, "--help"});
        CHECK(help.code == 0);
        CHECK_THAT(help.out, IOTGRAD_HAS("--"));
    }
    CHECK_THAT(run({"train", "--help"}).out, IOTGRAD_HAS("--window"));
}

TEST_CASE("cli: bad data exits 1 with file:line:column", "[iot][cli]") {
    const std::string csv = temp_path("bad.csv");
    write(csv, "time,x,label\n1,0.5,a\n2,oops,b\n3,1,a\n");
    const Result r = run({"train", "--csv", csv, "--target", "label", "--task", "classify", "--window", "2", "--model", "mlp"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, IOTGRAD_HAS(csv + ":3:2: 'oops' is not a number"));
    write(csv, "time,x,label\n1,0.5,a\n2,1\n");
    const Result fields = run({"train", "--csv", csv, "--target", "label", "--task", "classify"});
    CHECK(fields.code == 1);
    CHECK_THAT(fields.err, IOTGRAD_HAS(csv + ":3: wrong number of fields"));
    const Result none = run({"train", "--csv", temp_path("nothing.csv"), "--target", "y", "--task", "regress"});
    CHECK(none.code == 1);
    CHECK_THAT(none.err, IOTGRAD_HAS("cannot open"));
    write(csv, "time,x,label\n1,0.5,a\n2,1,b\n");
    const Result target = run({"train", "--csv", csv, "--target", "nope", "--task", "regress"});
    CHECK(target.code == 1);
    CHECK_THAT(target.err, IOTGRAD_HAS("no column 'nope'"));
    std::filesystem::remove(csv);
}

TEST_CASE("cli: simulate, train, evaluate, predict a small wearable; same seed same metrics", "[iot][cli]") {
    const std::string csv = temp_path("w.csv"), model = temp_path("w.model"), json = temp_path("w.json"),
                      json2 = temp_path("w2.json"), eval = temp_path("we.json"), pred = temp_path("wp.csv");
    const Result sim = run({"simulate", "--scenario", "wearable", "--devices", "3", "--records", "256", "--seed", "1",
                            "--missing-rate", "0.01", "--out", csv});
    REQUIRE(sim.code == 0);
    CHECK_THAT(sim.out, IOTGRAD_HAS("768 records"));
    const cli::Argv train = {"train", "--csv", csv, "--target", "activity", "--task", "classify", "--window", "16",
                             "--model", "mlp", "--epochs", "2", "--split", "time", "--save", model,
                             "--metrics-json", json};
    const Result t1 = run(train);
    REQUIRE(t1.code == 0);
    CHECK_THAT(t1.out, IOTGRAD_HAS("majority_class"));
    CHECK_THAT(t1.err, IOTGRAD_HAS("epoch 2/2"));
    const std::string j1 = slurp(json);
    for (const char* key : {"\"task\": \"classify\"", "\"records\": 768", "\"model\": {\"name\": \"mlp\", \"accuracy\": ",
                            "\"macro_f1\"", "\"precision\"", "\"recall\"", "\"baseline\": {\"name\": \"majority_class\""})
        CHECK_THAT(j1, IOTGRAD_HAS(key));
    cli::Argv again = train;
    again.back() = json2;
    REQUIRE(run(again).code == 0);
    CHECK(slurp(json2) == j1);

    const Result ev = run({"evaluate", "--model", model, "--csv", csv, "--metrics-json", eval});
    REQUIRE(ev.code == 0);
    CHECK_THAT(slurp(eval), IOTGRAD_HAS("\"part\": \"all\""));
    const Result pr = run({"predict", "--model", model, "--csv", csv, "--out", pred});
    REQUIRE(pr.code == 0);
    const std::string p = slurp(pred);
    CHECK(p.rfind("time,device,line,prediction,confidence\n", 0) == 0);
    CHECK(std::count(p.begin(), p.end(), '\n') == 1 + 3 * 31);  // (256 - 16) / 8 + 1 windows per device

    // every missing-value strategy trains, evaluates and predicts (mask doubles the channels)
    for (const char* how : {"drop", "interpolate", "mask"}) {
        const Result t = run({"train", "--csv", csv, "--target", "activity", "--task", "classify", "--window", "16",
                              "--model", "gru", "--epochs", "1", "--missing", how, "--save", model});
        CHECK(t.code == 0);
        CHECK(run({"evaluate", "--model", model, "--csv", csv}).code == 0);
        CHECK(run({"predict", "--model", model, "--csv", csv, "--out", pred}).code == 0);
    }

    // a label the model never saw
    std::string text = slurp(csv);
    const std::size_t at = text.find("walking");
    REQUIRE(at != std::string::npos);
    const int64_t line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
    text.replace(at, 7, "running");
    write(csv, text);
    const Result unseen = run({"evaluate", "--model", model, "--csv", csv});
    CHECK(unseen.code == 1);
    CHECK_THAT(unseen.err, IOTGRAD_HAS(csv + ":" + std::to_string(line) + ":14: label 'running' was never seen"));

    // a damaged model file
    std::string bytes = slurp(model);
    bytes.resize(bytes.size() - 10);
    write(model, bytes);
    const Result broken = run({"evaluate", "--model", model, "--csv", csv});
    CHECK(broken.code == 1);
    CHECK_THAT(broken.err, IOTGRAD_HAS(model));

    const Result wrong = run({"train", "--csv", csv, "--target", "activity", "--task", "classify", "--model",
                              "autoencoder", "--save", model});
    CHECK(wrong.code == 2);
    CHECK_THAT(wrong.err, IOTGRAD_HAS("--model autoencoder does not fit --task classify"));
    const Result small = run({"train", "--csv", csv, "--target", "activity", "--task", "classify", "--window", "8",
                              "--model", "cnn", "--save", model});
    CHECK(small.code == 2);
    CHECK_THAT(small.err, IOTGRAD_HAS("the CNN needs at least 14 time steps"));
    for (const std::string& f : {csv, model, json, json2, eval, pred}) std::filesystem::remove(f);
}
