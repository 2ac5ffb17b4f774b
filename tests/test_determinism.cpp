// Reproducibility: a seed fixes a training run bit for bit, with one OpenMP thread or two, and two
// runs in two std::threads at once give what each gives alone. What is global and why it does
// not break this is in README.md ("Determinism and threads").

#include <doctest/doctest.h>
#include <omp.h>

#include <thread>
#include <vector>

#include "tests/training_run.hpp"

using glimpse::testing::training_losses;
using glimpse::testing::TrainingRun;

TEST_CASE("determinism: the same seed gives bit-identical losses over 20 training steps") {
    const std::vector<float> first = training_losses({.seed = 7});
    REQUIRE(first.size() == 20);
    CHECK(training_losses({.seed = 7}) == first);
    CHECK(training_losses({.seed = 8}) != first);  // the seed does reach everything compared
    CHECK(first.back() < first.front());           // and the steps do train
}

TEST_CASE("determinism: one OpenMP thread or two give bit-identical losses") {
    // GEMM cuts C into one stripe per thread; every element is summed over k in the same order
    // by whichever thread owns it, so the count of threads never changes a result.
    const int threads = omp_get_max_threads();
    omp_set_num_threads(2);
    const std::vector<float> two = training_losses({.seed = 3});
    omp_set_num_threads(1);
    const std::vector<float> one = training_losses({.seed = 3});
    omp_set_num_threads(threads);
    CHECK(one == two);
}

TEST_CASE("threads: two models trained at once in two std::threads equal each trained alone") {
    const TrainingRun a{.seed = 11}, b{.seed = 12, .hidden_size = 24};
    const std::vector<float> a_alone = training_losses(a);
    const std::vector<float> b_alone = training_losses(b);
    std::vector<float> a_together, b_together;
    std::thread first([&] { a_together = training_losses(a); });
    std::thread second([&] { b_together = training_losses(b); });
    first.join();
    second.join();
    CHECK(a_together == a_alone);
    CHECK(b_together == b_alone);
}
