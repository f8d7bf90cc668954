# Thin front door over CMake. Every target configures the build it needs.
#   make            build the library, tests, tutorials and benchmark
#   make test       configure, build and run every test through ctest (installs Catch2 if missing)
#   make demo       the main job: the paper's five experiments into results/ (OUT=dir, ARGS=...)
#   make demo-quick the same in seconds (tiny sizes, as CI runs it)
#   make tutorials  build and run every tutorial
#   make bench      GEMM + the five reference models (JSON for compare.py); JSON=path
#   make bench-load default threads vs 1 thread, idle and with one core kept busy
#   make docs       the course website: Doxygen HTML, tutorials, MathJax (offline) into build/docs
#   make test-sanitize  tests under AddressSanitizer + UBSan
#   make test-noomp     tests built without OpenMP
#   make install    PREFIX=dir [NATIVE=OFF]: headers, library, tool, CMake package, pkg-config
#   make clean
BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
CMAKE   ?= cmake
JSON    ?= $(BUILD)/bench.json
BENCH_ARGS ?=

OUT     ?= results
ARGS    ?=

.PHONY: all build test demo demo-quick tutorials bench bench-load docs test-sanitize test-noomp install clean

all: build

TOOLS   = @sh tests/setup_package.sh cmake && sh tests/setup_package.sh g++

$(BUILD)/CMakeCache.txt:
	$(TOOLS)
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

# ctest runs the groups one after another: each test process already uses
# every core through OpenMP, and two at once would oversubscribe the machine.
# Missing build tools (CMake, a compiler) and, for the tests, Catch2 are
# installed first (tests/setup_package.sh: apt-get as root or with passwordless
# sudo; otherwise it stops with one line giving the command).
test:
	$(TOOLS)
	@sh tests/setup_package.sh catch2
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

# The course website, offline: Doxygen and MathJax 2 are installed first if
# missing (tests/setup_package.sh); the tutorials, docs/equations.md and the main
# page become Doxygen pages (docs/pages.sh: GitHub $...$ math -> \f$...\f$);
# MathJax is copied into the site; docs/check_site.sh fails on any remote
# resource. DOCS_EXCLUDE=docs/solutions leaves folders out (the student edition).
# Doxygen writes to build/docs (docs/Doxyfile), whatever BUILD is.
DOCS_EXCLUDE ?=
docs:
	@sh tests/setup_package.sh doxygen && sh tests/setup_package.sh mathjax
	rm -rf build/docs/html && mkdir -p build/docs
	sh docs/pages.sh
	DOCS_EXCLUDE="$(DOCS_EXCLUDE)" doxygen docs/Doxyfile
	sh docs/copy_mathjax.sh build/docs/html/mathjax
	sh docs/check_site.sh build/docs/html

test-sanitize:
	$(TOOLS)
	@sh tests/setup_package.sh catch2
	$(CMAKE) -S . -B $(BUILD)-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIOTGRAD_SANITIZE=ON -DIOTGRAD_NATIVE=OFF -DIOTGRAD_TESTS_REQUIRED=ON
	$(CMAKE) --build $(BUILD)-sanitize -j $(JOBS) --target iotgrad_tests iotgrad_cli
	cd $(BUILD)-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure

test-noomp:
	$(TOOLS)
	@sh tests/setup_package.sh catch2
	$(CMAKE) -S . -B $(BUILD)-noomp -DCMAKE_BUILD_TYPE=Release -DIOTGRAD_OPENMP=OFF -DIOTGRAD_TESTS_REQUIRED=ON
	$(CMAKE) --build $(BUILD)-noomp -j $(JOBS) --target iotgrad_tests iotgrad_cli
	cd $(BUILD)-noomp && ctest --output-on-failure

# Headers, library, the iotgrad tool, a CMake package (find_package(iotgrad))
# and a pkg-config file under PREFIX. A library for other machines needs
# `make install NATIVE=OFF` (no -march=native).
PREFIX  ?= /usr/local
NATIVE  ?= ON
install:
	$(TOOLS)
	$(CMAKE) -S . -B $(BUILD)-install -DCMAKE_BUILD_TYPE=Release -DIOTGRAD_NATIVE=$(NATIVE) -DIOTGRAD_TESTS=OFF
	$(CMAKE) --build $(BUILD)-install -j $(JOBS) --target iotgrad iotgrad_cli
	$(CMAKE) --install $(BUILD)-install --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(BUILD)-sanitize $(BUILD)-noomp $(BUILD)-install
