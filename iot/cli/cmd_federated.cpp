// `iotgrad federated`: a scenario (simulator or CSV) -> clients by a partition
// -> FedAvg or a variant, one progress line per round -> summary, optional
// centralized baseline, metrics JSON and per-round CSV.
#include <cmath>
#include <fstream>
#include <iomanip>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "iot/cli/args.hpp"
#include "iot/cli/commands.hpp"
#include "iot/cli/pipeline.hpp"
#include "iot/report/table.hpp"
#include "iot/fed/central.hpp"
#include "iot/fed/fedavg.hpp"
#include "iot/fed/report.hpp"
#include "iot/fed/scenario.hpp"
#include "iot/models.hpp"

namespace iotgrad::iot::cli {
namespace {

const std::string kCmd = "iotgrad federated";

Args make_args() {
    Args a(kCmd,
           "Federated training across simulated IoT devices: every device keeps its data and only model\n"
           "weights travel. Each round the server sends the model to a fraction C of the K clients, each\n"
           "trains E local epochs with batches of B, and the server averages what comes back (FedAvg,\n"
           "McMahan et al. 2017) or one of its variants. Prints one line per round; --central-epochs adds\n"
           "the centralized baseline on the union of the data.");
    a.option("scenario", "NAME", "har (wearable subjects), machines (fleet), city (sensor sites) or csv", "har")
        .option("csv", "FILE", "scenario csv: the data (header row; windows never cross devices)")
        .option("target", "COLUMN", "scenario csv: the class column")
        .option("device-column", "C", "scenario csv: the device column, one natural client per device", "device")
        .option("test-fraction", "F", "scenario csv: fraction of devices held out for testing", "0.2")
        .option("window", "N", "records per window (har: samples, 128 like UCI HAR)")
        .option("stride", "S", "machines, csv: records between window starts (default window/2)")
        .option("devices", "N", "har, machines: training devices (subjects / machines)", "20")
        .option("test-devices", "N", "har, machines, city: held-out devices", "5")
        .option("windows-per-device", "N", "har: windows per subject", "40")
        .option("steps", "N", "city: readings per site", "2000")
        .option("sim-seed", "S", "seeds the simulator", "0")
        .option("partition", "HOW", "natural (one client per device), iid, dirichlet or shards", "natural")
        .option("clients", "K", "iid, dirichlet, shards: number of clients", "20")
        .option("alpha", "A", "dirichlet: concentration (small = skewed)", "0.5")
        .option("shards", "S", "shards: shards per client", "2")
        .option("model", "KIND", "mlp, cnn, lstm, gru or transformer", "cnn")
        .option("algorithm", "ALG", "fedavg, fedsgd, fedprox or fedavgm", "fedavg")
        .option("rounds", "T", "communication rounds", "20")
        .option("fraction", "C", "fraction of clients sampled per round", "0.5")
        .option("epochs", "E", "local epochs per round (fedsgd: 1)", "5")
        .option("batch", "B", "local batch size; 0 = the whole local dataset", "10")
        .option("lr", "LR", "client learning rate", "0.1")
        .option("optimizer", "OPT", "client optimizer: sgd or adam", "sgd")
        .option("mu", "MU", "fedprox: proximal weight", "0.01")
        .option("server-lr", "ETA", "server learning rate", "1")
        .option("server-momentum", "BETA", "fedavgm: server momentum", "0.9")
        .option("aggregator", "AGG", "mean, median or trimmed_mean", "mean")
        .option("trim", "F", "trimmed_mean: fraction cut at each end", "0.2")
        .option("dropout", "P", "chance a sampled client never reports back", "0")
        .option("stragglers", "P", "chance a client finishes only part of its local work", "0")
        .option("min-clients", "N", "fewer reports than this: the round leaves the model unchanged", "1")
        .option("poison-fraction", "F", "fraction of malicious clients", "0")
        .option("poison", "KIND", "what they send: sign_flip or scale (times --poison-scale)", "sign_flip")
        .option("poison-scale", "S", "factor of the malicious update", "10")
        .option("dp-clip", "S", "DP-FedAvg: clip each update to L2 norm S (turns DP on)")
        .option("dp-noise", "Z", "DP-FedAvg: noise multiplier z (noise std z*S/m)", "1")
        .flag("secure-agg", "pairwise additive masks: the server only sees the sum (needs --aggregator mean)")
        .option("central-epochs", "N", "also train the centralized baseline for N epochs (0: skip)", "0")
        .option("eval-every", "N", "evaluate on the test windows every N rounds (and after the last)", "1")
        .option("target-accuracy", "F", "report the first round reaching this test accuracy", "0.8")
        .option("seed", "S", "seeds the model, client sampling, batches and faults", "0")
        .option("threads", "N", "OpenMP threads for clients (0: default)", "0")
        .option("metrics-json", "FILE", "write the run (every round) as JSON")
        .option("rounds-csv", "FILE", "write one CSV row per round")
        .flag("quiet", "no per-round lines");
    return a;
}

double number_in(const Args& a, const std::string& name, double lo, double hi) {
    const double v = a.get_double(name);
    if (!(v >= lo && v <= hi))
    {
        std::ostringstream o;
        o << kCmd << ": --" << name << " must be in [" << lo << ", " << hi << "], got " << a.get(name);
        throw UsageError(o.str());
    }
    return v;
}

int count_at_least(const Args& a, const std::string& name, int64_t lo) {
    const int64_t v = a.get_int(name);
    if (v < lo) throw UsageError(kCmd + ": --" + name + " must be >= " + std::to_string(lo) + ", got " + std::to_string(v));
    return static_cast<int>(v);
}

fed::FedData load_scenario(const Args& a) {
    const std::string s = a.get_choice("scenario", {"har", "machines", "city", "csv"});
    const uint64_t sim_seed = static_cast<uint64_t>(a.get_int("sim-seed"));
    const int devices = count_at_least(a, "devices", 1), test_devices = count_at_least(a, "test-devices", 1);
    if (s == "har") {
        HarConfig hc;
        hc.seed = sim_seed;
        hc.subjects = std::max(hc.subjects, devices + test_devices);
        if (a.has("window")) {
            hc.window = count_at_least(a, "window", 14);
            hc.step = std::max(1, hc.window / 2);
        }
        return fed::har_data(hc, devices, test_devices, count_at_least(a, "windows-per-device", 1));
    }
    if (s == "machines") {
        MachineConfig mc;
        mc.seed = sim_seed;
        mc.machines = std::max(mc.machines, devices + test_devices);
        const int w = a.has("window") ? count_at_least(a, "window", 1) : 32;
        return fed::machine_data(mc, devices, test_devices, w, a.has("stride") ? count_at_least(a, "stride", 1) : std::max(1, w / 2));
    }
    if (s == "city") {
        CityConfig cc;
        cc.seed = sim_seed;
        return fed::city_data(cc, count_at_least(a, "steps", 2), a.has("window") ? count_at_least(a, "window", 2) : 24,
                              test_devices);
    }
    if (!a.has("csv") || !a.has("target")) throw UsageError(kCmd + ": --scenario csv needs --csv FILE and --target COLUMN");
    const int w = a.has("window") ? count_at_least(a, "window", 1) : 32;
    return fed::csv_data(a.get("csv"), a.get("device-column"), a.get("target"), w,
                         a.has("stride") ? count_at_least(a, "stride", 1) : std::max(1, w / 2),
                         number_in(a, "test-fraction", 0.0, 0.9), static_cast<uint64_t>(a.get_int("seed")));
}

fed::FedConfig read_config(const Args& a) {
    fed::FedConfig c;
    try {
        c.algorithm = fed::parse_algorithm(a.get("algorithm"));
        c.aggregator = fed::parse_aggregator(a.get("aggregator"));
        c.poison = fed::parse_poison(a.get("poison"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(kCmd + ": " + e.what());
    }
    c.rounds = count_at_least(a, "rounds", 1);
    c.client_fraction = number_in(a, "fraction", 1e-9, 1.0);
    c.local_epochs = count_at_least(a, "epochs", 1);
    c.batch_size = count_at_least(a, "batch", 0);
    c.lr = number_in(a, "lr", 1e-12, 1e6);
    c.optimizer = a.get_choice("optimizer", {"sgd", "adam"}) == "adam" ? fed::LocalOptimizer::Adam : fed::LocalOptimizer::SGD;
    c.mu = number_in(a, "mu", 0.0, 1e6);
    c.server_lr = number_in(a, "server-lr", 1e-12, 1e6);
    c.server_momentum = number_in(a, "server-momentum", 0.0, 0.999999);
    c.trim_fraction = number_in(a, "trim", 0.0, 0.499999);
    c.dropout_rate = number_in(a, "dropout", 0.0, 0.999999);
    c.straggler_rate = number_in(a, "stragglers", 0.0, 1.0);
    c.min_clients = count_at_least(a, "min-clients", 1);
    c.poison_fraction = number_in(a, "poison-fraction", 0.0, 0.999999);
    c.poison_scale = number_in(a, "poison-scale", -1e6, 1e6);
    if (a.has("dp-clip")) {
        c.dp.enabled = true;
        c.dp.clip_norm = number_in(a, "dp-clip", 1e-12, 1e12);
        c.dp.noise_multiplier = number_in(a, "dp-noise", 0.0, 1e6);
    }
    c.secure_aggregation = a.get_flag("secure-agg");
    c.seed = static_cast<uint64_t>(a.get_int("seed"));
    c.threads = count_at_least(a, "threads", 0);
    c.eval_every = count_at_least(a, "eval-every", 1);
    try {
        fed::validate(c);
    } catch (const std::invalid_argument& e) {
        throw UsageError(kCmd + ": " + e.what());
    }
    return c;
}

std::string round_line(const fed::RoundStats& s, int rounds) {
    std::ostringstream o;
    o << "round " << std::setw(3) << s.round << "/" << rounds << "  clients " << s.finished << "/" << s.sampled;
    if (s.missing) {
        o << " (missing:";
        for (int k : s.missing_clients) o << " " << k;
        o << ")";
    }
    o << "  up " << fed::format_bytes(s.bytes_up) << "  down " << fed::format_bytes(s.bytes_down) << std::fixed
      << std::setprecision(4) << "  train loss " << s.train_loss;
    if (!std::isnan(s.test_loss)) o << "  test loss " << s.test_loss;
    if (!std::isnan(s.test_accuracy)) o << std::setprecision(1) << "  test acc " << 100.0 * s.test_accuracy << "%";
    if (!s.applied) o << "  (skipped: fewer than --min-clients reported)";
    return o.str();
}

}  // namespace

int cmd_federated(const Argv& args, std::ostream& out, std::ostream& err) {
    Args a = make_args();
    if (!a.parse(args, out)) return 0;
    const fed::FedConfig cfg = read_config(a);
    const std::string model_kind = a.get_choice("model", {"mlp", "cnn", "lstm", "gru", "transformer"});
    const std::string partition = a.get_choice("partition", {"natural", "iid", "dirichlet", "shards"});
    const int central_epochs = count_at_least(a, "central-epochs", 0);
    const double target = number_in(a, "target-accuracy", 0.0, 1.0);
    const bool quiet = a.get_flag("quiet");

    const fed::FedData data = load_scenario(a);
    const fed::Partition parts = fed::partition_data(data, partition, count_at_least(a, "clients", 1),
                                                     number_in(a, "alpha", 1e-6, 1e6), count_at_least(a, "shards", 1), cfg.seed);
    const auto subsets = fed::make_subsets(*data.train, parts);
    std::vector<const Dataset*> clients;
    for (const auto& s : subsets) clients.push_back(s.get());
    const ModelSpec spec{model_kind, data.window, data.channels, data.classes, cfg.seed};
    auto make = [&spec] { return make_model(spec); };

    out << kCmd << ": " << data.name << ", " << data.train->size() << " training windows on " << clients.size() << " clients ("
        << partition << "), " << data.test->size() << " test windows; " << model_kind << " [" << data.window << " x "
        << data.channels << "] -> " << data.classes << " classes; " << fed::algorithm_name(cfg.algorithm) << ", C = "
        << cfg.client_fraction << ", E = " << cfg.local_epochs << ", B = " << cfg.batch_size << ", aggregator "
        << fed::aggregator_name(cfg.aggregator) << (cfg.secure_aggregation ? ", secure aggregation" : "")
        << (cfg.dp.enabled ? ", DP" : "") << "\n";
    auto global = make();
    const fed::FedResult fr = fed::train_federated(*global, make, clients, cfg, data.test.get(), [&](const fed::RoundStats& s) {
        if (!quiet) out << round_line(s, cfg.rounds) << std::endl;
    });
    std::vector<fed::NamedResult> runs{{fed::algorithm_name(cfg.algorithm), &fr}};
    fed::FedResult cr;
    if (central_epochs > 0) {
        auto central = make();
        cr = fed::train_centralized(*central, clients, cfg, central_epochs, data.test.get(), [&](const fed::RoundStats& s) {
            if (!quiet) out << "centralized " << round_line(s, central_epochs) << std::endl;
        });
        runs.push_back({"centralized", &cr});
    }
    out << "\n";
    fed::write_summary(out, runs, target);
    if (!fr.poisoned_clients.empty()) {
        out << "poisoned clients:";
        for (int k : fr.poisoned_clients) out << " " << k;
        out << "\n";
    }
    if (cfg.dp.enabled)
        out << "DP-FedAvg: clip S = " << cfg.dp.clip_norm << ", noise multiplier z = " << cfg.dp.noise_multiplier
            << ", noise std on the mean update " << (fr.rounds.empty() ? 0.0 : fr.rounds[0].dp_noise_std) << "\n";

    if (a.has("metrics-json")) {
        std::ostringstream js;
        fed::JsonWriter w(js);
        w.begin_object();
        w.key("scenario").value(data.name);
        w.key("partition").value(partition);
        w.key("clients").value(static_cast<int64_t>(clients.size()));
        w.key("model").value(model_kind);
        w.key("algorithm").value(fed::algorithm_name(cfg.algorithm));
        w.key("aggregator").value(fed::aggregator_name(cfg.aggregator));
        w.key("client_fraction").value(cfg.client_fraction);
        w.key("local_epochs").value(cfg.local_epochs);
        w.key("batch_size").value(cfg.batch_size);
        w.key("lr").value(cfg.lr);
        w.key("seed").value(static_cast<int64_t>(cfg.seed));
        w.key("secure_aggregation").value(cfg.secure_aggregation);
        w.key("dp_clip_norm").value(cfg.dp.enabled ? cfg.dp.clip_norm : 0.0);
        w.key("dp_noise_multiplier").value(cfg.dp.enabled ? cfg.dp.noise_multiplier : 0.0);
        w.key("target_accuracy").value(target);
        w.key("rounds_to_target").value(fr.rounds_to_accuracy(target));
        w.key("federated");
        fed::write_json(w, fr);
        if (central_epochs > 0) {
            w.key("centralized");
            fed::write_json(w, cr);
        }
        w.end_object();
        report::write_text_file(a.get("metrics-json"), js.str() + "\n");
        out << "metrics written to " << a.get("metrics-json") << "\n";
    }
    if (a.has("rounds-csv")) {
        std::ostringstream cs;
        fed::write_csv(cs, runs);
        report::write_text_file(a.get("rounds-csv"), cs.str());
        out << "rounds written to " << a.get("rounds-csv") << "\n";
    }
    (void)err;
    return 0;
}

}  // namespace iotgrad::iot::cli
