/// \file
/// Everything autograd in one include: Variable and the engine, every
/// differentiable op, gradient checking and the DOT graph exporter.
#pragma once
#include "autograd/dot.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "autograd/variable.hpp"
