// The test runner's main(). Catch2 v2 needs it defined in one file; v3 would
// link Catch2WithMain, but one main() that works for both keeps the build simple.
#if defined(IOTGRAD_CATCH2_V2)
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#else
#include <catch2/catch_session.hpp>
#endif

int main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
