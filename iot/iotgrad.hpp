/// \file
/// Everything in one include: the tensor, autograd, layers, optimizers and
/// the IoT part (data, simulators, models, training, metrics, federated
/// learning). For a program that uses iotgrad as a library:
/// \code
/// #include "iot/iotgrad.hpp"
/// using namespace iotgrad;
/// \endcode
/// The same line works in this source tree and against the installed package
/// (`find_package(iotgrad)` or `pkg-config --cflags iotgrad` put the headers'
/// folder on the include path). Library code includes only what it uses; this
/// header is for programs, tutorials and quick experiments.
#pragma once

// tensor/: the float32 n-d array
#include "tensor/elementwise.hpp"
#include "tensor/matmul.hpp"
#include "tensor/random.hpp"
#include "tensor/reduce.hpp"
#include "tensor/safetensors.hpp"
#include "tensor/tensor.hpp"

// autograd/: Variable, the ops with their gradients, gradient checks
#include "autograd/autograd.hpp"

// layers/ and optim/: modules, losses, state dicts, optimizers
#include "layers/layers.hpp"
#include "layers/state.hpp"
#include "optim/optim.hpp"

// iot/: sensor data, simulators, models, training, metrics, federated learning
#include "iot/baseline.hpp"
#include "iot/bundle.hpp"
#include "iot/checkpoint.hpp"
#include "iot/csv.hpp"
#include "iot/data.hpp"
#include "iot/fit.hpp"
#include "iot/metrics.hpp"
#include "iot/missing.hpp"
#include "iot/models.hpp"
#include "iot/progress.hpp"
#include "iot/record.hpp"
#include "iot/resample.hpp"
#include "iot/sim_city.hpp"
#include "iot/sim_har.hpp"
#include "iot/sim_machines.hpp"
#include "iot/split.hpp"
#include "iot/task_report.hpp"
#include "iot/tasks.hpp"
#include "iot/train_guard.hpp"
#include "iot/uci_har.hpp"
#include "iot/window.hpp"
#include "iot/fed/aggregate.hpp"
#include "iot/fed/central.hpp"
#include "iot/fed/fedavg.hpp"
#include "iot/fed/local.hpp"
#include "iot/fed/params.hpp"
#include "iot/fed/partition.hpp"
#include "iot/fed/report.hpp"
#include "iot/fed/scenario.hpp"
#include "iot/fed/secure_agg.hpp"
#include "iot/report/energy.hpp"
#include "iot/report/svg_plot.hpp"
#include "iot/report/table.hpp"
