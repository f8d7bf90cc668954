// The raw numbers of the experiments as CSV tables and one JSON document.
#include "iot/experiments/report.hpp"

#include <algorithm>
#include <cstdlib>

namespace iotgrad::iot::experiments {
namespace {

using report::fmt_sig;
using report::Json;

std::string g(double v) { return fmt_sig(v, 8); }
std::string i64(int64_t v) { return std::to_string(v); }

bool on_front(const Results& r, size_t i) { return std::find(r.pareto.begin(), r.pareto.end(), i) != r.pareto.end(); }

// A table as a JSON array of objects, numbers kept as numbers.
Json table_json(const report::Table& t) {
    Json rows = Json::array();
    for (const auto& row : t.rows()) {
        Json o = Json::object();
        for (size_t c = 0; c < row.size(); ++c) {
            const std::string& cell = row[c];
            char* end = nullptr;
            const double v = std::strtod(cell.c_str(), &end);
            const bool numeric = !cell.empty() && end && *end == '\0';
            if (cell == "n/a") o.set(t.columns()[c], Json());
            else if (cell == "true" || cell == "false") o.set(t.columns()[c], Json(cell == "true"));
            else if (numeric) o.set(t.columns()[c], Json(v));
            else o.set(t.columns()[c], Json(cell));
        }
        rows.push(std::move(o));
    }
    return rows;
}

}  // namespace

report::Table models_csv(const Results& r) {
    report::Table t({"model", "label", "federated", "accuracy", "precision_macro", "recall_macro", "f1_macro",
                     "test_windows", "train_seconds", "train_windows", "epochs_or_rounds", "final_loss",
                     "latency_median_ms", "latency_p99_ms", "throughput_windows_per_s", "parameters", "size_bytes",
                     "macs_per_window", "on_pareto_front"});
    for (size_t i = 0; i < r.models.size(); ++i) {
        const ModelResult& m = r.models[i];
        t.add_row({m.model.id, m.model.label, m.model.federated ? "true" : "false", g(m.accuracy), g(m.precision),
                   g(m.recall), g(m.f1), i64(m.test_windows), g(m.train_seconds), i64(m.train_windows),
                   i64(m.epochs), g(m.final_loss), g(m.latency_median_ms), g(m.latency_p99_ms), g(m.throughput_wps),
                   i64(m.parameters), i64(m.size_bytes), i64(m.macs), on_front(r, i) ? "true" : "false"});
    }
    return t;
}

report::Table scaling_csv(const Results& r) {
    report::Table t({"model", "windows", "epoch_seconds", "generate_seconds", "peak_rss_mb"});
    for (const ScalingPoint& p : r.scaling)
        t.add_row({p.model_id, i64(p.windows), g(p.epoch_seconds), g(p.generate_seconds), g(p.peak_rss_mb)});
    return t;
}

report::Table energy_csv(const Results& r) {
    report::Table t({"model", "device", "macs", "bytes_moved", "compute_mj", "memory_mj", "total_mj", "total_mwh"});
    for (const EnergyRow& e : r.energy)
        t.add_row({e.model_id, e.device, i64(e.macs), i64(e.bytes), g(e.compute_mj), g(e.memory_mj), g(e.total_mj),
                   g(e.total_mwh)});
    return t;
}

report::Table nodes_csv(const Results& r) {
    report::Table t({"model", "nodes", "threads", "windows_served", "windows_per_s", "latency_median_ms",
                     "latency_p99_ms", "agreement_with_labels"});
    for (const NodePoint& p : r.nodes)
        t.add_row({p.model_id, std::to_string(p.nodes), std::to_string(r.info.service_threads), i64(p.windows),
                   g(p.windows_per_s), g(p.latency_median_ms), g(p.latency_p99_ms), g(p.agreement)});
    return t;
}

Json results_json(const Results& r) {
    const ExperimentConfig& c = r.config;
    Json cfg = Json::object();
    cfg.set("preset", c.preset).set("seed", static_cast<int64_t>(c.seed)).set("threads", c.threads);
    cfg.set("service_threads", c.service_threads);
    cfg.set("subjects", c.subjects).set("test_subjects", c.test_subjects);
    cfg.set("train_windows", c.train_windows).set("test_windows_per_subject", c.test_windows_per_subject);
    cfg.set("epochs", c.epochs).set("batch_size", c.batch_size).set("lr", c.lr);
    cfg.set("fed_rounds", c.fed_rounds).set("fed_client_fraction", c.fed_client_fraction);
    cfg.set("fed_local_epochs", c.fed_local_epochs).set("fed_batch_size", c.fed_batch_size).set("fed_lr", c.fed_lr);
    Json sizes = Json::array();
    for (int64_t n : c.scaling_sizes) sizes.push(Json(n));
    cfg.set("scaling_sizes", sizes);
    Json nodes = Json::array();
    for (int n : c.node_counts) nodes.push(Json(n));
    cfg.set("node_counts", nodes);

    Json info = Json::object();
    info.set("cpu", r.info.cpu).set("cores", r.info.cores).set("threads", r.info.threads);
    info.set("service_threads", r.info.service_threads);
    info.set("openmp", r.info.openmp).set("date_utc", r.info.date_utc).set("load_average", r.info.load_average).set("command", r.info.command);
    info.set("total_seconds", r.info.total_seconds).set("federated_note", r.info.federated_note);

    Json root = Json::object();
    root.set("note", "Times are wall-clock on the machine above; energy is an estimate from a model (see report.md).");
    root.set("config", cfg).set("machine", info);
    root.set("models", table_json(models_csv(r)));
    root.set("training_time_vs_windows", table_json(scaling_csv(r)));
    root.set("energy_per_inference", table_json(energy_csv(r)));
    root.set("nodes", table_json(nodes_csv(r)));
    return root;
}

}  // namespace iotgrad::iot::experiments
