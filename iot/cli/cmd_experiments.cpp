// `iotgrad experiments`: the paper's five experiments on the simulated
// wearable, written as report.md, SVG figures, CSV and JSON (what `make demo` runs).
#include <algorithm>
#include <exception>
#include <string>
#include <thread>

#include "iot/cli/args.hpp"
#include "iot/cli/commands.hpp"
#include "iot/experiments/experiments.hpp"
#include "iot/experiments/report.hpp"
#include "iot/report/table.hpp"

namespace iotgrad::iot::cli {
namespace {

const std::string kCmd = "iotgrad experiments";

Args make_args() {
    Args a(kCmd,
           "Reproduces the paper's five experiments (Section IV, Figs. 3-7) with measured numbers on the\n"
           "simulated wearable: model comparison (CNN, LSTM, Transformer, FedAvg-trained CNN), training time\n"
           "vs dataset size, energy per inference (an estimate from a documented model), accuracy vs latency\n"
           "with its Pareto front, and throughput/latency vs number of IoT nodes. Writes report.md, one SVG\n"
           "per figure, CSV and JSON into --out. The default run takes under a minute on a 2-core laptop;\n"
           "--quick is for CI; --full uses the paper's 10k/100k/1M training sizes (about 35 minutes on 2 cores).");
    a.option("out", "DIR", "output folder", "results")
        .option("seed", "S", "seeds the simulator, the weights and the batch order", "42")
        .option("threads", "N", "OpenMP threads for training and per-model timing", "1")
        .option("service-threads", "N", "worker threads of the inference service in Fig. 7 (default: one per core)")
        .flag("quick", "tiny sizes, every experiment and file (under 20 s; for CI)")
        .flag("full", "the paper's sizes for Fig. 4 (10,000 / 100,000 / 1,000,000 windows): ~35 min")
        .option("sizes", "N,N,...", "training-set sizes of Fig. 4 in windows (default: the preset's)")
        .flag("no-federated", "leave FedAvg out");
    return a;
}

int thread_count(const Args& a, const std::string& name, int fallback) {
    const int64_t n = a.has(name) ? a.get_int(name) : fallback;
    if (n < 1 || n > 1024) throw UsageError(kCmd + ": --" + name + " must be in 1..1024, got " + std::to_string(n));
    return static_cast<int>(n);
}

std::string joined(const Argv& args) {
    std::string s = kCmd;
    for (const std::string& a : args) s += " " + a;
    return s;
}

}  // namespace

int cmd_experiments(const Argv& args, std::ostream& out, std::ostream& err) {
    Args a = make_args();
    if (!a.parse(args, out)) return 0;
    if (a.get_flag("quick") && a.get_flag("full")) throw UsageError(kCmd + ": --quick and --full exclude each other");
    experiments::ExperimentConfig cfg =
        experiments::preset(a.get_flag("quick") ? "quick" : a.get_flag("full") ? "full" : "default");
    cfg.out_dir = a.get("out");
    if (cfg.out_dir.empty()) throw UsageError(kCmd + ": --out must not be empty");
    const int64_t seed = a.get_int("seed");
    if (seed < 0) throw UsageError(kCmd + ": --seed must be >= 0, got " + std::to_string(seed));
    cfg.seed = static_cast<uint64_t>(seed);
    cfg.threads = thread_count(a, "threads", 1);
    cfg.service_threads = thread_count(a, "service-threads", static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    cfg.federated = !a.get_flag("no-federated");
    if (a.has("sizes")) {
        cfg.scaling_sizes.clear();
        for (const std::string& s : a.get_list("sizes")) {
            size_t used = 0;
            long long n = 0;
            try {
                n = std::stoll(s, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != s.size() || n < cfg.batch_size)
                throw UsageError(kCmd + ": --sizes takes whole numbers >= " + std::to_string(cfg.batch_size) +
                                 ", got '" + s + "'");
            cfg.scaling_sizes.push_back(n);
        }
    }

    experiments::Results r = experiments::run_experiments(cfg, out);
    r.info.command = joined(args);
    experiments::write_report(r, cfg.out_dir);

    out << "\nSummary (measured on this machine; the (paper) columns are the paper's reported values):\n\n"
        << experiments::summary_table(r).markdown() << "\n";
    if (!r.info.federated_note.empty()) out << "Note: " << r.info.federated_note << "\n";
    out << "Energy is an estimate from the model in iot/report/energy.hpp, not a measurement.\n"
        << "Wrote " << experiments::expected_files().size() << " files to " << cfg.out_dir << "/ (open "
        << cfg.out_dir << "/report.md) in " << report::fmt(r.info.total_seconds, 1) << " s.\n";
    (void)err;
    return 0;
}

}  // namespace iotgrad::iot::cli
