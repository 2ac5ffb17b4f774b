// Tests of core/ops_matmul.cpp: every supported shape combination against a naive loop, with each
// operand contiguous, transposed, narrowed (a leading dim larger than its width), strided in both
// dims, expanded or permuted; gradients against the same loops and by hand; every error.

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"

using namespace glimpse;

namespace {

// A shape with its last two extents swapped.
Shape swap_last_two(Shape shape) {
    std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
    return shape;
}

// One way of laying out an operand of a given logical shape in memory.
struct Variant {
    std::string name;
    std::function<Tensor(const Shape&, DType, Generator&)> make;
};

// The variants that make sense for a shape: every one has the given logical shape and random
// values, but other strides.
std::vector<Variant> variants(const Shape& shape) {
    std::vector<Variant> result = {
        {"contiguous", [](const Shape& s, DType t, Generator& g) { return randn(s, t, g); }},
        {"narrowed",  // a view of the first columns of a wider matrix: leading dim > width
         [](const Shape& s, DType t, Generator& g) {
             Shape wider = s;
             wider.back() += 3;
             return randn(wider, t, g).narrow(-1, 2, s.back());
         }},
        {"strided",  // every other element along the last dim: no GEMM layout fits, so a copy
         [](const Shape& s, DType t, Generator& g) {
             Shape pairs = s;
             pairs.push_back(2);
             return randn(pairs, t, g).select(-1, 1);
         }},
    };
    if (shape.size() >= 2) {
        result.push_back({"transposed", [](const Shape& s, DType t, Generator& g) {
                              return randn(swap_last_two(s), t, g).transpose(-2, -1);
                          }});
        result.push_back({"expanded",  // the first dim broadcast from 1: stride 0
                          [](const Shape& s, DType t, Generator& g) {
                              Shape one = s;
                              one[0] = 1;
                              return randn(one, t, g).expand(s);
                          }});
    }
    if (shape.size() >= 3) {
        result.push_back({"permuted",  // batch dim and row dim swapped in memory
                          [](const Shape& s, DType t, Generator& g) {
                              Shape stored = s;
                              std::swap(stored[0], stored[stored.size() - 2]);
                              Shape dims(s.size());
                              for (std::size_t d = 0; d < dims.size(); ++d) dims[d] = d;
                              std::swap(dims[0], dims[dims.size() - 2]);
                              return randn(stored, t, g).permute(dims);
                          }});
    }
    return result;
}

// The product by the definition, in double. a is [..., M, K] or [K] (M = 1); b is [K, N], [K]
// (N = 1) or batched like a. The result is row-major over [batch..., M, N].
struct Reference {
    int64_t m, k, n, batches;
    bool shared_right;
    std::vector<double> a, b;

    Reference(const Tensor& ta, const Tensor& tb)
        : m(ta.dim() == 1 ? 1 : ta.size(-2)),
          k(ta.size(-1)),
          n(tb.dim() == 1 ? 1 : tb.size(-1)),
          shared_right(tb.dim() <= 2),
          a(ta.to_vector()),
          b(tb.to_vector()) {
        const int64_t matrix_dims = std::min<int64_t>(ta.dim(), 2);
        batches = numel(Shape(ta.shape().begin(), ta.shape().end() - matrix_dims));
    }
    double at_a(int64_t batch, int64_t i, int64_t p) const { return a[(batch * m + i) * k + p]; }
    double at_b(int64_t batch, int64_t p, int64_t j) const {
        return b[((shared_right ? 0 : batch) * k + p) * n + j];
    }

    std::vector<double> product() const {
        std::vector<double> c;
        for (int64_t batch = 0; batch < batches; ++batch) {
            for (int64_t i = 0; i < m; ++i) {
                for (int64_t j = 0; j < n; ++j) {
                    double sum = 0;
                    for (int64_t p = 0; p < k; ++p) sum += at_a(batch, i, p) * at_b(batch, p, j);
                    c.push_back(sum);
                }
            }
        }
        return c;
    }

