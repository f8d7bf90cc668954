// report.md: the measured tables, the paper's reported values beside them
// (labelled as the paper's), the method, and links to the figures.
#include <algorithm>
#include <filesystem>
#include <sstream>

#include "iot/experiments/paper.hpp"
#include "iot/experiments/report.hpp"
#include "iot/report/energy.hpp"

namespace iotgrad::iot::experiments {
namespace {

using report::fmt;
using report::fmt_sig;
using report::Table;

std::string pct(double v) { return fmt(100 * v, 1); }
std::string count(int64_t v) {  // 12166 -> "12,166"
    std::string s = std::to_string(v), out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i && (s.size() - i) % 3 == 0 && s[i - 1] != '-') out += ',';
        out += s[i];
    }
    return out;
}
bool on_front(const Results& r, size_t i) { return std::find(r.pareto.begin(), r.pareto.end(), i) != r.pareto.end(); }

void section_run(std::ostringstream& os, const Results& r) {
    const ExperimentConfig& c = r.config;
    os << "# iotgrad experiments: the paper's Section IV, measured\n\n"
       << "| | |\n| :--- | :--- |\n"
       << "| date | " << r.info.date_utc << " |\n"
       << "| machine | " << r.info.cpu << ", " << r.info.cores << " logical cores |\n"
       << "| load average at start (1, 5, 15 min) | " << (r.info.load_average.empty() ? "unknown" : r.info.load_average)
       << " |\n"
       << "| threads | " << r.info.threads << " for training and per-model timing, " << r.info.service_threads
       << " worker thread(s) for the inference service of Fig. 7 (OpenMP " << (r.info.openmp ? "on" : "off")
       << ") |\n"
       << "| seed | " << c.seed << " |\n"
       << "| preset | " << c.preset << " |\n"
       << "| command | `" << r.info.command << "` |\n"
       << "| total run time | " << fmt(r.info.total_seconds, 1) << " s |\n\n"
       << "Data: the simulated wearable (`iot/sim_har.hpp`, UCI-HAR-like: 9 channels, 128-sample windows, 6 "
          "activities). Training: "
       << count(c.train_windows) << " windows round-robin over subjects 0-" << c.subjects - c.test_subjects - 1
       << "; evaluation: " << count(c.test_windows_per_subject * c.test_subjects) << " windows of the "
       << c.test_subjects << " held-out subjects " << c.subjects - c.test_subjects << "-" << c.subjects - 1
       << ", so every accuracy is on people the model never saw. Inputs are standardised per channel with "
          "training-set statistics.\n\n"
       << "**Columns marked \"(paper)\" are the values the paper reports**, copied for comparison; the paper gives "
          "no method for them. Every other number was measured by this run (energy: estimated from the model of "
          "section 3). Times depend on the machine and its load; all other numbers are deterministic for a seed "
          "and thread count.\n\n";
    if (!r.info.federated_note.empty()) os << "> **Federated learning:** " << r.info.federated_note << "\n\n";
}

void section_models(std::ostringstream& os, const Results& r) {
    const ExperimentConfig& c = r.config;
    os << "## 1. Model comparison (the paper's Fig. 3)\n\n";
    Table t({"model", "accuracy %", "precision %", "recall %", "F1 %", "training s", "latency median ms",
             "latency p99 ms", "windows/s (batch " + std::to_string(c.throughput_batch) + ")", "parameters",
             "size (bytes)", "MACs/window", "accuracy % (paper)", "latency ms (paper)"});
    for (const ModelResult& m : r.models) {
        const PaperFigures p = paper_figures(m.model.id);
        t.add_row({m.model.label, pct(m.accuracy), pct(m.precision), pct(m.recall), pct(m.f1), fmt(m.train_seconds, 1),
                   fmt(m.latency_median_ms, 3), fmt(m.latency_p99_ms, 3), fmt(m.throughput_wps, 0),
                   count(m.parameters), count(m.size_bytes), count(m.macs), fmt(p.accuracy_pct, 1),
                   fmt(p.latency_ms, 1)});
    }
    os << t.markdown() << "\n![Fig. 3](fig3_model_comparison.svg)\n\n"
       << "Training: Adam (lr " << c.lr << "), batch " << c.batch_size << ", " << c.epochs << " epoch(s) over "
       << count(c.train_windows) << " windows. FL: FedAvg (McMahan et al. 2017) training the same CNN with one "
          "client per training subject, "
       << c.fed_rounds << " rounds, " << fmt(100 * c.fed_client_fraction, 0) << "% of clients per round, "
       << c.fed_local_epochs << " local epoch(s) of Adam (lr " << c.fed_lr << ", batch " << c.fed_batch_size
       << "), all clients simulated in this process (its training time "
          "is this machine's wall clock, not a network's). Latency: "
       << c.latency_repeats << " forward passes of one window, no gradients. Size: float32 weights. MACs: counted "
          "from the layer shapes (`iot::macs_per_sample`).\n\n";
}

