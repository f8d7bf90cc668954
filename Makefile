# Thin front door over CMake. Every target configures the build it needs.
#   make            build the library, tests, tutorials and benchmark
#   make test       configure, build and run every test through ctest
#   make demo       the main job: the paper's five experiments into results/ (OUT=dir, ARGS=...)
#   make demo-quick the same in seconds (tiny sizes, as CI runs it)
#   make tutorials  build and run every tutorial
#   make bench      GEMM + the five reference models (JSON for compare.py); JSON=path
#   make bench-load default threads vs 1 thread, idle and with one core kept busy
#   make docs       Doxygen HTML (with MathJax) into build/docs
#   make test-sanitize  tests under AddressSanitizer + UBSan
#   make test-noomp     tests built without OpenMP
#   make clean
BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
CMAKE   ?= cmake
JSON    ?= $(BUILD)/bench.json
BENCH_ARGS ?=

OUT     ?= results
ARGS    ?=

.PHONY: all build test demo demo-quick tutorials bench bench-load docs test-sanitize test-noomp clean

all: build

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

# ctest runs the groups one after another: each test process already uses
# every core through OpenMP, and two at once would oversubscribe the machine.
test:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DIOTGRAD_TESTS_REQUIRED=ON
	$(CMAKE) --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure

tutorials: $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS) --target run_tutorials

demo: $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS) --target iotgrad_cli
	$(BUILD)/iotgrad experiments --out $(OUT) $(ARGS)

demo-quick: $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS) --target iotgrad_cli
	$(BUILD)/iotgrad experiments --quick --out $(OUT) $(ARGS)

bench: $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS) --target iotgrad_bench
	$(BUILD)/iotgrad_bench --json $(JSON) $(BENCH_ARGS)

# About 30-60 s: a child process spins on one core for the loaded half (stopped at the end, on error, or after 90 s).
bench-load: $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS) --target iotgrad_bench
	$(BUILD)/iotgrad_bench --load

docs:
	@command -v doxygen >/dev/null || { echo "make docs needs Doxygen: apt-get install doxygen (or brew install doxygen)"; exit 1; }
	mkdir -p $(BUILD)/docs && doxygen docs/Doxyfile

test-sanitize:
	$(CMAKE) -S . -B $(BUILD)-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIOTGRAD_SANITIZE=ON -DIOTGRAD_NATIVE=OFF -DIOTGRAD_TESTS_REQUIRED=ON
	$(CMAKE) --build $(BUILD)-sanitize -j $(JOBS) --target iotgrad_tests iotgrad_cli
	cd $(BUILD)-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure

test-noomp:
	$(CMAKE) -S . -B $(BUILD)-noomp -DCMAKE_BUILD_TYPE=Release -DIOTGRAD_OPENMP=OFF -DIOTGRAD_TESTS_REQUIRED=ON
	$(CMAKE) --build $(BUILD)-noomp -j $(JOBS) --target iotgrad_tests iotgrad_cli
	cd $(BUILD)-noomp && ctest --output-on-failure

clean:
	rm -rf $(BUILD) $(BUILD)-sanitize $(BUILD)-noomp
