// Tests of core/ops_softmax.cpp: softmax, log_softmax and cross_entropy on hand-computed values,
// along any dim of strided inputs, at extreme values and with masked entries; their gradients by
// hand; PyTorch's reductions, ignore_index and label smoothing; and every error.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"

using namespace glimpse;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// softmax([1, 2, 3]) and log_softmax([1, 2, 3]), worked out by hand:
// logsumexp = 3 + log(1 + e^-1 + e^-2) = 3.4076059644443806.
const std::vector<double> kSoftmax123 = {0.09003057317038046, 0.24472847105479767,
                                         0.6652409557748219};
const std::vector<double> kLogSoftmax123 = {-2.4076059644443806, -1.4076059644443806,
                                            -0.4076059644443806};

void check_close(const std::vector<double>& actual, const std::vector<double>& expected,
                 double tolerance = 1e-12) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("element ", i);
        CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(tolerance));
    }
}

std::vector<double> repeat(const std::vector<double>& v, int times) {
    std::vector<double> out;
    for (int i = 0; i < times; ++i) out.insert(out.end(), v.begin(), v.end());
    return out;
}

}  // namespace

TEST_CASE("softmax: hand-computed values along the last dim, shifted far without overflow") {
    const Tensor x = tensor({1, 2, 3, 1001, 1002, 1003}, {2, 3}, DType::Float64);
    check_close(softmax(x, -1).to_vector(), repeat(kSoftmax123, 2));
    check_close(log_softmax(x, 1).to_vector(), repeat(kLogSoftmax123, 2));
    const Tensor f = tensor({1, 2, 3, -1000, -999, -998}, {2, 3});
    check_close(softmax(f, 1).to_vector(), repeat(kSoftmax123, 2), 1e-6);
    check_close(log_softmax(f, 1).to_vector(), repeat(kLogSoftmax123, 2), 1e-6);
    CHECK(softmax(f, 1).dtype() == DType::Float32);
}

TEST_CASE("softmax: along dim 0, and on transposed, narrowed and expanded views") {
    const Tensor columns = tensor({1, 5, 2, 5, 3, 5}, {3, 2}, DType::Float64);
    const std::vector<double> along0 = softmax(columns, 0).to_vector();
    check_close({along0[0], along0[2], along0[4]}, kSoftmax123);
    check_close({along0[1], along0[3], along0[5]}, {1.0 / 3, 1.0 / 3, 1.0 / 3});
    // columns.t() = [[1, 2, 3], [5, 5, 5]]: its rows are the columns above.
    check_close(softmax(columns.t(), 1).to_vector(),
                {kSoftmax123[0], kSoftmax123[1], kSoftmax123[2], 1.0 / 3, 1.0 / 3, 1.0 / 3});
    const Tensor wide = tensor({9, 1, 2, 3, 9}, {5}, DType::Float64);
    check_close(log_softmax(wide.narrow(0, 1, 3), 0).to_vector(), kLogSoftmax123);
    const Tensor row = tensor({1, 2, 3}, {3}, DType::Float64);
    check_close(softmax(row.expand({2, 3}), -1).to_vector(), repeat(kSoftmax123, 2));
    check_close(softmax(row.expand({2, 3}), 0).to_vector(), std::vector<double>(6, 0.5));
}

TEST_CASE("softmax: log_softmax keeps tiny probabilities that log(softmax) would lose") {
    const Tensor x = tensor({0, -1000}, {2}, DType::Float64);
    const std::vector<double> y = log_softmax(x, 0).to_vector();
    CHECK(y[0] == 0.0);
    CHECK(y[1] == doctest::Approx(-1000.0));
    CHECK(softmax(x, 0).to_vector()[1] == 0.0);  // underflows, as it should
}

TEST_CASE("softmax: masked (-infinity) entries get probability 0; a fully masked line is NaN") {
    const Tensor scores = tensor({0.5, 1.5, 0.0}, {3});
    const Tensor mask = tensor({0, 0, 1}, {3}, DType::Bool);
    const std::vector<double> p = softmax(masked_fill(scores, mask, -kInf), 0).to_vector();
    CHECK(p[2] == 0.0);
    CHECK(p[0] + p[1] == doctest::Approx(1.0));
    CHECK(log_softmax(masked_fill(scores, mask, -kInf), 0).to_vector()[2] == -kInf);
    // As in PyTorch: nothing to normalise over gives NaN (attention handles such rows itself).
    const std::vector<double> none = softmax(full({2}, -kInf), 0).to_vector();
    CHECK(std::isnan(none[0]));
}

