// run_experiments: the five experiments in order, with the machine's description.
#include <ctime>
#include <fstream>
#include <thread>

#include "iot/experiments/experiments.hpp"
#include "iot/report/table.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad::iot::experiments {
namespace {

std::string cpu_model() {
    std::ifstream f("/proc/cpuinfo");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("model name", 0) == 0) {
            const size_t colon = line.find(':');
            if (colon != std::string::npos) {
                std::string v = line.substr(colon + 1);
                v.erase(0, v.find_first_not_of(" \t"));
                return v;
            }
        }
    return "unknown (no /proc/cpuinfo)";
}

std::string load_average() {
    std::ifstream f("/proc/loadavg");
    std::string a, b, c;
    if (!(f >> a >> b >> c)) return "";
    return a + ", " + b + ", " + c;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
#if defined(_WIN32)
    gmtime_s(&tm, &t);
#else
    gmtime_r(&t, &tm);
#endif
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

void stage(std::ostream& log, int k, const std::string& what) {
    log << "\n[" << k << "/5] " << what << "\n" << std::flush;
}

}  // namespace

RunInfo machine_info(int threads, int service_threads) {
    RunInfo i;
    i.cpu = cpu_model();
    i.cores = static_cast<int>(std::thread::hardware_concurrency());
    i.threads = threads;
    i.service_threads = service_threads;
#if defined(_OPENMP)
    i.openmp = true;
#endif
    i.date_utc = utc_now();
    i.load_average = load_average();
    return i;
}

Context make_context(const ExperimentConfig& cfg, std::ostream& log) {
    Context ctx;
    ctx.cfg = cfg;
    ctx.log = &log;
    ctx.train = training_windows(cfg);
    ctx.test = test_windows(cfg);
    ctx.standardizer = Standardizer::fit(ctx.train.x);
    ctx.standardizer.apply(ctx.train.x);
    ctx.standardizer.apply(ctx.test.x);
    return ctx;
}

Results run_experiments(const ExperimentConfig& config, std::ostream& log) {
    validate(config);
    const ExperimentConfig& cfg = config;
    set_num_threads(cfg.threads);
    const double start = now_seconds();
    Results r;
    r.config = cfg;
    r.info = machine_info(cfg.threads, cfg.service_threads);
    log << "iotgrad experiments (" << cfg.preset << "): seed " << cfg.seed << ", " << cfg.threads
        << " training thread(s), " << cfg.service_threads << " service thread(s) for Fig. 7, CPU: " << r.info.cpu
        << "\n";
    const Context ctx = make_context(cfg, log);
    log << "  wearable simulator: " << ctx.train.size() << " training windows from "
        << cfg.subjects - cfg.test_subjects << " subjects, " << ctx.test.size() << " test windows from "
        << cfg.test_subjects << " held-out subjects\n";

    stage(log, 1, "Model comparison (Fig. 3): train, evaluate on held-out subjects, time inference");
    std::vector<TrainedModel> trained;
    r.models = run_comparison(ctx, trained, r.info.federated_note);
    if (!cfg.federated) r.info.federated_note = "FedAvg was switched off for this run (--no-federated).";
    const bool fed_ok = r.info.federated_note.empty();

    stage(log, 2, "Training time per epoch vs windows, streamed (Fig. 4)");
    r.scaling = run_scaling(ctx, fed_ok);

    stage(log, 3, "Energy per inference from the energy model (Fig. 5)");
    r.energy = energy_rows(r.models);
    for (const EnergyRow& e : r.energy)
        log << "    " << e.model_id << " on " << e.device << ": " << report::fmt_sig(e.total_mj, 3) << " mJ = "
            << report::fmt_sig(e.total_mwh, 3) << " mWh (estimate)\n";

    stage(log, 4, "Accuracy vs latency and the Pareto front (Fig. 6)");
    r.pareto = accuracy_latency_front(r.models);
    for (size_t i : r.pareto) log << "    on the front: " << r.models[i].model.label << "\n";

    stage(log, 5, "Throughput and latency vs number of IoT nodes (Fig. 7)");
    r.nodes = run_nodes(ctx, trained);

    r.info.total_seconds = now_seconds() - start;
    return r;
}

}  // namespace iotgrad::iot::experiments
