// operator<< in PyTorch's style: values in one common format, aligned, long
// tensors elided with "...", then the shape.
#include <cmath>
#include <sstream>
#include <string>

#include "catch_compat.hpp"

#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {
std::string str(const Tensor& t) {
    std::ostringstream os;
    os << t;
    return os.str();
}
}  // namespace

TEST_CASE("rank-0 and 1-d and 2-d tensors print like PyTorch and then their shape", "[tensor][print]") {
    CHECK(str(Tensor::scalar(3.5f)) == "tensor(3.5000, shape=[])");
    CHECK(str(Tensor::scalar(-2.0f)) == "tensor(-2., shape=[])");
    CHECK(str(Tensor::from({3}, {1, 2, 3})) == "tensor([1., 2., 3.], shape=[3])");
    CHECK(str(Tensor::from({2, 2}, {0.5f, -1.25f, 2.0f, 3.0f})) ==
          "tensor([[ 0.5000, -1.2500],\n"
          "        [ 2.0000,  3.0000]], shape=[2, 2])");
    CHECK(str(Tensor::arange(12).reshape({3, 4})) ==
          "tensor([[ 0.,  1.,  2.,  3.],\n"
          "        [ 4.,  5.,  6.,  7.],\n"
          "        [ 8.,  9., 10., 11.]], shape=[3, 4])");
}

TEST_CASE("3-d tensors separate their matrices with a blank line", "[tensor][print]") {
    CHECK(str(Tensor::arange(8).reshape({2, 2, 2})) ==
          "tensor([[[0., 1.],\n"
          "         [2., 3.]],\n"
          "\n"
          "        [[4., 5.],\n"
          "         [6., 7.]]], shape=[2, 2, 2])");
}

TEST_CASE("views print their logical elements and not their storage order", "[tensor][print]") {
    const Tensor a = Tensor::arange(6).reshape({2, 3});
    CHECK(str(a.t()) ==
          "tensor([[0., 3.],\n"
          "        [1., 4.],\n"
          "        [2., 5.]], shape=[3, 2])");
    CHECK(str(a.select(1, 2)) == "tensor([2., 5.], shape=[2])");
    CHECK(str(Tensor::scalar(7.0f).expand({3})) == "tensor([7., 7., 7.], shape=[3])");
}

TEST_CASE("the number format follows the magnitudes shown", "[tensor][print]") {
    CHECK(str(Tensor::from({3}, {1e-5f, 1.0f, 100.0f})) == "tensor([1.0000e-05, 1.0000e+00, 1.0000e+02], shape=[3])");
    CHECK(str(Tensor::from({2}, {0.25f, -10.0f})) == "tensor([  0.2500, -10.0000], shape=[2])");
    CHECK(str(Tensor::from({4}, {NAN, INFINITY, -INFINITY, 1.5f})) ==
          "tensor([   nan,    inf,   -inf, 1.5000], shape=[4])");
    CHECK(str(Tensor::from({2}, {0.0f, 0.0f})) == "tensor([0., 0.], shape=[2])");
    CHECK(str(Tensor::scalar(1e9f)) == "tensor(1.0000e+09, shape=[])");
}

TEST_CASE("long rows wrap at 80 columns", "[tensor][print]") {
    CHECK(str(Tensor::arange(30)) ==
          "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
          "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
          "        28., 29.], shape=[30])");
}

TEST_CASE("tensors over 1000 elements are elided with ...", "[tensor][print]") {
    const std::string s = str(Tensor::arange(2000));
    CHECK(s == "tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=[2000])");
    CHECK(str(Tensor::arange(2000).reshape({100, 20})) ==
          "tensor([[   0.,    1.,    2., ...,   17.,   18.,   19.],\n"
          "        [  20.,   21.,   22., ...,   37.,   38.,   39.],\n"
          "        [  40.,   41.,   42., ...,   57.,   58.,   59.],\n"
          "        ...,\n"
          "        [1940., 1941., 1942., ..., 1957., 1958., 1959.],\n"
          "        [1960., 1961., 1962., ..., 1977., 1978., 1979.],\n"
          "        [1980., 1981., 1982., ..., 1997., 1998., 1999.]], shape=[100, 20])");
    // 1000 elements or fewer print in full.
    const std::string full = str(Tensor::arange(1000));
    CHECK(full.find("...") == std::string::npos);
    CHECK(full.find(" 500.,") != std::string::npos);
    // A big 3-d tensor stays short.
    const std::string big = str(Tensor::zeros({50, 50, 50}));
    CHECK(big.size() < 2000);  // 6 matrices of 7 rows, against ~500 kB in full
    CHECK(big.find("shape=[50, 50, 50])") != std::string::npos);
}

TEST_CASE("undefined and empty tensors print without failing", "[tensor][print]") {
    CHECK(str(Tensor()) == "tensor(undefined)");
    CHECK(str(Tensor::zeros({0})) == "tensor([], shape=[0])");
    CHECK(str(Tensor::zeros({2, 0})) ==
          "tensor([[],\n"
          "        []], shape=[2, 0])");
    CHECK(str(Tensor::zeros({0, 3})) == "tensor([], shape=[0, 3])");
}

TEST_CASE("printing leaves the stream's formatting alone", "[tensor][print]") {
    std::ostringstream os;
    os.precision(2);
    os << Tensor::from({2}, {1.23456f, 2.0f}) << ' ' << 3.14159;
    CHECK(os.str() == "tensor([1.2346, 2.0000], shape=[2]) 3.1");
}
