// `iotgrad simulate`: a simulator's stream written as a CSV that `iotgrad train` reads.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "iot/cli/args.hpp"
#include "iot/cli/commands.hpp"
#include "iot/csv.hpp"
#include "iot/sim_city.hpp"
#include "iot/sim_har.hpp"
#include "iot/sim_machines.hpp"
#include "tensor/random.hpp"

namespace iotgrad::iot::cli {
namespace {

/// The streams start at 2024-03-01T00:00:00Z (an arbitrary, documented epoch).
const double kEpoch = static_cast<double>(days_from_civil(2024, 3, 1)) * 86400.0;

void put_number(std::string& line, float v) {
    line += ',';
    if (std::isnan(v)) return;  // missing: empty cell
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(v));
    line += buf;
}

/// Appends time, device, lat, lon and the values of a record.
void put_record(std::string& out, const Record& r) {
    out += format_iso8601(kEpoch + r.timestamp_s);
    out += ',' + std::to_string(r.device);
    put_number(out, r.lat);
    put_number(out, r.lon);
    for (float v : r.values) put_number(out, v);
}

int64_t positive(const Args& a, const std::string& name) {
    const int64_t v = a.get_int(name);
    if (v < 1) throw UsageError("iotgrad simulate: --" + name + " must be >= 1, got " + std::to_string(v));
    return v;
}

const char* kCityTypes[] = {"normal", "spike", "level_shift", "drift", "stuck"};

/// What the options ask for, shared by the three scenarios.
struct SimOptions {
    uint64_t seed = 0;
    float noise = 1.0f;
    bool has_rate = false;
    double rate = 0.0;
};

/// Records per device: --records, else --duration / seconds per record, else the default.
int64_t records_per_device(const Args& a, double seconds_per_record, int64_t fallback) {
    if (a.has("records")) return positive(a, "records");
    if (!a.has("duration")) return fallback;
    const double d = a.get_double("duration");
    if (!(d > 0)) throw UsageError("iotgrad simulate: --duration must be > 0 seconds");
    return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(d / seconds_per_record)));
}

int64_t write_wearable(const Args& a, const SimOptions& o, std::string& text) {
    HarConfig cfg;
    cfg.seed = o.seed;
    cfg.noise = o.noise;
    cfg.subjects = a.has("devices") ? static_cast<int>(positive(a, "devices")) : 20;
    const int64_t per = records_per_device(a, 1.0 / cfg.sample_hz, 3200);
    text = "time,device,lat,lon,body_acc_x,body_acc_y,body_acc_z,body_gyro_x,body_gyro_y,body_gyro_z,"
           "total_acc_x,total_acc_y,total_acc_z,activity\n";
    HarSimulator sim(cfg);
    Generator loss(stream_seed(o.seed, 7777));  // lost readings: independent per value
    int64_t rows = 0;
    for (int s = 0; s < cfg.subjects; ++s) {
        HarSubjectStream st = sim.subject(s);
        for (int64_t i = 0; i < per; ++i, ++rows) {
            Record r = st.next_record();
            if (o.rate > 0)
                for (float& v : r.values)
                    if (loss.uniform() < o.rate) v = std::nanf("");
            put_record(text, r);
            text += ',' + har_activity_name(r.label) + '\n';
        }
    }
    return rows;
}

int64_t write_machines(const Args& a, const SimOptions& o, std::string& text) {
    MachineConfig cfg;
    cfg.seed = o.seed;
    cfg.noise = o.noise;
    cfg.machines = a.has("devices") ? static_cast<int>(positive(a, "devices")) : 20;
    cfg.missing_rate = static_cast<float>(o.rate);
    const int64_t per = records_per_device(a, cfg.cycle_s, -1);  // -1: each machine's whole life
    text = "time,device,lat,lon,setting1,setting2,setting3";
    for (int j = 1; j <= cfg.sensors; ++j) text += ",s" + std::to_string(j);
    text += ",rul,failure\n";
    MachineSimulator sim(cfg);
    int64_t rows = 0;
    for (int m = 0; m < cfg.machines; ++m) {
        MachineStream st = sim.machine(m);
        for (int64_t i = 0; !st.done() && (per < 0 || i < per); ++i, ++rows) {
            const Record r = st.next();
            put_record(text, r);
            put_number(text, r.target);
            text += ',' + std::to_string(r.label) + '\n';
        }
    }
    return rows;
}

