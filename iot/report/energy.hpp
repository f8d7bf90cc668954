/// \file
/// Energy per inference, ESTIMATED FROM A MODEL, not read from a meter:
/// \f[ E = \mathrm{MACs} \times e_\mathrm{MAC} + \mathrm{bytes} \times e_\mathrm{byte} \f]
/// with constants for a named class of device. The paper this project
/// reproduces gives energy figures without a method; this file is the method,
/// written down so anyone can check it and change the constants.
///
/// Sources. All per-operation energies are from M. Horowitz, "Computing's
/// energy problem (and what we can do about it)", ISSCC 2014, pp. 10-14
/// (45 nm, 0.9 V): 32-bit float multiply 3.7 pJ, 32-bit float add 0.9 pJ
/// (so a float32 multiply-accumulate is 4.6 pJ of arithmetic); a 64-bit read
/// from a 32 KB SRAM 20 pJ, from a 1 MB SRAM 100 pJ, from DRAM 1.3-2.6 nJ; and
/// about 70 pJ of overhead per instruction on a simple core (instruction fetch,
/// decode, register file, control), which dwarfs the arithmetic itself. The
/// same table is reproduced in V. Sze et al., "Efficient Processing of Deep
/// Neural Networks: A Tutorial and Survey", Proc. IEEE 105(12), 2017.
///
/// Device classes:
/// - **Cortex-M4-class MCU**: one scalar FPU instruction per MAC, so
///   \f$ e_\mathrm{MAC} = 70 + 3.7 + 0.9 = 74.6 \f$ pJ; weights and input in
///   on-chip SRAM (32 KB-class bank): \f$ e_\mathrm{byte} = 20/8 = 2.5 \f$ pJ.
/// - **Laptop CPU core**: 8-lane AVX2 FMA, so the instruction overhead is
///   shared by 8 MACs: \f$ e_\mathrm{MAC} = 70/8 + 4.6 = 13.35 \f$ pJ; weights
///   and input read from DRAM (cold cache, the low end of the range):
///   \f$ e_\mathrm{byte} = 1300/8 = 162.5 \f$ pJ.
///
/// Bytes moved per inference (bytes_moved_per_inference): every float32
/// weight, input value and output value crosses the memory interface once;
/// intermediate activations are assumed to stay in registers / L1 and are
/// covered by \f$ e_\mathrm{MAC} \f$. Both simplifications make the estimate
/// low rather than high: a real MCU also spends instructions on loads, address
/// arithmetic and loop control, and 45 nm is older than a laptop's process
/// (which lowers its energies). Treat the numbers as orders of magnitude.
///
/// Units: 1 mWh = 3.6 J = 3600 mJ.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace iotgrad::iot::report {

/// The two constants of the model for one class of device, and where they come from.
struct DeviceEnergyModel {
    std::string name;         ///< e.g. "Cortex-M4-class MCU"
    double pj_per_mac = 0;    ///< \f$ e_\mathrm{MAC} \f$, picojoules per multiply-accumulate
    double pj_per_byte = 0;   ///< \f$ e_\mathrm{byte} \f$, picojoules per byte moved
    std::string memory;       ///< where the bytes come from ("on-chip SRAM", "DRAM")
    std::string source;       ///< how the constants were derived, with the citation
};

/// The Cortex-M4-class microcontroller of the file comment (74.6 pJ/MAC, 2.5 pJ/byte).
DeviceEnergyModel cortex_m4_class();
/// The laptop CPU core of the file comment (13.35 pJ/MAC, 162.5 pJ/byte).
DeviceEnergyModel laptop_cpu_core();
/// Both, MCU first.
std::vector<DeviceEnergyModel> standard_devices();

/// 4 bytes x (parameters + input values + output values): float32 weights,
/// window and scores each moved once. Throws std::invalid_argument for a negative count.
int64_t bytes_moved_per_inference(int64_t parameters, int64_t input_values, int64_t output_values);

/// One inference's energy, split into its two terms.
struct EnergyEstimate {
    double compute_mj = 0;   ///< MACs x e_MAC, millijoules
    double memory_mj = 0;    ///< bytes x e_byte, millijoules
    double total_mj() const { return compute_mj + memory_mj; }
    /// The total in milliwatt-hours (mJ / 3600).
    double total_mwh() const;
};

/// \f$ E = \mathrm{MACs}\,e_\mathrm{MAC} + \mathrm{bytes}\,e_\mathrm{byte} \f$ (1 pJ = 1e-9 mJ).
/// Throws std::invalid_argument for negative counts or constants.
EnergyEstimate estimate_energy(int64_t macs, int64_t bytes, const DeviceEnergyModel& device);

/// Millijoules to milliwatt-hours: \f$ 1\,\mathrm{mWh} = 3600\,\mathrm{mJ} \f$.
double mj_to_mwh(double mj);

}  // namespace iotgrad::iot::report