TEST_CASE("softmax: a 0-d tensor is a line of one element") {
    CHECK(softmax(scalar_tensor(4.0), 0).item() == 1.0);
    CHECK(log_softmax(scalar_tensor(4.0), -1).item() == 0.0);
    CHECK(softmax(scalar_tensor(4.0), 0).shape() == Shape{});
}

TEST_CASE("softmax: gradients by hand") {
    // softmax([0, 0]) = [1/2, 1/2]; with upstream g = [1, 3]: dx = y (g - sum(g y)) = [-1/2, 1/2].
    const Tensor x = tensor({0, 0}, {2}, DType::Float64).requires_grad_();
    const Tensor g = tensor({1, 3}, {2}, DType::Float64);
    softmax(x, 0).backward(g);
    check_close(x.grad().to_vector(), {-0.5, 0.5});
    // log_softmax: dx = g - softmax * sum(g) = [1 - 2, 3 - 2].
    x.zero_grad();
    log_softmax(x, 0).backward(g);
    check_close(x.grad().to_vector(), {-1, 1});
}

TEST_CASE("softmax: gradients along dim 0 of a transposed input") {
    // x.t() = [[0, 0], [0, ln 3]]; along dim 0 the columns are [0, 0] and [0, ln 3], whose
    // softmaxes are [1/2, 1/2] and [1/4, 3/4].
    const Tensor x = tensor({0, 0, 0, std::log(3.0)}, {2, 2}, DType::Float64).requires_grad_();
    const Tensor y = softmax(x.t(), 0);
    check_close(y.to_vector(), {0.5, 0.25, 0.5, 0.75});
    // Upstream g = [[1, 1], [3, 0]]: column 0 as above gives [-1/2, 1/2]; column 1 has
    // sum(g y) = 1/4, so dx = [1/4 (1 - 1/4), 3/4 (0 - 1/4)] = [3/16, -3/16].
    y.backward(tensor({1, 1, 3, 0}, {2, 2}, DType::Float64));
    // x.grad is the transpose of the gradient of x.t().
    check_close(x.grad().to_vector(), {-0.5, 0.5, 3.0 / 16, -3.0 / 16});
}

TEST_CASE("cross_entropy: the reductions and ignore_index follow PyTorch") {
    const Tensor logits = tensor({1, 2, 3, 1, 2, 3}, {2, 3}, DType::Float64);
    const Tensor targets = tensor({2, 0}, {2}, DType::Int64);
    const double loss2 = -kLogSoftmax123[2];
    const double loss0 = -kLogSoftmax123[0];
    CHECK(cross_entropy(logits, targets).item() == doctest::Approx((loss2 + loss0) / 2));
    CHECK(cross_entropy(logits, targets, {.reduction = Reduction::Sum}).item() ==
          doctest::Approx(loss2 + loss0));
    const Tensor each = cross_entropy(logits, targets, {.reduction = Reduction::None});
    CHECK(each.shape() == Shape{2});
    check_close(each.to_vector(), {loss2, loss0});

    // Ignored targets count neither in the sum nor in the mean's divisor.
    const Tensor padded = tensor({2, -100}, {2}, DType::Int64);
    CHECK(cross_entropy(logits, padded).item() == doctest::Approx(loss2));
    check_close(cross_entropy(logits, padded, {.reduction = Reduction::None}).to_vector(),
                {loss2, 0});
    CHECK(cross_entropy(logits, targets, {.ignore_index = 0}).item() == doctest::Approx(loss2));
    // No target left: the mean is 0 / 0 = NaN, as in PyTorch; the sum is 0.
    const Tensor none = tensor({-100, -100}, {2}, DType::Int64);
    CHECK(std::isnan(cross_entropy(logits, none).item()));
    CHECK(cross_entropy(logits, none, {.reduction = Reduction::Sum}).item() == 0.0);
}

