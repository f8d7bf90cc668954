/// \file
/// A module's state as named tensors (PyTorch's `state_dict`), loading it back
/// with every name and shape checked first, and safetensors files of it.
///
/// Keys are PyTorch's: a parameter or buffer's registered name, prefixed by
/// the names of the submodules that lead to it ("0.weight" in a Sequential,
/// "weight_ih_l0" in an LSTM, "out_proj.bias" in MultiheadAttention,
/// "running_mean" in BatchNorm1d). Order is PyTorch's too: each module's own
/// parameters, then its own buffers, then each submodule in turn. So a file
/// saved here loads into the equivalent torch.nn model with `load_state_dict`.
#pragma once
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "layers/module.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad::nn {

/// Named tensors, in order.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

/// A state that does not fit the model. The message lists every problem at
/// once, e.g. `load_state_dict: 2 problem(s) loading into Sequential:
/// missing key(s): "1.bias"; size mismatch for "0.weight": [4, 3] in the
/// state, [4, 5] in the model`.
class StateDictError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// What load_state_dict with strict = false skipped (both empty after a strict load).
struct LoadResult {
    std::vector<std::string> missing_keys;     ///< in the model, not in the state: left as they were
    std::vector<std::string> unexpected_keys;  ///< in the state, not in the model: ignored
};

/// Every parameter and buffer of m with its PyTorch key. The tensors share
/// memory with the model (as PyTorch's state_dict does): clone() them to keep
/// a snapshot that later training does not change. Undefined buffers are skipped.
NamedTensors state_dict(const Module& m);

/// The problems that loading `state` into m would have, without changing m:
/// missing and unexpected keys (only when strict), repeated keys, undefined
/// tensors and shape mismatches (always). Empty when the load would succeed.
std::vector<std::string> state_dict_problems(const Module& m, const NamedTensors& state, bool strict = true);

/// Copies `state` into m's parameters and buffers (into their existing memory,
/// so optimizers holding the parameters keep working). Checks every key and
/// shape first and throws StateDictError listing all problems before copying
/// anything, so a failed load leaves the model exactly as it was. With strict
/// = false, missing and unexpected keys are allowed and reported in the
/// result; a shape mismatch still throws (as in PyTorch).
LoadResult load_state_dict(Module& m, const NamedTensors& state, bool strict = true);

/// Writes state_dict(m) as a safetensors file with PyTorch's key names and
/// dtypes: F32, except integer buffers (registered with integer = true, e.g.
/// BatchNorm1d's num_batches_tracked), which are I64 as in PyTorch's
/// state_dict; with metadata `{"format": "pt"}`, which some loaders check for.
void save_safetensors(const Module& m, const std::string& path);
/// Reads a safetensors file and load_state_dict's it into m; tensors of any
/// dtype the reader accepts (F16, BF16, F64, integers...) load as float32.
/// Throws
/// tensor::SafetensorsError for a bad file, StateDictError for one that does
/// not fit m (in both cases m is unchanged).
LoadResult load_safetensors(Module& m, const std::string& path, bool strict = true);

}  // namespace iotgrad::nn
