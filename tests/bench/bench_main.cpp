// iotgrad_bench: GEMM throughput of iotgrad's fast kernel (and, in a later
// issue, whole models), printed as a table and written as JSON in the schema
// /work/shared/bench/compare.py reads, to set beside the PyTorch reference.
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
    "  --quick          small sizes and short timings (a few seconds; for CI)\n"
    "  --json FILE      also write the results as JSON (schema: bench/compare.py)\n"
    "  --threads LIST   thread counts to run (default 1,2); \"gflops\" in the JSON\n"
    "                   is the largest one\n"
    "  --sizes LIST     square GEMM sizes n (default 64,128,256,512,1024;\n"
    "                   with --quick 64,128,256)\n"
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

Options parse_args(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else if (arg == "--quick") {
            opt.quick = true;
        } else if (arg == "--json" && has_value) {
            opt.json_path = argv[++i];
        } else if (arg == "--threads" && has_value) {
            opt.threads = parse_list<int>(argv[++i], "--threads");
        } else if (arg == "--sizes" && has_value) {
            opt.sizes = parse_list<int64_t>(argv[++i], "--sizes");
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
    std::printf("\nModels: not yet measured (a later issue); the JSON's \"models\" list is empty.\n");
}

std::string json_number(const std::optional<double>& v) { return v ? fmt(*v, "%.6g") : "null"; }

std::string to_json(const Options& opt, const std::vector<GemmResult>& rows) {
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
    j << "\n  ],\n  \"models\": [],\n  \"peak_rss_mb\": " << fmt(peak_rss_mb(), "%.1f") << "\n}\n";
    return j.str();
}

}  // namespace

int main(int argc, char** argv) {
    const Options opt = parse_args(argc, argv);
    std::fprintf(stderr, "iotgrad_bench: threads %d..%d%s\n", opt.threads.front(), opt.threads.back(),
                 opt.quick ? " (quick)" : "");
    const std::vector<GemmResult> rows = run_gemm_bench(opt);
    print_table(opt, rows);
    std::printf("Peak RSS: %.1f MB\n", peak_rss_mb());
    if (!opt.json_path.empty()) {
        std::ofstream out(opt.json_path);
        out << to_json(opt, rows);
        if (!out) {
            std::fprintf(stderr, "iotgrad_bench: could not write %s\n", opt.json_path.c_str());
            return 1;
        }
        std::printf("JSON written to %s\n", opt.json_path.c_str());
    }
    return 0;
}