void section_scaling(std::ostringstream& os, const Results& r) {
    const ExperimentConfig& c = r.config;
    os << "## 2. Training time vs dataset size (the paper's Fig. 4)\n\n"
       << "One epoch of training on N windows generated as a stream, one batch at a time (FL: rounds in which every "
          "client trains on its next chunk), so memory does not grow with N; the peak resident memory of the whole "
          "process (getrusage) is shown after each point. Sizes in this run:";
    for (int64_t n : c.scaling_sizes) os << " " << count(n);
    os << (c.preset == "full" ? " (the paper's sizes)." : " (what fits this preset's time budget; `--full` runs the "
                                                          "paper's 10,000, 100,000 and 1,000,000).")
       << "\n\n";
    Table t({"model", "windows", "s per epoch", "min per epoch", "simulating s", "peak memory MB"});
    for (const ScalingPoint& p : r.scaling) {
        std::string label = p.model_id;
        for (const ModelResult& m : r.models)
            if (m.model.id == p.model_id) label = m.model.label;
        t.add_row({label, count(p.windows), fmt(p.epoch_seconds, 2), fmt(p.epoch_seconds / 60, 3),
                   fmt(p.generate_seconds, 2), fmt(p.peak_rss_mb, 0)});
    }
    os << t.markdown() << "\n![Fig. 4](fig4_training_time.svg)\n\n"
       << "The paper's reported training times (**paper**, minutes, unknown hardware and epochs):\n\n";
    Table p({"model", "10,000 samples (paper)", "1,000,000 samples (paper)"});
    for (const ModelEntry& e : model_entries(true)) {
        const PaperFigures f = paper_figures(e.id);
        p.add_row({e.label, fmt(f.train_min_10k, 1), fmt(f.train_min_1m, 1)});
    }
    os << p.markdown() << "\n";
}

void section_energy(std::ostringstream& os, const Results& r) {
    os << "## 3. Energy per inference (the paper's Fig. 5)\n\n"
       << "**These are estimates from an energy model, not meter readings.** The paper gives no method for its "
          "numbers; ours is `iot/report/energy.hpp`:\n\n"
       << "energy = MACs x energy per MAC + bytes moved x energy per byte, where bytes moved = 4 x (parameters + "
          "input values + outputs) (float32 weights, window and scores each crossing the memory interface once).\n\n";
    Table d({"device class", "pJ per MAC", "pJ per byte", "memory", "derivation"});
    for (const report::DeviceEnergyModel& m : report::standard_devices())
        d.add_row({m.name, fmt(m.pj_per_mac, 2), fmt(m.pj_per_byte, 2), m.memory, m.source});
    os << d.markdown() << "\n";
    std::vector<std::string> cols = {"model", "MACs", "bytes moved"};
    const auto devices = report::standard_devices();
    for (const auto& m : devices) {
        cols.push_back(m.name + " mJ");
        cols.push_back(m.name + " mWh");
    }
    cols.push_back("mWh (paper)");
    Table t(cols);
    for (const ModelResult& m : r.models) {
        std::vector<std::string> row = {m.model.label, count(m.macs), ""};
        for (const auto& dev : devices)
            for (const EnergyRow& e : r.energy)
                if (e.model_id == m.model.id && e.device == dev.name) {
                    row[2] = count(e.bytes);
                    row.push_back(fmt_sig(e.total_mj, 3));
                    row.push_back(fmt_sig(e.total_mwh, 3));
                }
        row.push_back(fmt(paper_figures(m.model.id).energy_mwh, 1));
        t.add_row(row);
    }
    os << t.markdown() << "\n![Fig. 5](fig5_energy.svg)\n\n"
       << "For scale: the paper's 15.5 mWh per inference is 55.8 J, about what a laptop draws in several seconds at "
          "full load, for one classification of a 128-sample window. The model above puts one inference of these "
          "networks in the microjoule range on either device class; it leaves out instruction and loop overheads "
          "beyond one instruction per MAC, caches and idle power, so real figures will be higher, but not by six "
          "orders of magnitude.\n\n";
}

void section_pareto(std::ostringstream& os, const Results& r) {
    os << "## 4. Accuracy vs latency (the paper's Fig. 6)\n\n"
       << "A model is on the Pareto front when no other model is both at least as fast (median batch-1 latency) and "
          "at least as accurate, and strictly better in one.\n\n";
    Table t({"model", "latency median ms", "accuracy %", "on the Pareto front", "latency ms (paper)",
             "accuracy % (paper)"});
    for (size_t i = 0; i < r.models.size(); ++i) {
        const ModelResult& m = r.models[i];
        const PaperFigures p = paper_figures(m.model.id);
        t.add_row({m.model.label, fmt(m.latency_median_ms, 3), pct(m.accuracy), on_front(r, i) ? "yes" : "no",
                   fmt(p.latency_ms, 1), fmt(p.accuracy_pct, 1)});
    }
    os << t.markdown() << "\n![Fig. 6](fig6_accuracy_latency.svg)\n\n";
}

