// iotgrad_bench: GEMM throughput of iotgrad's fast kernel and training /
// inference speed of the five reference models, printed as a table and written
// as JSON in the schema /work/shared/bench/compare.py reads, to set beside the
// PyTorch reference (/work/shared/bench/torch_reference.py).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "bench.hpp"
#include "tensor/parallel.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#endif

namespace {

using namespace iotgrad::bench;

const char* kUsage =
    "usage: iotgrad_bench [--quick] [--json FILE] [--threads 1,2] [--sizes 64,128]\n"
    "                     [--sections gemm,models] [--models MLP,LSTM] | --load\n"
    "  --quick          small sizes and short timings (a few seconds; for CI)\n"
    "  --json FILE      also write the results as JSON (schema: bench/compare.py)\n"
    "  --threads LIST   thread counts to run (default 1,2); \"gflops\" in the JSON\n"
    "                   is the largest one\n"
    "  --sizes LIST     square GEMM sizes n (default 64,128,256,512,1024;\n"
    "                   with --quick 64,128,256)\n"
    "  --sections LIST  gemm, models or both (default both)\n"
    "  --models LIST    models to run (default MLP,CNN1d,LSTM,Transformer,Autoencoder)\n"
    "  --load           only the load test (make bench-load): the default thread count\n"
    "                   against 1 thread, idle and with a busy child process on one\n"
    "                   core, for tutorial 06's CNN, the LSTM and GEMM n = 256\n"
    "Timing: warm-up calls, then the median over repetitions of the time per call,\n"
    "each repetition lasting a minimum time (std::chrono::steady_clock).\n";

template <class T>
std::vector<T> parse_list(const std::string& s, const char* what) {
    std::vector<T> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) {
        char* end = nullptr;
        const long long v = std::strtoll(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || v <= 0) {
            std::fprintf(stderr, "iotgrad_bench: %s expects positive integers separated by commas, got \"%s\"\n", what,
                         s.c_str());
            std::exit(2);
        }
        out.push_back(static_cast<T>(v));
    }
    return out;
}

[[noreturn]] void usage_error(const std::string& msg) {
    std::fprintf(stderr, "iotgrad_bench: %s\n%s", msg.c_str(), kUsage);
    std::exit(2);
}

std::vector<std::string> split_names(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

Options parse_args(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else if (arg == "--load") {
            opt.load = true;
        } else if (arg == "--quick") {
            opt.quick = true;
        } else if (arg == "--json" && has_value) {
            opt.json_path = argv[++i];
        } else if (arg == "--threads" && has_value) {
            opt.threads = parse_list<int>(argv[++i], "--threads");
        } else if (arg == "--sizes" && has_value) {
            opt.sizes = parse_list<int64_t>(argv[++i], "--sizes");
        } else if (arg == "--sections" && has_value) {
            const std::vector<std::string> sec = split_names(argv[++i]);
            opt.run_gemm = std::find(sec.begin(), sec.end(), "gemm") != sec.end();
            opt.run_models = std::find(sec.begin(), sec.end(), "models") != sec.end();
            for (const std::string& n : sec)
                if (n != "gemm" && n != "models") usage_error("--sections expects gemm and/or models, got \"" + n + "\"");
        } else if (arg == "--models" && has_value) {
            opt.models = split_names(argv[++i]);
            for (const std::string& n : opt.models) {
                bool known = false;
                for (const ModelCase& c : model_cases()) known = known || c.name == n;
                if (!known)
                    usage_error("--models: unknown model \"" + n +
                                "\" (known: MLP, CNN1d, LSTM, Transformer, Autoencoder)");
            }
        } else {
            std::fprintf(stderr, "iotgrad_bench: unknown or incomplete argument \"%s\"\n%s", arg.c_str(), kUsage);
            std::exit(2);
        }
    }
    std::sort(opt.threads.begin(), opt.threads.end());
    opt.threads.erase(std::unique(opt.threads.begin(), opt.threads.end()), opt.threads.end());
#if !defined(_OPENMP)
    if (opt.threads != std::vector<int>{1})
        std::fprintf(stderr, "iotgrad_bench: built without OpenMP, so only 1 thread is measured\n");
    opt.threads = {1};
#endif
    return opt;
}

double peak_rss_mb() {
#if defined(__unix__) || defined(__APPLE__)
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
#if defined(__APPLE__)
    return static_cast<double>(u.ru_maxrss) / (1024.0 * 1024.0);  // bytes
#else
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // KiB
#endif
#else
    return 0.0;
#endif
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

/// CPU model from /proc/cpuinfo (Linux), for the record; "unknown" elsewhere.
std::string cpu_model() {
    std::ifstream f("/proc/cpuinfo");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
            std::string name;
            for (char ch : line.substr(line.find(':') + 1))
                if (ch != '"' && ch != '\\') name += ch;  // keep the JSON string valid
            return name.substr(name.find_first_not_of(' ') == std::string::npos ? 0 : name.find_first_not_of(' '));
        }
    return "unknown";
}

std::string fmt(double v, const char* spec = "%.2f") {
    char buf[64];
    std::snprintf(buf, sizeof buf, spec, v);
    return buf;
}

