// Tests of core/random: seeding reproduces streams, values lie in their ranges with the right
// statistics, and every error names what was wrong.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"

using namespace glimpse;

namespace {

double average(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double variance(const std::vector<double>& values) {
    const double mu = average(values);
    double total = 0;
    for (double v : values) total += (v - mu) * (v - mu);
    return total / static_cast<double>(values.size());
}

}  // namespace

TEST_CASE("random: the bits are std::mt19937_64's, which the C++ standard fixes") {
    // The standard requires the 10000th output of a default-seeded (5489) mt19937_64 to be this.
    Generator generator(5489);
    for (int i = 0; i < 9999; ++i) generator.bits();
    CHECK(generator.bits() == 9981545732273789042ULL);
}

TEST_CASE("random: uniform values are the top bits of one draw, scaled") {
    Generator a(7), b(7);
    const uint64_t bits = a.bits();
    CHECK(b.uniform() == static_cast<double>(bits >> 11) / 9007199254740992.0);  // 2^53
    Generator c(7);
    CHECK(c.uniform_float() == static_cast<float>(bits >> 40) / 16777216.0f);  // 2^24
}

TEST_CASE("random: manual_seed reproduces every factory, including randn's spare normal") {
    auto draw_all = [] {
        std::vector<double> values;
        for (const Tensor& t : {rand({3}), uniform({2}, -1, 1, DType::Float64), randn({3}),
                                randint(0, 10, {4}), bernoulli({5}, 0.5)}) {
            const std::vector<double> v = t.to_vector();
            values.insert(values.end(), v.begin(), v.end());
        }
        return values;
    };
    manual_seed(123);
    const std::vector<double> first = draw_all();
    manual_seed(123);
    CHECK(draw_all() == first);
    manual_seed(124);
    CHECK(draw_all() != first);
    CHECK(default_generator().initial_seed() == 124);
}

TEST_CASE("random: a local generator leaves the global stream alone") {
    manual_seed(5);
    const std::vector<double> expected = rand({4}).to_vector();
    manual_seed(5);
    Generator local(99);
    randn({10}, DType::Float64, local);
    CHECK(rand({4}).to_vector() == expected);

    Generator again(99);
    Generator other(99);
    CHECK(randn({6}, DType::Float64, again).to_vector() ==
          randn({6}, DType::Float64, other).to_vector());
}

TEST_CASE("random: rand and uniform stay in their ranges with the expected mean") {
    Generator generator(1);
    for (DType dtype : {DType::Float32, DType::Float64}) {
        const Tensor u = rand({20000}, dtype, generator);
        CHECK(u.dtype() == dtype);
        const std::vector<double> values = u.to_vector();
        CHECK(*std::min_element(values.begin(), values.end()) >= 0.0);
        CHECK(*std::max_element(values.begin(), values.end()) < 1.0);
        CHECK(average(values) == doctest::Approx(0.5).epsilon(0.02));
        CHECK(variance(values) == doctest::Approx(1.0 / 12).epsilon(0.03));
    }
    const std::vector<double> values =
        uniform({10000}, -3, 5, DType::Float64, generator).to_vector();
    CHECK(*std::min_element(values.begin(), values.end()) >= -3.0);
    CHECK(*std::max_element(values.begin(), values.end()) < 5.0);
    CHECK(average(values) == doctest::Approx(1.0).epsilon(0.05));
    CHECK(uniform({3}, 2, 2).to_vector() == std::vector<double>{2, 2, 2});
    // One float32 step wide: low + (high - low) * u rounds to high for about half of the draws.
    const double next_float = 1.0 + 0x1.0p-23;
    const std::vector<double> narrow = uniform({100}, 1.0, next_float, DType::Float32).to_vector();
    CHECK(*std::max_element(narrow.begin(), narrow.end()) < next_float);
}

TEST_CASE("random: randn has mean 0 and variance 1") {
    Generator generator(2);
    const Tensor z = randn({2, 20000}, DType::Float64, generator);
    CHECK(z.shape() == Shape{2, 20000});
    const std::vector<double> values = z.to_vector();
    CHECK(std::abs(average(values)) < 0.02);
    CHECK(variance(values) == doctest::Approx(1.0).epsilon(0.03));
    CHECK(randn({4}, DType::Float32, generator).dtype() == DType::Float32);
}

TEST_CASE("random: randint covers [low, high) evenly, negative bounds included") {
    Generator generator(3);
    const Tensor ints = randint(-2, 3, {5000}, generator);
    CHECK(ints.dtype() == DType::Int64);
    const std::vector<double> values = ints.to_vector();
    CHECK(std::set<double>(values.begin(), values.end()) == std::set<double>{-2, -1, 0, 1, 2});
    for (double v : {-2, -1, 0, 1, 2}) {
        CHECK(std::count(values.begin(), values.end(), v) == doctest::Approx(1000).epsilon(0.1));
    }
    CHECK(randint(7, 8, {3}, generator).to_vector() == std::vector<double>{7, 7, 7});
}

TEST_CASE("random: bernoulli draws ones with probability p, in any dtype") {
    Generator generator(4);
    const std::vector<double> values =
        bernoulli({10000}, 0.3, DType::Float64, generator).to_vector();
    CHECK(average(values) == doctest::Approx(0.3).epsilon(0.05));
    CHECK(bernoulli({4}, 0.0, DType::Float32, generator).to_vector() == std::vector<double>(4, 0));
    CHECK(bernoulli({4}, 1.0, DType::Bool, generator).to_vector() == std::vector<double>(4, 1));
    // The same seed gives the same mask whatever the dtype.
    Generator a(8), b(8);
    CHECK(bernoulli({50}, 0.5, DType::Bool, a).to_vector() ==
          bernoulli({50}, 0.5, DType::Float32, b).to_vector());
}

TEST_CASE("random: errors name the factory and the bad argument") {
    CHECK_THROWS_WITH_AS(rand({2}, DType::Int64),
                         "rand: dtype must be float32 or float64, got int64 (shape [2])", Error);
    CHECK_THROWS_WITH_AS(randn({2}, DType::Bool), doctest::Contains("randn: dtype must be"), Error);
    CHECK_THROWS_WITH_AS(uniform({2}, 1, 0),
                         "uniform: expected finite low <= high, got low 1 and high 0", Error);
    CHECK_THROWS_WITH_AS(uniform({2}, 0, INFINITY), doctest::Contains("expected finite low"),
                         Error);
    CHECK_THROWS_WITH_AS(uniform({2}, 0, 1, DType::Int64), doctest::Contains("uniform: dtype"),
                         Error);
    CHECK_THROWS_WITH_AS(randint(3, 3, {2}), "randint: low 3 must be less than high 3 (shape [2])",
                         Error);
    CHECK_THROWS_WITH_AS(bernoulli({2}, 1.5), "bernoulli: p must be in [0, 1], got 1.5 (shape [2])",
                         Error);
    CHECK_THROWS_WITH_AS(bernoulli({2}, NAN), doctest::Contains("p must be in [0, 1], got nan"),
                         Error);
    Generator generator;
    CHECK_THROWS_WITH_AS(generator.integer(5, 1),
                         "Generator::integer: low 5 must be less than high 1", Error);
}
