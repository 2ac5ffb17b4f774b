// Tests of core/tensor.cpp.

#include <doctest/doctest.h>
#include <sys/resource.h>

#include "core/error.hpp"
#include "core/ops.hpp"

using namespace glimpse;

TEST_CASE("tensor: size() of each dim, counting from the end when negative") {
    const Tensor x = zeros({2, 3});
    CHECK(x.size(0) == 2);
    CHECK(x.size(-1) == 3);
}

TEST_CASE("tensor: size() of a 0-d tensor is an error, not a read past the shape") {
    CHECK_THROWS_WITH_AS(scalar_tensor(1).size(0), "size: dim 0 of a 0-d tensor, which has no dims",
                         Error);
    CHECK_THROWS_WITH_AS(slice(scalar_tensor(1), -1, 0, 1), doctest::Contains("0-d tensor"), Error);
    CHECK_THROWS_WITH_AS(zeros({2}).size(1), doctest::Contains("size: dim 1 is out of range"),
                         Error);
}

// AddressSanitizer replaces glibc's allocator with its own (and a quarantine of freed blocks).
#if !defined(__SANITIZE_ADDRESS__)
TEST_CASE("tensor: a large buffer freed is reused warm by the next, without page faults") {
    const auto page_faults = [] {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        return usage.ru_minflt;
    };
    const Shape shape{1024, 2048};  // 8 MiB of float32: 2048 pages
    { const Tensor first = ones(shape); }
    const long before = page_faults();
    const Tensor second = ones(shape);
    CHECK(page_faults() - before < 100);
    CHECK(reinterpret_cast<std::uintptr_t>(second.data<float>()) % 64 == 0);
}
#endif
