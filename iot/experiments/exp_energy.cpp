// Experiments 3 and 4 (the paper's Figs. 5 and 6): energy per inference from
// the energy model, and the accuracy/latency Pareto front. Both are computed
// from experiment 1's measurements; nothing is run here.
#include "iot/experiments/experiments.hpp"
#include "iot/report/energy.hpp"
#include "iot/sim_har.hpp"

namespace iotgrad::iot::experiments {

std::vector<EnergyRow> energy_rows(const std::vector<ModelResult>& models) {
    std::vector<EnergyRow> out;
    for (const report::DeviceEnergyModel& d : report::standard_devices())
        for (const ModelResult& m : models) {
            EnergyRow r;
            r.model_id = m.model.id;
            r.device = d.name;
            r.macs = m.macs;
            r.bytes = report::bytes_moved_per_inference(m.parameters, 128 * kHarChannels, kHarClasses);
            const report::EnergyEstimate e = report::estimate_energy(r.macs, r.bytes, d);
            r.compute_mj = e.compute_mj;
            r.memory_mj = e.memory_mj;
            r.total_mj = e.total_mj();
            r.total_mwh = e.total_mwh();
            out.push_back(r);
        }
    return out;
}

std::vector<size_t> accuracy_latency_front(const std::vector<ModelResult>& models) {
    std::vector<double> x, y;
    for (const ModelResult& m : models) {
        x.push_back(m.latency_median_ms);
        y.push_back(m.accuracy);
    }
    return pareto_front(x, y);
}

}  // namespace iotgrad::iot::experiments
