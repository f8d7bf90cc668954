#include <stdexcept>

#include "catch_compat.hpp"
#include "iot/models.hpp"
#include "iot/report/energy.hpp"

using namespace iotgrad::iot;
using namespace iotgrad::iot::report;

TEST_CASE("energy = MACs x pJ/MAC + bytes x pJ/byte, in mJ and mWh", "[iot][energy]") {
    DeviceEnergyModel d;
    d.name = "toy";
    d.pj_per_mac = 10;
    d.pj_per_byte = 100;
    // 1e6 MACs x 10 pJ = 1e7 pJ = 0.01 mJ; 1000 bytes x 100 pJ = 1e5 pJ = 1e-4 mJ.
    const EnergyEstimate e = estimate_energy(1000000, 1000, d);
    CHECK(e.compute_mj == IOTGRAD_APPROX(0.01));
    CHECK(e.memory_mj == IOTGRAD_APPROX(1e-4));
    CHECK(e.total_mj() == IOTGRAD_APPROX(0.0101));
    CHECK(e.total_mwh() == IOTGRAD_APPROX(0.0101 / 3600.0));
    CHECK(mj_to_mwh(3600.0) == IOTGRAD_APPROX(1.0));  // 1 mWh = 3.6 J
    CHECK(estimate_energy(0, 0, d).total_mj() == 0.0);
}

TEST_CASE("the device constants follow from Horowitz's 45 nm table", "[iot][energy]") {
    const DeviceEnergyModel mcu = cortex_m4_class(), laptop = laptop_cpu_core();
    CHECK(mcu.pj_per_mac == IOTGRAD_APPROX(70 + 3.7 + 0.9));      // one scalar instruction per MAC
    CHECK(mcu.pj_per_byte == IOTGRAD_APPROX(20.0 / 8));           // 32 KB SRAM, 64-bit read
    CHECK(laptop.pj_per_mac == IOTGRAD_APPROX(70.0 / 8 + 4.6));   // 8 AVX2 lanes share an instruction
    CHECK(laptop.pj_per_byte == IOTGRAD_APPROX(1300.0 / 8));      // DRAM, 64-bit read
    CHECK_THAT(mcu.source, IOTGRAD_HAS("Horowitz"));
    CHECK(standard_devices().size() == 2);
    CHECK(standard_devices()[0].name == mcu.name);
}

TEST_CASE("the CNN's energy per window on the MCU, by hand", "[iot][energy]") {
    const ModelSpec spec{"cnn", 128, 9, 6, 0};
    const int64_t macs = macs_per_sample(spec);
    const int64_t params = make_model(spec)->num_parameters();
    REQUIRE(params == 12166);  // models.hpp's table
    const int64_t bytes = bytes_moved_per_inference(params, 128 * 9, 6);
    CHECK(bytes == 4 * (12166 + 1152 + 6));
    const EnergyEstimate e = estimate_energy(macs, bytes, cortex_m4_class());
    CHECK(e.compute_mj == IOTGRAD_APPROX(static_cast<double>(macs) * 74.6e-9));
    CHECK(e.memory_mj == IOTGRAD_APPROX(53296 * 2.5e-9));
    CHECK(e.total_mwh() == IOTGRAD_APPROX((static_cast<double>(macs) * 74.6e-9 + 53296 * 2.5e-9) / 3600));
}

TEST_CASE("energy inputs are checked", "[iot][energy]") {
    CHECK_THROWS_WITH(estimate_energy(-1, 0, cortex_m4_class()), IOTGRAD_HAS("macs=-1"));
    CHECK_THROWS_WITH(bytes_moved_per_inference(10, -2, 1), IOTGRAD_HAS("input_values=-2"));
    DeviceEnergyModel bad = laptop_cpu_core();
    bad.pj_per_byte = -1;
    CHECK_THROWS_WITH(estimate_energy(1, 1, bad), IOTGRAD_HAS("negative"));
}