void section_nodes(std::ostringstream& os, const Results& r) {
    const ExperimentConfig& c = r.config;
    os << "## 5. Processing speed vs number of IoT nodes (the paper's Fig. 7)\n\n"
       << "n simulated wearables stream into one inference service. Each round every node delivers one window; the "
          "service standardises the round's windows, splits them into "
       << r.info.service_threads << " chunk(s) and classifies them in parallel on " << r.info.service_threads
       << " worker thread(s) (one per core; one model replica per thread; std::thread, because "
          "libgomp's spin-waiting cost ~12 ms per parallel region on the 2-vCPU machine this was written on). A window's latency runs from its arrival (the round's "
          "start) to its prediction; throughput is windows served per second of service time (a window holds 128 sensor records, 64 of them "
          "new at 50% overlap, so a node's records/s is 64 x its windows/s). Each point runs at least "
       << c.node_min_rounds << " rounds and " << c.node_min_seconds
       << " s. On a machine busy with other work (see the load average above) a second thread often waits for a "
          "time slice, which shows up here as latency. \"agreement\" is the fraction of the first rounds' predictions equal to the node's true activity "
          "(unseen subjects). The FL model is the same CNN architecture as \"CNN\", so it is not repeated.\n\n";
    Table t({"model", "nodes", "windows/s", "latency median ms", "latency p99 ms", "agreement %"});
    for (const NodePoint& p : r.nodes) {
        std::string label = p.model_id;
        for (const ModelResult& m : r.models)
            if (m.model.id == p.model_id) label = m.model.label;
        t.add_row({label, std::to_string(p.nodes), fmt(p.windows_per_s, 0), fmt(p.latency_median_ms, 3),
                   fmt(p.latency_p99_ms, 3), pct(p.agreement)});
    }
    os << t.markdown() << "\n![Fig. 7](fig7_nodes_throughput.svg)\n\n![Fig. 7b](fig7_nodes_latency.svg)\n\n";
}

void section_files(std::ostringstream& os) {
    os << "## Files\n\n";
    for (const std::string& f : expected_files()) os << "- [" << f << "](" << f << ")\n";
    os << "\nCSV and JSON hold the same numbers at full precision.\n";
}

}  // namespace

std::vector<std::string> expected_files() {
    return {"report.md",           "results.json",          "models.csv",          "scaling.csv",
            "energy.csv",          "nodes.csv",             "fig3_model_comparison.svg", "fig4_training_time.svg",
            "fig5_energy.svg",     "fig6_accuracy_latency.svg", "fig7_nodes_throughput.svg", "fig7_nodes_latency.svg"};
}

std::string report_markdown(const Results& r) {
    std::ostringstream os;
    section_run(os, r);
    section_models(os, r);
    section_scaling(os, r);
    section_energy(os, r);
    section_pareto(os, r);
    section_nodes(os, r);
    section_files(os);
    return os.str();
}

report::Table summary_table(const Results& r) {
    Table t({"model", "accuracy %", "macro F1 %", "training s", "latency ms (median)", "windows/s", "parameters",
             "MACs/window", "energy mJ (MCU, est.)", "accuracy % (paper)", "latency ms (paper)"});
    for (const ModelResult& m : r.models) {
        std::string mj = "n/a";
        for (const EnergyRow& e : r.energy)
            if (e.model_id == m.model.id && e.device == report::cortex_m4_class().name) mj = fmt_sig(e.total_mj, 3);
        const PaperFigures p = paper_figures(m.model.id);
        t.add_row({m.model.label, pct(m.accuracy), pct(m.f1), fmt(m.train_seconds, 1), fmt(m.latency_median_ms, 3),
                   fmt(m.throughput_wps, 0), count(m.parameters), count(m.macs), mj, fmt(p.accuracy_pct, 1),
                   fmt(p.latency_ms, 1)});
    }
    return t;
}

void write_report(const Results& r, const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create output folder '" + dir + "': " + ec.message());
    report::write_text_file(dir + "/report.md", report_markdown(r));
    report::write_text_file(dir + "/results.json", results_json(r).dump());
    report::write_text_file(dir + "/models.csv", models_csv(r).csv());
    report::write_text_file(dir + "/scaling.csv", scaling_csv(r).csv());
    report::write_text_file(dir + "/energy.csv", energy_csv(r).csv());
    report::write_text_file(dir + "/nodes.csv", nodes_csv(r).csv());
    write_figures(r, dir);
}

}  // namespace iotgrad::iot::experiments
