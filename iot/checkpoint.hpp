/// \file
/// Training checkpoints: a model's parameters and buffers plus its
/// optimizer's state (moments, step counts, learning rate) in one archive
/// file (tensor/archive.hpp), so training stopped at step t continues from
/// step t with exactly the numbers it would have had.
///
/// Keys: `"model.<state_dict key>"` for the model (e.g. `"model.0.weight"`),
/// `"optim.<name>"` for the optimizer's OptimizerState tensors and scalars
/// (e.g. `"optim.exp_avg.0"`, `"optim.step.0"`, `"optim.lr"`), and the string
/// `"optim.kind"` naming the optimizer ("Adam", "SGD", ...).
///
/// The data loader's epoch is not saved: call DataLoader::set_epoch with the
/// epoch you resume at, and the shuffle order is the one it would have been.
#pragma once
#include <string>

#include "layers/module.hpp"
#include "optim/optimizer.hpp"

namespace iotgrad::iot {

/// Saves model (and optimizer, if not null) to `path`, atomically (see
/// tensor::write_archive). Throws tensor::ArchiveError on I/O failure.
void save_checkpoint(const std::string& path, const nn::Module& model, const optim::Optimizer* optimizer = nullptr);

/// Restores a checkpoint into model (and optimizer, if not null).
///
/// Everything is validated before anything changes: the file (magic,
/// version, checksum: tensor::ArchiveError), the model's keys and shapes
/// (nn::StateDictError listing every problem), and the optimizer's state
/// (std::invalid_argument / ShapeError from Optimizer::load_state, which is
/// all-or-nothing). The model's values are copied only after all of these
/// have passed, so a failed load leaves model and optimizer as they were.
/// An optimizer given for a checkpoint saved without one is an error.
void load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer* optimizer = nullptr);

}  // namespace iotgrad::iot
