/// \file
/// Federated datasets from the IoT simulators and from CSV files: pooled
/// training windows with the device each came from (the natural client), and
/// a held-out test set from devices no client owns.
///
/// | scenario | a client (natural partition) | sample | classes |
/// |----------|------------------------------|--------|---------|
/// | har      | a wearable's subject         | [128, 9] window, 6 activities | 6 |
/// | machines | a machine of the fleet       | [window, settings + sensors] cycles, fails within the horizon? | 2 |
/// | city     | a sensor site of the grid    | [window, 4] readings, any anomaly in it? | 2 |
/// | csv      | a value of the device column | [window, C] rows of one device, last row's class | file's |
///
/// Inputs are normalised per channel with the training set's mean and
/// standard deviation (in a deployment those two sums per channel would be
/// one extra federated round); missing values (NaN) become 0 after that.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "iot/data.hpp"
#include "iot/fed/partition.hpp"
#include "iot/sim_city.hpp"
#include "iot/sim_har.hpp"
#include "iot/sim_machines.hpp"

namespace iotgrad::iot::fed {

struct FedData {
    std::string name;
    int64_t window = 0, channels = 0, classes = 0;
    std::unique_ptr<TensorDataset> train, test;  ///< x [N, window, channels], y [N] class index
    std::vector<int> train_device;                ///< natural client of each training sample
    std::vector<std::string> class_names;
};

/// Subjects 0..train_subjects-1 train (one client each), the next
/// test_subjects are held out; each gives its first windows_per_subject windows.
FedData har_data(const HarConfig& cfg, int train_subjects, int test_subjects, int windows_per_subject);

/// Machines 0..train_machines-1 train, the next test_machines are held out;
/// every machine's whole life is cut into windows of `window` cycles, `stride` apart.
FedData machine_data(const MachineConfig& cfg, int train_machines, int test_machines, int window, int stride);

/// `steps` readings of every site; windows of `window` readings, `window`/2
/// apart; sites are split train/test by id (the last test_sites are held out).
FedData city_data(const CityConfig& cfg, int steps, int window, int test_sites);

/// A CSV file through iot/tasks.hpp (classify): `device` and `target` name
/// the columns, the rest (numbers) are features; test_fraction of the devices
/// are held out (split_by_device with `seed`). Throws CsvError for a bad file.
FedData csv_data(const std::string& path, const std::string& device, const std::string& target, int window,
                 int stride, double test_fraction, uint64_t seed);

/// "natural" (by device), "iid", "dirichlet" (alpha) or "shards"
/// (shards_per_client); `clients` is ignored by "natural". Throws
/// std::invalid_argument naming an unknown kind.
Partition partition_data(const FedData& data, const std::string& kind, int clients, double alpha,
                         int shards_per_client, uint64_t seed);

}  // namespace iotgrad::iot::fed