    // dA = G B^T and dB = A^T G (summed over every batch when B is shared), for upstream G.
    std::pair<std::vector<double>, std::vector<double>> gradients(
        const std::vector<double>& g) const {
        std::vector<double> da(a.size(), 0.0), db(b.size(), 0.0);
        for (int64_t batch = 0; batch < batches; ++batch) {
            for (int64_t i = 0; i < m; ++i) {
                for (int64_t j = 0; j < n; ++j) {
                    const double gij = g[(batch * m + i) * n + j];
                    for (int64_t p = 0; p < k; ++p) {
                        da[(batch * m + i) * k + p] += gij * at_b(batch, p, j);
                        db[((shared_right ? 0 : batch) * k + p) * n + j] += at_a(batch, i, p) * gij;
                    }
                }
            }
        }
        return {da, db};
    }
};

double max_difference(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size()) return INFINITY;
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double d = std::abs(x[i] - y[i]);
        worst = std::isnan(d) ? d : std::max(worst, d);
    }
    return worst;
}

// What PyTorch's matmul gives for these operand shapes (for the cases glimpse supports).
Shape expected_shape(const Shape& a, const Shape& b) {
    Shape out(a.begin(), a.end() - 1);
    if (b.size() >= 2) out.push_back(b.back());
    return out;
}

// Every variant of a against every variant of b: values, shapes and both gradients.
void check_all_layouts(const Shape& shape_a, const Shape& shape_b, DType dtype, double tolerance) {
    Generator generator(shape_a.size() * 100 + shape_b.size());
    for (const Variant& va : variants(shape_a)) {
        for (const Variant& vb : variants(shape_b)) {
            INFO(shape_str(shape_a), " ", va.name, " @ ", shape_str(shape_b), " ", vb.name, " ",
                 dtype_name(dtype));
            Tensor a = va.make(shape_a, dtype, generator).detach().requires_grad_();
            Tensor b = vb.make(shape_b, dtype, generator).detach().requires_grad_();
            REQUIRE(a.shape() == shape_a);
            const Reference reference(a, b);
            const Tensor c = matmul(a, b);
            CHECK(c.shape() == expected_shape(shape_a, shape_b));
            CHECK(c.dtype() == dtype);
            CHECK(max_difference(c.to_vector(), reference.product()) <= tolerance);

            const Tensor g = randn(c.shape(), dtype, generator);
            c.backward(g);
            const auto [da, db] = reference.gradients(g.to_vector());
            CHECK(max_difference(a.grad().to_vector(), da) <= tolerance);
            CHECK(max_difference(b.grad().to_vector(), db) <= tolerance);
        }
    }
}

struct Case {
    Shape a, b;
};

const std::vector<Case> kCases = {
    {{3, 4}, {4, 5}},              // matrix @ matrix
    {{1, 7}, {7, 1}},              // a row times a column
    {{5, 1}, {1, 6}},              // an outer product (K = 1)
    {{2, 3, 4}, {4, 5}},           // rows of every batch against one matrix: one folded GEMM
    {{2, 3, 1, 4}, {4, 2}},        // two batch dims folded, M = 1
    {{3, 2, 4}, {3, 4, 5}},        // batched
    {{2, 3, 2, 4}, {2, 3, 4, 3}},  // batched with two batch dims
    {{3, 4}, {4}},                 // matrix @ vector
    {{2, 3, 4}, {4}},              // batch of matrices @ vector
    {{4}, {4, 5}},                 // vector @ matrix
    {{6}, {6}},                    // dot product
    {{0, 3}, {3, 2}},              // empty results and an empty inner dim
    {{2, 0}, {0, 3}},
    {{2, 0, 3}, {2, 3, 4}},
};

}  // namespace

TEST_CASE("matmul: every shape case and operand layout agrees with a naive loop (float64)") {
    for (const Case& c : kCases) check_all_layouts(c.a, c.b, DType::Float64, 1e-12);
}

TEST_CASE("matmul: every shape case and operand layout agrees with a naive loop (float32)") {
    for (const Case& c : kCases) check_all_layouts(c.a, c.b, DType::Float32, 1e-5);
}

TEST_CASE("matmul: products large enough for the blocked and parallel GEMM paths") {
    check_all_layouts({130, 70}, {70, 90}, DType::Float32, 1e-4);
    check_all_layouts({4, 40, 33}, {33, 65}, DType::Float64, 1e-11);
}

