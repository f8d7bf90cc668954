/// \file
/// Every layer in one include: `#include "layers/layers.hpp"` gives the whole
/// of iotgrad::nn (Module and Sequential, the layers, initialization, losses).
#pragma once

#include "layers/module.hpp"

#include "layers/activation.hpp"
#include "layers/attention.hpp"
#include "layers/autoencoder.hpp"
#include "layers/conv.hpp"
#include "layers/dropout.hpp"
#include "layers/embedding.hpp"
#include "layers/init.hpp"
#include "layers/linear.hpp"
#include "layers/loss.hpp"
#include "layers/norm.hpp"
#include "layers/pool.hpp"
#include "layers/positional.hpp"
#include "layers/recurrent.hpp"
#include "layers/transformer.hpp"
