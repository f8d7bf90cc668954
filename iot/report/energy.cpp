// The energy model of energy.hpp; the derivation of every constant is there.
#include "iot/report/energy.hpp"

#include <stdexcept>

namespace iotgrad::iot::report {
namespace {

// Horowitz, ISSCC 2014, 45 nm (see energy.hpp).
constexpr double kFp32MulPj = 3.7;
constexpr double kFp32AddPj = 0.9;
constexpr double kInstructionOverheadPj = 70.0;
constexpr double kSram32kPjPer64Bit = 20.0;
constexpr double kDramPjPer64BitLow = 1300.0;
constexpr double kPjPerMj = 1e9;
constexpr double kMjPerMwh = 3600.0;

const char* const kHorowitz =
    "M. Horowitz, \"Computing's energy problem (and what we can do about it)\", ISSCC 2014 (45 nm)";

}  // namespace

DeviceEnergyModel cortex_m4_class() {
    DeviceEnergyModel d;
    d.name = "Cortex-M4-class MCU";
    d.pj_per_mac = kInstructionOverheadPj + kFp32MulPj + kFp32AddPj;  // one scalar FPU instruction per MAC
    d.pj_per_byte = kSram32kPjPer64Bit / 8.0;
    d.memory = "on-chip SRAM (32 KB bank)";
    d.source = std::string(kHorowitz) +
               ": fp32 mul 3.7 pJ + add 0.9 pJ + ~70 pJ instruction overhead per scalar MAC; "
               "SRAM 20 pJ per 64-bit read";
    return d;
}

DeviceEnergyModel laptop_cpu_core() {
    DeviceEnergyModel d;
    d.name = "laptop CPU core";
    d.pj_per_mac = kInstructionOverheadPj / 8.0 + kFp32MulPj + kFp32AddPj;  // 8-lane AVX2 FMA
    d.pj_per_byte = kDramPjPer64BitLow / 8.0;
    d.memory = "DRAM (cold cache)";
    d.source = std::string(kHorowitz) +
               ": fp32 mul 3.7 pJ + add 0.9 pJ + 70 pJ instruction overhead shared by 8 AVX2 lanes; "
               "DRAM 1.3 nJ per 64-bit read (low end of 1.3-2.6 nJ)";
    return d;
}

std::vector<DeviceEnergyModel> standard_devices() { return {cortex_m4_class(), laptop_cpu_core()}; }

int64_t bytes_moved_per_inference(int64_t parameters, int64_t input_values, int64_t output_values) {
    if (parameters < 0 || input_values < 0 || output_values < 0)
        throw std::invalid_argument("bytes_moved_per_inference: counts must be >= 0, got parameters=" +
                                    std::to_string(parameters) + ", input_values=" + std::to_string(input_values) +
                                    ", output_values=" + std::to_string(output_values));
    return 4 * (parameters + input_values + output_values);
}

double EnergyEstimate::total_mwh() const { return mj_to_mwh(total_mj()); }

EnergyEstimate estimate_energy(int64_t macs, int64_t bytes, const DeviceEnergyModel& device) {
    if (macs < 0 || bytes < 0)
        throw std::invalid_argument("estimate_energy: macs and bytes must be >= 0, got macs=" + std::to_string(macs) +
                                    ", bytes=" + std::to_string(bytes));
    if (device.pj_per_mac < 0 || device.pj_per_byte < 0)
        throw std::invalid_argument("estimate_energy: device '" + device.name + "' has a negative energy constant");
    EnergyEstimate e;
    e.compute_mj = static_cast<double>(macs) * device.pj_per_mac / kPjPerMj;
    e.memory_mj = static_cast<double>(bytes) * device.pj_per_byte / kPjPerMj;
    return e;
}

double mj_to_mwh(double mj) { return mj / kMjPerMwh; }

}  // namespace iotgrad::iot::report