TEST_CASE("cross_entropy: label smoothing as in PyTorch") {
    // loss = (1 - eps) nll + eps mean_c(-log p_c); for [1, 2, 3], mean_c(-log p_c) = 1.40760...
    const Tensor logits = tensor({1, 2, 3}, {1, 3}, DType::Float64);
    const Tensor target = tensor({2}, {1}, DType::Int64);
    const double expected = 0.9 * -kLogSoftmax123[2] + 0.1 * 1.4076059644443806;
    CHECK(cross_entropy(logits, target, {.label_smoothing = 0.1}).item() ==
          doctest::Approx(expected).epsilon(1e-12));
    // Ignored rows stay out of the smoothing term too.
    const Tensor two = tensor({1, 2, 3, 7, 8, 9}, {2, 3}, DType::Float64);
    CHECK(
        cross_entropy(two, tensor({2, -100}, {2}, DType::Int64), {.label_smoothing = 0.1}).item() ==
        doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("cross_entropy: 1-D logits, strided logits, extreme and masked logits") {
    const Tensor row = tensor({1, 2, 3}, {3}, DType::Float64);
    const Tensor loss = cross_entropy(row, scalar_tensor(0, DType::Int64));
    CHECK(loss.shape() == Shape{});
    CHECK(loss.item() == doctest::Approx(-kLogSoftmax123[0]));
    CHECK(cross_entropy(row, scalar_tensor(0, DType::Int64), {.reduction = Reduction::None})
              .shape() == Shape{});
    // stored.t() = [[1, 2, 3], [9, 1, 9]].
    const Tensor stored = tensor({1, 9, 2, 1, 3, 9}, {3, 2}, DType::Float64);
    CHECK(
        cross_entropy(stored.t(), tensor({2, 1}, {2}, DType::Int64), {.reduction = Reduction::None})
            .to_vector()[0] == doctest::Approx(-kLogSoftmax123[2]));
    const Tensor huge = tensor({1000, 0}, {1, 2});
    CHECK(cross_entropy(huge, tensor({0}, {1}, DType::Int64)).item() == 0.0);
    CHECK(cross_entropy(huge, tensor({1}, {1}, DType::Int64)).item() == doctest::Approx(1000.0));
    // A class masked to -infinity that is not the target costs nothing (no 0 * inf = NaN).
    const Tensor masked = tensor({0, 0, -kInf}, {1, 3}, DType::Float64);
    CHECK(cross_entropy(masked, tensor({0}, {1}, DType::Int64)).item() ==
          doctest::Approx(std::log(2.0)));
}

TEST_CASE("cross_entropy: gradient softmax - target, scaled per reduction, by hand") {
    // Logits [0, 0] give softmax [1/2, 1/2]; target 1 gives softmax - onehot = [1/2, -1/2].
    const Tensor logits = zeros({2, 2}, DType::Float64).requires_grad_();
    const Tensor targets = tensor({1, 0}, {2}, DType::Int64);
    cross_entropy(logits, targets).backward();  // mean over 2 rows: each row halved
    check_close(logits.grad().to_vector(), {0.25, -0.25, -0.25, 0.25});

    logits.zero_grad();
    cross_entropy(logits, targets, {.reduction = Reduction::None})
        .backward(tensor({2, 3}, {2}, DType::Float64));
    check_close(logits.grad().to_vector(), {1, -1, -1.5, 1.5});

    logits.zero_grad();
    cross_entropy(logits, tensor({1, -100}, {2}, DType::Int64), {.reduction = Reduction::Sum})
        .backward();
    check_close(logits.grad().to_vector(), {0.5, -0.5, 0, 0});

    // Smoothing eps = 0.2 over 2 classes: q = [0.1, 0.9], so the gradient is [0.4, -0.4].
    logits.zero_grad();
    cross_entropy(logits, tensor({1, -100}, {2}, DType::Int64), {.label_smoothing = 0.2})
        .backward();
    check_close(logits.grad().to_vector(), {0.4, -0.4, 0, 0});

    // Every target ignored: a NaN mean, but a zero gradient (as PyTorch).
    logits.zero_grad();
    cross_entropy(logits, tensor({-100, -100}, {2}, DType::Int64)).backward();
    CHECK(logits.grad().to_vector() == std::vector<double>{0, 0, 0, 0});
}

TEST_CASE("cross_entropy: the gradient reaches 1-D and transposed logits") {
    const Tensor row = zeros({2}, DType::Float64).requires_grad_();
    cross_entropy(row, scalar_tensor(1, DType::Int64)).backward();
    CHECK(row.grad().shape() == Shape{2});
    check_close(row.grad().to_vector(), {0.5, -0.5});
    const Tensor stored = zeros({2, 1}, DType::Float64).requires_grad_();  // used as [1, 2]
    cross_entropy(stored.t(), tensor({0}, {1}, DType::Int64)).backward();
    check_close(stored.grad().to_vector(), {-0.5, 0.5});
}

TEST_CASE("softmax and cross_entropy: errors name the op, the inputs and what was expected") {
    const Tensor ints = zeros({2, 3}, DType::Int64);
    CHECK_THROWS_WITH_AS(softmax(ints, 1),
                         "softmax: expected a float32 or float64 tensor, got [2, 3] int64", Error);
    CHECK_THROWS_WITH_AS(log_softmax(ints, 1), doctest::Contains("log_softmax: expected a float32"),
                         Error);
    CHECK_THROWS_WITH_AS(softmax(zeros({2, 3}), 2),
                         doctest::Contains("softmax: dim 2 is out of range"), Error);
    CHECK_THROWS_WITH_AS(log_softmax(zeros({2, 3}), -3),
                         doctest::Contains("log_softmax: dim -3 is out of range"), Error);

    const Tensor logits = zeros({2, 5});
    const Tensor targets = tensor({1, 2}, {2}, DType::Int64);
    CHECK_THROWS_WITH_AS(cross_entropy(ints, targets),
                         "cross_entropy: expected a float32 or float64 tensor, got [2, 3] int64",
                         Error);
    CHECK_THROWS_WITH_AS(cross_entropy(logits, tensor({1, 2}, {2})),
                         "cross_entropy: target must be int64, got [2] float32", Error);
    CHECK_THROWS_WITH_AS(cross_entropy(zeros({2, 3, 4}), targets),
                         "cross_entropy: logits must be [N, C] or [C], got [2, 3, 4] float32",
                         Error);
    CHECK_THROWS_WITH_AS(cross_entropy(logits, tensor({1, 2, 3}, {3}, DType::Int64)),
                         "cross_entropy: target [3] int64 does not fit logits [2, 5] float32 "
                         "(expected target [2])",
                         Error);
    CHECK_THROWS_WITH_AS(
        cross_entropy(zeros({5}), tensor({1}, {1}, DType::Int64)),
        "cross_entropy: target [1] int64 does not fit logits [5] float32 (expected "
        "target [])",
        Error);
    CHECK_THROWS_WITH_AS(cross_entropy(logits, tensor({1, 5}, {2}, DType::Int64)),
                         "cross_entropy: target 5 at position 1 is out of range for 5 classes "
                         "(logits [2, 5] float32; expected 0..4 or ignore_index -100)",
                         Error);
    CHECK_THROWS_WITH_AS(cross_entropy(logits, tensor({-1, 0}, {2}, DType::Int64)),
                         doctest::Contains("target -1 at position 0 is out of range"), Error);
    CHECK_THROWS_WITH_AS(
        cross_entropy(logits, tensor({-100, 0}, {2}, DType::Int64), {.ignore_index = 0}),
        doctest::Contains("target -100 at position 0 is out of range for 5 "
                          "classes (logits [2, 5] float32; expected 0..4 or "
                          "ignore_index 0)"),
        Error);
    CHECK_THROWS_WITH_AS(cross_entropy(logits, targets, {.label_smoothing = 1.5}),
                         "cross_entropy: label_smoothing must be in [0, 1], got 1.5", Error);
    CHECK_THROWS_WITH_AS(cross_entropy(logits, Tensor()), "cross_entropy: got an undefined tensor",
                         Error);
}