TEST_CASE("matmul: a 2 x 2 product and its gradients by hand") {
    const Tensor a = tensor({1, 2, 3, 4}, {2, 2}, DType::Float64).requires_grad_();
    const Tensor b = tensor({5, 6, 7, 8}, {2, 2}, DType::Float64).requires_grad_();
    const Tensor c = matmul(a, b);
    CHECK(c.to_vector() == std::vector<double>{19, 22, 43, 50});
    sum(c).backward();
    // dA = 1 B^T: each row holds B's row sums; dB = A^T 1: each row holds a column sum of A.
    CHECK(a.grad().to_vector() == std::vector<double>{11, 15, 11, 15});
    CHECK(b.grad().to_vector() == std::vector<double>{4, 4, 6, 6});
}

TEST_CASE("matmul: x @ W.t() as in a Linear layer, and vector cases by hand") {
    const Tensor x = tensor({1, 2, 3}, {1, 3});
    const Tensor w = tensor({1, 0, 0, 0, 1, 1}, {2, 3});  // [out, in], used transposed
    CHECK(matmul(x, w.t()).to_vector() == std::vector<double>{1, 5});
    const Tensor v = tensor({1, 2, 3}, {3}, DType::Float64).requires_grad_();
    const Tensor u = tensor({4, 5, 6}, {3}, DType::Float64).requires_grad_();
    const Tensor dot = matmul(v, u);
    CHECK(dot.shape() == Shape{});
    CHECK(dot.item() == 32);
    dot.backward();
    CHECK(v.grad().to_vector() == std::vector<double>{4, 5, 6});
    CHECK(u.grad().to_vector() == std::vector<double>{1, 2, 3});
}

TEST_CASE("matmul: only the inputs that require grad get a gradient") {
    const Tensor a = tensor({1, 2, 3, 4}, {2, 2}).requires_grad_();
    const Tensor b = tensor({5, 6, 7, 8}, {2, 2});
    sum(matmul(a, b)).backward();
    CHECK(a.grad().defined());
    CHECK_FALSE(b.grad().defined());
    CHECK_FALSE(matmul(b, b).requires_grad());
}

TEST_CASE("matmul: errors name the shapes and what was expected") {
    const Tensor m = zeros({3, 4});
    CHECK_THROWS_WITH_AS(matmul(m, zeros({5, 6})),
                         "matmul: inner dimensions differ: [3, 4] @ [5, 6] (4 != 5)", Error);
    CHECK_THROWS_WITH_AS(matmul(zeros({3}), zeros({4})),
                         "matmul: inner dimensions differ: [3] @ [4] (3 != 4)", Error);
    CHECK_THROWS_WITH_AS(matmul(zeros({2, 3, 4}), zeros({5})),
                         "matmul: inner dimensions differ: [2, 3, 4] @ [5] (4 != 5)", Error);
    CHECK_THROWS_WITH_AS(matmul(scalar_tensor(2), zeros({3})),
                         "matmul: both operands need at least 1 dim, got [] float32 @ [3] float32",
                         Error);
    CHECK_THROWS_WITH_AS(matmul(zeros({2, 3, 4}), zeros({5, 4, 6})),
                         "matmul: batch dimensions differ: [2, 3, 4] @ [5, 4, 6] ([2] != [5]); "
                         "batches are not broadcast",
                         Error);
    CHECK_THROWS_WITH_AS(
        matmul(m, zeros({2, 4, 5})),
        doctest::Contains("batch dimensions differ: [3, 4] @ [2, 4, 5] ([] != [2])"), Error);
    CHECK_THROWS_WITH_AS(matmul(m, zeros({4, 2}, DType::Float64)),
                         "matmul: dtypes differ: [3, 4] float32 and [4, 2] float64 (convert one "
                         "with .to())",
                         Error);
    CHECK_THROWS_WITH_AS(matmul(zeros({3, 4}, DType::Int64), m),
                         "matmul: expected a float32 or float64 tensor, got [3, 4] int64", Error);
    CHECK_THROWS_WITH_AS(matmul(m, Tensor()), "matmul: got an undefined tensor", Error);
}
