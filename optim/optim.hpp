/// \file
/// Everything in iotgrad::optim: optimizers (SGD, Adam, AdamW, RMSprop),
/// learning-rate schedules and gradient clipping.
#pragma once
#include "optim/adam.hpp"
#include "optim/clip.hpp"
#include "optim/optimizer.hpp"
#include "optim/rmsprop.hpp"
#include "optim/schedule.hpp"
#include "optim/sgd.hpp"
