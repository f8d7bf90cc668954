// The thread count of parallel loops (tensor/parallel.hpp): the load rule,
// explicit counts per thread, the automatic count's bounds, and one thread
// inside a parallel region.
#include <cstdlib>
#include <thread>

#include "catch_compat.hpp"

#include "tensor/parallel.hpp"

using namespace iotgrad;

TEST_CASE("threads_for_load leaves the cores other programs do not use", "[tensor][parallel]") {
    CHECK(threads_for_load(2, 0.0) == 2);
    CHECK(threads_for_load(2, 0.19) == 2);  // a light background (an editor, a daemon) takes no core
    CHECK(threads_for_load(2, 0.2) == 1);   // kTakenCoreFraction: a core busy a fifth of the time is taken
    CHECK(threads_for_load(2, 1.0) == 1);   // one busy loop on a laptop: one thread
    CHECK(threads_for_load(2, 3.5) == 1);   // never fewer than one
    CHECK(threads_for_load(8, 2.5) == 5);
    CHECK(threads_for_load(8, -1.0) == 8);  // unknown load: all cores
    CHECK(threads_for_load(1, 0.0) == 1);
}

#if defined(_OPENMP)
TEST_CASE("explicit thread counts are exact and per thread; 0 is the automatic count", "[tensor][parallel]") {
    set_num_threads(3);
    CHECK(max_threads() == 3);
    CHECK_FALSE(thread_load().automatic);
    int seen_in_worker = 0, seen_after_worker_set = 0;
    std::thread worker([&] {
        seen_in_worker = max_threads();  // a new thread starts from the process default, not from 3
        set_num_threads(1);
        seen_after_worker_set = max_threads();
    });
    worker.join();
    CHECK(seen_in_worker != 3);
    CHECK(seen_after_worker_set == 1);
    CHECK(max_threads() == 3);  // the worker's set_num_threads(1) left this thread alone

    set_num_threads(0);
    const ThreadLoad load = thread_load();
    const char* env = std::getenv("OMP_NUM_THREADS");
    if (env == nullptr || *env == '\0') {
        CHECK(load.automatic);
        CHECK(load.threads >= 1);
        CHECK(load.threads <= load.cores);
        CHECK(load.threads == threads_for_load(load.cores, load.other_cores));
    }
}

TEST_CASE("inside a parallel region loops and products run on one thread", "[tensor][parallel]") {
    set_num_threads(2);
    int inner = -1;
#pragma omp parallel num_threads(2)
    {
#pragma omp single
        inner = max_threads();
    }
    CHECK(inner == 1);
    set_num_threads(0);
}
#endif