void print_table(const Options& opt, const std::vector<GemmResult>& rows) {
    std::printf("\nGEMM, float32, C = A B with square n x n matrices; GFLOP/s = 2 n^3 / median time per call\n");
    std::printf("%6s", "n");
    for (int t : opt.threads) std::printf(" | %11s", ("iotgrad " + std::to_string(t) + "T").c_str());
    std::printf(" | %13s | %11s\n", "reference 1T", "max rel err");
    for (const GemmResult& r : rows) {
        std::printf("%6lld", static_cast<long long>(r.n));
        for (const auto& tg : r.gflops_by_threads) std::printf(" | %11.2f", tg.second);
        std::printf(" | %13s | %11s\n", r.reference_gflops ? fmt(*r.reference_gflops).c_str() : "skipped",
                    r.max_rel_err ? fmt(*r.max_rel_err, "%.1e").c_str() : "-");
    }
}

void print_models(const Options& opt, const std::vector<ModelResult>& rows) {
    std::printf("\nModels (torch_reference.py's definitions): training samples/s at batch 64 with Adam;\n"
                "batch-1 latency (median ms) and batch-256 samples/s at %d thread(s), eval, no gradients\n",
                opt.threads.back());
    std::printf("%-12s | %8s", "model", "params");
    for (int t : opt.threads) std::printf(" | %10s", ("train " + std::to_string(t) + "T").c_str());
    std::printf(" | %10s | %11s\n", "lat b1 ms", "infer b256");
    for (const ModelResult& r : rows) {
        std::printf("%-12s | %8lld", r.name.c_str(), static_cast<long long>(r.params));
        for (const auto& t : r.train_by_threads) std::printf(" | %10.0f", t.second);
        std::printf(" | %10.3f | %11.0f\n", r.latency_b1_ms, r.infer_b256_samples_per_s);
    }
}

std::string json_number(const std::optional<double>& v) { return v ? fmt(*v, "%.6g") : "null"; }

std::string to_json(const Options& opt, const std::vector<GemmResult>& rows, const std::vector<ModelResult>& models) {
    std::ostringstream j;
    j << "{\n  \"framework\": \"iotgrad\",\n  \"threads\": " << opt.threads.back() << ",\n";
    j << "  \"date\": \"" << utc_now() << "\",\n  \"cpu_model\": \"" << cpu_model() << "\",\n";
    j << "  \"quick\": " << (opt.quick ? "true" : "false") << ",\n  \"gemm\": [";
    for (size_t i = 0; i < rows.size(); ++i) {
        const GemmResult& r = rows[i];
        j << (i ? "," : "") << "\n    {\"n\": " << r.n
          << ", \"gflops\": " << fmt(r.gflops_by_threads.back().second, "%.6g") << ", \"gflops_by_threads\": {";
        for (size_t t = 0; t < r.gflops_by_threads.size(); ++t)
            j << (t ? ", " : "") << "\"" << r.gflops_by_threads[t].first
              << "\": " << fmt(r.gflops_by_threads[t].second, "%.6g");
        j << "}, \"reference_gflops\": " << json_number(r.reference_gflops)
          << ", \"max_rel_err\": " << json_number(r.max_rel_err) << "}";
    }
    j << "\n  ],\n  \"models\": [";
    for (size_t i = 0; i < models.size(); ++i) {
        const ModelResult& m = models[i];
        j << (i ? "," : "") << "\n    {\"model\": \"" << m.name << "\", \"params\": " << m.params
          << ", \"train_samples_per_s\": {";
        for (size_t t = 0; t < m.train_by_threads.size(); ++t)
            j << (t ? ", " : "") << "\"" << m.train_by_threads[t].first
              << "\": " << fmt(m.train_by_threads[t].second, "%.6g");
        j << "}, \"latency_b1_ms_median\": " << fmt(m.latency_b1_ms, "%.6g")
          << ", \"infer_b256_samples_per_s\": " << fmt(m.infer_b256_samples_per_s, "%.6g") << "}";
    }
    j << (models.empty() ? "" : "\n  ") << "],\n  \"peak_rss_mb\": " << fmt(peak_rss_mb(), "%.1f") << "\n}\n";
    return j.str();
}

}  // namespace

int main(int argc, char** argv) {
    const Options opt = parse_args(argc, argv);
    if (opt.load) {
        try {
            return run_load_bench();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "iotgrad_bench --load: %s\n", e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "iotgrad_bench: threads %d..%d%s\n", opt.threads.front(), opt.threads.back(),
                 opt.quick ? " (quick)" : "");
    const std::vector<GemmResult> rows = opt.run_gemm ? run_gemm_bench(opt) : std::vector<GemmResult>{};
    if (opt.run_gemm) print_table(opt, rows);
    std::vector<ModelResult> models;
    try {
        if (opt.run_models) models = run_model_bench(opt);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iotgrad_bench: models: %s\n", e.what());
        return 1;
    }
    if (opt.run_models) print_models(opt, models);
    std::printf("Peak RSS: %.1f MB\n", peak_rss_mb());
    if (!opt.json_path.empty()) {
        std::ofstream out(opt.json_path);
        out << to_json(opt, rows, models);
        if (!out) {
            std::fprintf(stderr, "iotgrad_bench: could not write %s\n", opt.json_path.c_str());
            return 1;
        }
        std::printf("JSON written to %s\n", opt.json_path.c_str());
    }
    return 0;
}
