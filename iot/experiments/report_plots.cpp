// The SVG figures of the report, one per paper figure (Fig. 7: throughput and latency).
#include <map>

#include "iot/experiments/report.hpp"
#include "iot/report/energy.hpp"
#include "iot/report/svg_plot.hpp"
#include "iot/report/table.hpp"

namespace iotgrad::iot::experiments {
namespace {

using report::BarChart;
using report::LinePlot;
using report::Scale;
using report::Series;

std::string label_of(const Results& r, const std::string& id) {
    for (const ModelResult& m : r.models)
        if (m.model.id == id) return m.model.label;
    for (const ModelEntry& e : model_entries(true))
        if (e.id == id) return e.label;
    return id;
}

std::string fig3(const Results& r) {
    BarChart b("Fig. 3: model comparison on held-out subjects (measured)", "percent");
    std::vector<std::string> names;
    std::vector<double> acc, prec, rec, f1;
    for (const ModelResult& m : r.models) {
        names.push_back(m.model.label);
        acc.push_back(100 * m.accuracy);
        prec.push_back(100 * m.precision);
        rec.push_back(100 * m.recall);
        f1.push_back(100 * m.f1);
    }
    b.categories(names).subtitle("simulated wearable, " + std::to_string(r.models.empty() ? 0 : r.models[0].test_windows) +
                                 " test windows; precision/recall/F1 macro-averaged");
    b.add("accuracy", acc).add("precision", prec).add("recall", rec).add("F1", f1).y_max(100);
    return b.svg();
}

std::string fig4(const Results& r) {
    LinePlot p("Fig. 4: training time per epoch vs training windows (measured)", "windows per epoch (streamed)",
               "seconds per epoch");
    p.x_scale(Scale::Log).y_scale(Scale::Log);
    p.subtitle(std::to_string(r.info.threads) + " thread(s); windows generated as a stream, simulation time excluded");
    std::map<std::string, Series> by_model;
    std::vector<std::string> order;
    for (const ScalingPoint& s : r.scaling) {
        if (!by_model.count(s.model_id)) {
            order.push_back(s.model_id);
            by_model[s.model_id].name = label_of(r, s.model_id);
        }
        by_model[s.model_id].x.push_back(static_cast<double>(s.windows));
        by_model[s.model_id].y.push_back(s.epoch_seconds);
    }
    std::vector<double> ticks;
    for (int64_t n : r.config.scaling_sizes) ticks.push_back(static_cast<double>(n));
    p.x_ticks(ticks);
    for (const std::string& id : order) p.add(by_model[id]);
    return p.svg();
}

std::string fig5(const Results& r) {
    BarChart b("Fig. 5: energy per inference (ESTIMATE from an energy model)", "microjoules per window");
    std::vector<std::string> names;
    for (const ModelResult& m : r.models) names.push_back(m.model.label);
    b.categories(names).subtitle("E = MACs x pJ/MAC + bytes x pJ/byte, 45 nm constants (Horowitz, ISSCC 2014); not a meter reading");
    for (const report::DeviceEnergyModel& d : report::standard_devices()) {
        std::vector<double> uj;
        for (const ModelResult& m : r.models)
            for (const EnergyRow& e : r.energy)
                if (e.model_id == m.model.id && e.device == d.name) uj.push_back(e.total_mj * 1e3);
        b.add(d.name, uj);
    }
    return b.svg();
}

std::string fig6(const Results& r) {
    LinePlot p("Fig. 6: accuracy vs latency (measured)", "batch-1 latency, median (ms)", "accuracy (%)");
    p.subtitle("held-out subjects; dashed: the Pareto front (no model both faster and more accurate)");
    for (size_t i = 0; i < r.models.size(); ++i) {
        const ModelResult& m = r.models[i];
        Series s{m.model.label, {m.latency_median_ms}, {100 * m.accuracy}, false, true, false, {m.model.label}};
        p.add(s);
    }
    Series front{"Pareto front", {}, {}, true, false, true, {}};
    for (size_t i : r.pareto) {
        front.x.push_back(r.models[i].latency_median_ms);
        front.y.push_back(100 * r.models[i].accuracy);
    }
    if (!front.x.empty()) p.add(front);
    return p.svg();
}

std::string fig7(const Results& r, bool latency) {
    LinePlot p(latency ? "Fig. 7b: per-window latency vs IoT nodes (measured)"
                       : "Fig. 7: inference throughput vs IoT nodes (measured)",
               "simulated nodes streaming into the service",
               latency ? "latency per window, median (ms)" : "windows per second");
    p.x_scale(Scale::Log).y_scale(Scale::Log);
    p.subtitle("one window per node per round, batched; " + std::to_string(r.info.service_threads) +
               " worker thread(s), one model replica each");
    std::vector<double> ticks;
    for (int n : r.config.node_counts) ticks.push_back(n);
    p.x_ticks(ticks);
    std::map<std::string, Series> by_model;
    std::vector<std::string> order;
    for (const NodePoint& n : r.nodes) {
        if (!by_model.count(n.model_id)) {
            order.push_back(n.model_id);
            by_model[n.model_id].name = label_of(r, n.model_id);
        }
        by_model[n.model_id].x.push_back(n.nodes);
        by_model[n.model_id].y.push_back(latency ? n.latency_median_ms : n.windows_per_s);
    }
    for (const std::string& id : order) p.add(by_model[id]);
    return p.svg();
}

}  // namespace

void write_figures(const Results& r, const std::string& dir) {
    report::write_text_file(dir + "/fig3_model_comparison.svg", fig3(r));
    report::write_text_file(dir + "/fig4_training_time.svg", fig4(r));
    report::write_text_file(dir + "/fig5_energy.svg", fig5(r));
    report::write_text_file(dir + "/fig6_accuracy_latency.svg", fig6(r));
    report::write_text_file(dir + "/fig7_nodes_throughput.svg", fig7(r, false));
    report::write_text_file(dir + "/fig7_nodes_latency.svg", fig7(r, true));
}

}  // namespace iotgrad::iot::experiments
