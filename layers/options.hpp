/// \file
/// Options structs for layers with many arguments, in the style of PyTorch
/// C++'s `torch::nn::LSTMOptions(9, 64).num_layers(2).batch_first(true)`:
/// the required sizes go to the constructor, every optional setting has a
/// chainable setter of the same name and a getter, and a default.
/// \code
/// nn::LSTM lstm(nn::LSTMOptions(9, 64).num_layers(2).batch_first(true), gen);
/// \endcode
#pragma once

/// Declares an option `name` of type `T` inside an options struct: a setter
/// `name(value)` that returns the struct (so calls chain), a getter `name()`,
/// and the member `name_`, whose default follows the macro:
/// `IOTGRAD_OPTION(int64_t, num_layers) = 1;`
#define IOTGRAD_OPTION(T, name)                          \
public:                                                  \
    auto& name(const T& value) {                         \
        name##_ = value;                                 \
        return *this;                                    \
    }                                                    \
    const T& name() const { return name##_; }            \
                                                         \
private:                                                 \
    T name##_
