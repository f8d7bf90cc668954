// Experiment 5 (the paper's Fig. 7): throughput and per-window latency of an
// inference service as more simulated IoT nodes stream into it.
#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>

#include "autograd/variable.hpp"
#include "iot/experiments/experiments.hpp"
#include "iot/metrics.hpp"
#include "iot/models.hpp"
#include "iot/record.hpp"
#include "iot/report/table.hpp"
#include "layers/state.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad::iot::experiments {
namespace {

// Rows [begin, end) of x classified by one replica; called on its own thread.
void classify_chunk(nn::Module& replica, const Tensor& x, int64_t begin, int64_t end, int64_t* pred) {
    NoGradGuard no_grad;  // thread-local: each worker turns gradients off for itself
    set_num_threads(1);   // the workers are the parallelism: no OpenMP team inside a worker
    const std::vector<int64_t> p = predictions(replica(Variable(x.narrow(0, begin, end - begin))).value());
    std::copy(p.begin(), p.end(), pred + begin);
}

// Classifies a round's batch: `chunks` contiguous slices, one per replica,
// chunk 0 on the calling thread and each other chunk on a worker thread.
// The slices depend only on the batch size and the replica count, so the
// predictions do not depend on scheduling.
//
// Why std::thread rather than an OpenMP region: on the 2-vCPU machine this
// was measured on, libgomp's spin-waiting made every 2-thread parallel
// region cost ~12 ms (median; 0.17 ms with OMP_WAIT_POLICY=passive), which
// would have been reported as service latency. A thread per chunk costs ~0.1 ms.
std::vector<int64_t> serve(std::vector<std::unique_ptr<nn::Module>>& replicas, const Tensor& x) {
    const int64_t n = x.size(0), chunks = std::min<int64_t>(static_cast<int64_t>(replicas.size()), n);
    std::vector<int64_t> pred(static_cast<size_t>(n));
    std::vector<std::exception_ptr> errors(static_cast<size_t>(chunks));
    auto run = [&](int64_t k) {
        try {
            classify_chunk(*replicas[static_cast<size_t>(k)], x, n * k / chunks, n * (k + 1) / chunks, pred.data());
        } catch (...) {
            errors[static_cast<size_t>(k)] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    for (int64_t k = 1; k < chunks; ++k) workers.emplace_back(run, k);
    run(0);
    for (std::thread& w : workers) w.join();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
    return pred;
}

std::vector<std::unique_ptr<nn::Module>> make_replicas(const ExperimentConfig& c, const TrainedModel& t) {
    std::vector<std::unique_ptr<nn::Module>> r;
    const nn::NamedTensors state = nn::state_dict(*t.model);
    for (int i = 0; i < c.service_threads; ++i) {
        r.push_back(make_model({t.entry.kind, 128, kHarChannels, kHarClasses, c.seed}));
        nn::load_state_dict(*r.back(), state);
        r.back()->eval();
    }
    return r;
}

NodePoint measure(const Context& ctx, std::vector<std::unique_ptr<nn::Module>>& replicas, const std::string& id,
                  int nodes) {
    const ExperimentConfig& c = ctx.cfg;
    HarConfig hc = har_config(c);
    hc.subjects = nodes;
    hc.seed = stream_seed(c.seed, 0x7E57, static_cast<uint64_t>(nodes));  // a fresh population per node count
    const HarSimulator sim(hc);
    std::vector<HarSubjectStream> streams;
    for (int s = 0; s < nodes; ++s) streams.push_back(sim.subject(s));

    std::vector<double> latency_ms;
    int64_t served = 0, agree = 0, scored = 0;
    double busy = 0;
    for (int round = 0; round < 100000; ++round) {
        if (round >= c.node_min_rounds && busy >= c.node_min_seconds) break;
        std::vector<Window> w;
        for (HarSubjectStream& s : streams) w.push_back(s.next_window());  // the nodes' side, not timed
        WindowSet batch = stack_windows(w);
        if (round == 0) {  // warm-up, not timed: the first pass at a new batch size allocates
            WindowSet copy = batch;
            copy.x = batch.x.clone();
            ctx.standardizer.apply(copy.x);
            serve(replicas, copy.x);
        }
        const double arrived = now_seconds();
        ctx.standardizer.apply(batch.x);
        const std::vector<int64_t> pred = serve(replicas, batch.x);
        const double done = now_seconds();
        busy += done - arrived;
        served += nodes;
        latency_ms.insert(latency_ms.end(), static_cast<size_t>(nodes), (done - arrived) * 1e3);
        if (round < c.node_min_rounds)  // a fixed number of rounds, so the agreement is deterministic
            for (int i = 0; i < nodes; ++i, ++scored) agree += pred[static_cast<size_t>(i)] == w[static_cast<size_t>(i)].label;
    }
    NodePoint p;
    p.model_id = id;
    p.nodes = nodes;
    p.windows = served;
    p.windows_per_s = static_cast<double>(served) / busy;
    p.latency_median_ms = percentile(latency_ms, 50);
    p.latency_p99_ms = percentile(latency_ms, 99);
    p.agreement = static_cast<double>(agree) / static_cast<double>(scored);
    return p;
}

}  // namespace

std::vector<NodePoint> run_nodes(const Context& ctx, const std::vector<TrainedModel>& trained) {
    std::vector<NodePoint> out;
    for (const TrainedModel& t : trained) {
        if (t.entry.federated) continue;  // the same CNN architecture as "cnn": same speed
        auto replicas = make_replicas(ctx.cfg, t);
        for (int n : ctx.cfg.node_counts) {
            const NodePoint p = measure(ctx, replicas, t.entry.id, n);
            *ctx.log << "    " << t.entry.label << ", " << n << " node(s): " << report::fmt(p.windows_per_s, 0)
                     << " windows/s, latency median " << report::fmt(p.latency_median_ms, 2) << " ms\n"
                     << std::flush;
            out.push_back(p);
        }
    }
    return out;
}

}  // namespace iotgrad::iot::experiments
