// One include for both Catch2 generations: v2 (Debian 12: catch2/catch.hpp)
// and v3 (Ubuntu 24.04, Homebrew: catch2/catch_all.hpp).
#pragma once
#if defined(IOTGRAD_CATCH2_V2)
#include <catch2/catch.hpp>
using Catch::Matchers::Contains;
#define IOTGRAD_APPROX(x) Approx(x)
#else
#include <catch2/catch_all.hpp>
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;
#define IOTGRAD_APPROX(x) Approx(x)
#endif

// Message matcher that reads the same in both versions.
#if defined(IOTGRAD_CATCH2_V2)
#define IOTGRAD_HAS(s) Catch::Matchers::Contains(s)
#else
#define IOTGRAD_HAS(s) Catch::Matchers::ContainsSubstring(s)
#endif
