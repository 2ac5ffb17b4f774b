// Anomaly detection (core/anomaly.hpp): off by default, on for a scope or a thread, and naming
// the first op whose forward or backward made a NaN or an infinity. Its messages for single ops
// are in the catalogue (tests/test_bad_inputs_core.cpp); here, whole computations.

#include <doctest/doctest.h>

#include <cmath>
#include <thread>

#include "core/anomaly.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

using namespace glimpse;

TEST_CASE("anomaly detection: off by default; a guard turns it on for its scope only") {
    CHECK_FALSE(is_anomaly_enabled());
    CHECK(std::isinf(log(zeros({1})).item()));  // off: -inf passes silently, as in PyTorch
    {
        const DetectAnomalyGuard anomaly;
        CHECK(is_anomaly_enabled());
        CHECK_THROWS_AS(log(zeros({1})), Error);
        { const DetectAnomalyGuard nested; }
        CHECK(is_anomaly_enabled());
    }
    CHECK_FALSE(is_anomaly_enabled());
    set_detect_anomaly(true);
    CHECK(is_anomaly_enabled());
    set_detect_anomaly(false);
}

TEST_CASE("anomaly detection: each thread has its own setting") {
    const DetectAnomalyGuard anomaly;
    bool other_thread_enabled = true;
    std::thread([&] { other_thread_enabled = is_anomaly_enabled(); }).join();
    CHECK_FALSE(other_thread_enabled);
}

TEST_CASE("anomaly detection: a NaN loss is traced to the op that made the first NaN") {
    // A loss that overflows: exp of a large logit is inf, inf / inf is NaN, and the loss is NaN.
    Tensor logits = tensor({1, 2, 100}, {3});
    logits.requires_grad_();
    const auto loss = [&] {
        const Tensor e = exp(logits * 1000.0);
        return (e / e.sum()).sum();
    };
    CHECK(std::isnan(loss().item()));  // without detection: a NaN loss, no cause
    const DetectAnomalyGuard anomaly;
    CHECK_THROWS_WITH_AS(loss(),
                         "detect_anomaly: 'exp' made inf in its output [3] float32 (element 0), "
                         "from finite inputs",
                         Error);
}

TEST_CASE("anomaly detection: a backward that makes NaN from finite values is named") {
    // |x| written as sqrt(x^2): finite everywhere forward, but at 0 its backward is 0 * inf.
    Tensor x = tensor({1, 0}, {2}, DType::Float64);
    x.requires_grad_();
    sqrt(x * x).sum().backward();
    CHECK(std::isnan(x.grad().to_vector()[1]));  // without detection: a NaN gradient

    x.zero_grad();
    const DetectAnomalyGuard anomaly;
    CHECK_THROWS_WITH_AS(sqrt(x * x).sum().backward(),
                         "detect_anomaly: the backward of 'sqrt' made inf in the gradient for its "
                         "input 0 [2] float64 (element 1)",
                         Error);
    CHECK_FALSE(x.grad().defined());
}