int64_t write_city(const Args& a, const SimOptions& o, std::string& text) {
    CityConfig cfg;
    cfg.seed = o.seed;
    cfg.noise = o.noise;
    const int64_t devices = a.has("devices") ? positive(a, "devices") : 9;
    cfg.grid_w = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(devices))));
    cfg.grid_h = static_cast<int>((devices + cfg.grid_w - 1) / cfg.grid_w);
    if (o.has_rate) cfg.missing_rate = static_cast<float>(o.rate);
    const int64_t per = records_per_device(a, cfg.interval_s, 2000);
    text = "time,device,lat,lon,temperature,humidity,pm25,traffic,anomaly,anomaly_type\n";
    CitySimulator sim(cfg);
    int64_t rows = 0;
    for (int64_t step = 0; step < per; ++step)
        for (int s = 0; s < sim.sites(); ++s) {
            const Record r = sim.next();
            if (r.device >= devices) continue;  // the grid is rounded up; keep the first N sites
            put_record(text, r);
            text += std::string(",") + (r.label != kNormal ? "1," : "0,") + kCityTypes[r.label] + '\n';
            ++rows;
        }
    return rows;
}

}  // namespace

int cmd_simulate(const Argv& args, std::ostream& out, std::ostream&) {
    Args a("iotgrad simulate",
           "Writes a simulated IoT data set as CSV (time, device, lat, lon, channels, labels).\n"
           "  wearable: 9-channel 50 Hz accelerometer/gyroscope of subjects doing 6 activities (label 'activity');\n"
           "  machines: run-to-failure sensor cycles (targets 'rul', capped at 125, and 'failure' = fails within 30 cycles);\n"
           "  city:     temperature, humidity, pm25, traffic of a sensor grid every 5 min ('anomaly' 0/1, 'anomaly_type').\n"
           "Times are ISO 8601 UTC from 2024-03-01T00:00:00Z; lost readings are empty cells.");
    a.required("scenario", "NAME", "wearable (alias har), machines or city")
        .required("out", "FILE.csv", "where to write the CSV")
        .option("devices", "N", "subjects / machines / sites (default 20 / 20 / 9)")
        .option("records", "N", "records per device (default 3200 / whole life / 2000)")
        .option("duration", "SECONDS", "instead of --records: simulated seconds per device")
        .option("seed", "S", "random seed (same seed, same file)", "0")
        .option("noise", "X", "scales the sensor noise", "1")
        .option("missing-rate", "R", "fraction of lost readings, written as empty cells (default 0 / 0 / 0.05)");
    if (!a.parse(args, out)) return 0;
    std::string scenario = a.get_choice("scenario", {"wearable", "har", "machines", "city"});
    if (scenario == "har") scenario = "wearable";
    SimOptions o;
    o.seed = static_cast<uint64_t>(a.get_int("seed"));
    o.noise = static_cast<float>(a.get_double("noise"));
    if (!(o.noise >= 0)) throw UsageError("iotgrad simulate: --noise must be >= 0");
    o.has_rate = a.has("missing-rate");
    o.rate = o.has_rate ? a.get_double("missing-rate") : 0.0;
    if (!(o.rate >= 0 && o.rate < 1)) throw UsageError("iotgrad simulate: --missing-rate must be in [0, 1)");
    if (a.has("records") && a.has("duration"))
        throw UsageError("iotgrad simulate: give --records or --duration, not both");

    std::string text, hint;
    int64_t rows = 0;
    if (scenario == "wearable") {
        rows = write_wearable(a, o, text);
        hint = "--target activity --task classify --window 128 --stride 64 --model cnn";
    } else if (scenario == "machines") {
        rows = write_machines(a, o, text);
        hint = "--target rul --task regress --ignore failure --window 30 --model cnn";
    } else {
        rows = write_city(a, o, text);
        hint = "--target temperature --task forecast --ignore anomaly --window 24 --horizon 1\n"
               "   (or: --target anomaly --task anomaly --window 24)";
    }
    std::ofstream f(a.get("out"), std::ios::binary);
    if (!f) throw std::runtime_error("cannot write " + a.get("out"));
    f << text;
    f.close();
    if (!f) throw std::runtime_error("error writing " + a.get("out"));
    out << "wrote " << a.get("out") << ": " << rows << " records (" << scenario << ", seed " << o.seed << ")\n"
        << "train on it with: iotgrad train --csv " << a.get("out") << " " << hint << "\n";
    return 0;
}

}  // namespace iotgrad::iot::cli
