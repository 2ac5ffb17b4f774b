// Tests of core/gemm: every shape, transpose and leading dimension against a naive triple loop.
//
// The fast GEMM has many paths (a matrix-vector product for a single row or column of C, dot
// products for tiny products, packed and blocked, split over the cores) and many edges (partial
// register tiles, partial cache blocks). The shapes below are chosen to land on each of them: 0
// and 1, odd sizes, and sizes just below, at and just above the tile (MR = 12 rows, NR = 32
// float or 16 double columns) and the blocks (MC = 96, KC = 512, NC = 4096). The same shapes
// run again with B packed beforehand (PackedMatrix).

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/gemm.hpp"

namespace {

using glimpse::kernels::gemm;
using glimpse::kernels::PackedMatrix;

// One test problem: C[m, n] (+)= op(A) @ op(B), each matrix stored with `padding` extra
// columns beyond its width.
struct Shape {
    int64_t m, n, k;
    bool trans_a = false;
    bool trans_b = false;
    bool accumulate = false;
    int64_t padding = 0;
    bool packed_b = false;  // B packed into a PackedMatrix first
};

// A row-major matrix of `rows` x `cols` with leading dimension ld >= cols.
template <typename T>
struct Stored {
    int64_t rows, cols, ld;
    std::vector<T> data;

    T at(int64_t i, int64_t j) const { return data[i * ld + j]; }
};

// A matrix with values uniform in [-1, 1] and `padding` extra columns holding `filler`, so that
// reading the padding (NaN) or writing it (a sentinel) shows.
template <typename T>
Stored<T> random_matrix(int64_t rows, int64_t cols, int64_t padding, T filler, std::mt19937& rng) {
    const int64_t ld = cols + padding;
    Stored<T> x{rows, cols, ld, std::vector<T>(rows * ld, filler)};
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < cols; ++j) x.data[i * ld + j] = static_cast<T>(uniform(rng));
    }
    return x;
}

// Element (i, j) of op(X), where X is stored transposed when `trans`.
template <typename T>
double op_at(const Stored<T>& x, bool trans, int64_t i, int64_t j) {
    return trans ? x.at(j, i) : x.at(i, j);
}

struct Errors {
    double max_error = 0;        // largest |C - reference| inside the m x n window
    bool padding_intact = true;  // C's padding still holds its sentinel
};

// Runs gemm on random data and compares it with the triple loop in double.
template <typename T>
Errors run_against_reference(const Shape& s, std::mt19937& rng) {
    const T nan = std::numeric_limits<T>::quiet_NaN();
    const T sentinel = T(12345);
    const Stored<T> a = s.trans_a ? random_matrix(s.k, s.m, s.padding, nan, rng)
                                  : random_matrix(s.m, s.k, s.padding, nan, rng);
    const Stored<T> b = s.trans_b ? random_matrix(s.n, s.k, s.padding, nan, rng)
                                  : random_matrix(s.k, s.n, s.padding, nan, rng);
    Stored<T> c = random_matrix(s.m, s.n, s.padding, sentinel, rng);
    if (!s.accumulate) {
        // C's old values must not matter, not even NaN.
        for (int64_t i = 0; i < s.m; ++i) {
            for (int64_t j = 0; j < s.n; ++j) c.data[i * c.ld + j] = nan;
        }
    }
    const Stored<T> c_before = c;

    if (s.packed_b) {
        const PackedMatrix<T> packed(s.trans_b, s.k, s.n, b.data.data(), b.ld);
        gemm<T>(s.trans_a, s.m, a.data.data(), a.ld, packed, c.data.data(), c.ld, s.accumulate);
    } else {
        gemm<T>(s.trans_a, s.trans_b, s.m, s.n, s.k, a.data.data(), a.ld, b.data.data(), b.ld,
                c.data.data(), c.ld, s.accumulate);
    }

    Errors errors;
    for (int64_t i = 0; i < s.m; ++i) {
        for (int64_t j = 0; j < s.n; ++j) {
            double expected = s.accumulate ? c_before.at(i, j) : 0.0;
            for (int64_t p = 0; p < s.k; ++p) {
                expected += op_at(a, s.trans_a, i, p) * op_at(b, s.trans_b, p, j);
            }
            const double error = std::abs(c.at(i, j) - expected);
            // NaN must count as a failure, and std::max would drop it.
            errors.max_error = std::isnan(error) ? error : std::max(errors.max_error, error);
        }
        for (int64_t j = s.n; j < c.ld; ++j) {
            errors.padding_intact = errors.padding_intact && c.at(i, j) == sentinel;
        }
    }
    return errors;
}

// A sum of k products of values in [-1, 1] (plus C's old value) has a rounding error of a few
// epsilon times k at worst in practice.
template <typename T>
double tolerance(int64_t k) {
    return 4.0 * static_cast<double>(k + 1) * std::numeric_limits<T>::epsilon();
}

template <typename T>
void check_against_reference(const Shape& s, std::mt19937& rng) {
    INFO("m=", s.m, " n=", s.n, " k=", s.k, " trans_a=", s.trans_a, " trans_b=", s.trans_b,
         " accumulate=", s.accumulate, " padding=", s.padding, " packed_b=", s.packed_b);
    const Errors errors = run_against_reference<T>(s, rng);
    CHECK(errors.max_error <= tolerance<T>(s.k));
    CHECK(errors.padding_intact);
}

// Every combination of the two transposes and of accumulate, for one shape.
template <typename T>
void check_all_variants(int64_t m, int64_t n, int64_t k, int64_t padding, std::mt19937& rng,
                        bool packed_b = false) {
    for (const bool trans_a : {false, true}) {
        for (const bool trans_b : {false, true}) {
            for (const bool accumulate : {false, true}) {
                check_against_reference<T>(
                    {m, n, k, trans_a, trans_b, accumulate, padding, packed_b}, rng);
            }
        }
    }
}

}  // namespace

TEST_CASE_TEMPLATE("gemm: small shapes, all combinations", T, float, double) {
    std::mt19937 rng(1);
    const int64_t sizes[] = {0, 1, 2, 3, 7, 12, 13, 17, 33};
    for (const int64_t m : sizes) {
        for (const int64_t n : sizes) {
            for (const int64_t k : sizes) check_all_variants<T>(m, n, k, (m + n + k) % 3, rng);
        }
    }
}

TEST_CASE_TEMPLATE("gemm: shapes straddling the register tile and the cache blocks", T, float,
                   double) {
    std::mt19937 rng(2);
    // The last rows of C go to kernels of 4, 8 or 12 rows: 16, 20, 21 and 68 rows end in 4, 8,
    // 9 and 8 rows.
    struct Size {
        int64_t m, n, k;
    };
    const Size shapes[] = {
        {11, 31, 511}, {12, 32, 512},   {13, 33, 513}, {24, 16, 100}, {25, 17, 1030}, {95, 65, 40},
        {96, 64, 41},  {97, 63, 42},    {193, 20, 30}, {64, 256, 64}, {1, 700, 300},  {700, 1, 300},
        {300, 300, 1}, {3, 4097, 5},    {2, 8200, 3},  {6, 6, 6},     {7, 6, 6},      {2, 2, 60},
        {64, 64, 2},   {120, 128, 127}, {16, 40, 70},  {20, 33, 9},   {21, 64, 65},   {68, 100, 33},
    };
    for (const bool packed_b : {false, true}) {
        for (const Size& s : shapes) check_all_variants<T>(s.m, s.n, s.k, 5, rng, packed_b);
    }
}

TEST_CASE_TEMPLATE("gemm: B packed beforehand, small shapes and the edge cases", T, float, double) {
    std::mt19937 rng(4);
    const int64_t sizes[] = {0, 1, 5, 12, 13, 33};
    for (const int64_t m : sizes) {
        for (const int64_t n : sizes) {
            for (const int64_t k : sizes) check_all_variants<T>(m, n, k, 1, rng, true);
        }
    }
}

TEST_CASE("gemm: one packed B serves many products, and holds a copy of B") {
    std::mt19937 rng(5);
    Stored<float> b = random_matrix<float>(40, 70, 0, 0.0f, rng);  // [k, n]
    const PackedMatrix<float> packed(false, 40, 70, b.data.data(), b.ld);
    const std::vector<float> original = b.data;
    for (float& v : b.data) v = 0.0f;  // B's own storage may change: the packed copy stays
    for (int trial = 0; trial < 3; ++trial) {
        const Stored<float> a = random_matrix<float>(9, 40, 0, 0.0f, rng);
        std::vector<float> via_packed(9 * 70), direct(9 * 70);
        gemm<float>(false, 9, a.data.data(), a.ld, packed, via_packed.data(), 70, false);
        gemm<float>(false, false, 9, 70, 40, a.data.data(), a.ld, original.data(), 70,
                    direct.data(), 70, false);
        for (std::size_t i = 0; i < direct.size(); ++i) {
            CHECK(via_packed[i] == doctest::Approx(direct[i]).epsilon(1e-5));
        }
    }
}

TEST_CASE_TEMPLATE("gemm: large products split over the cores", T, float, double) {
    std::mt19937 rng(3);
    // Taller than wide (split by rows), wider than tall (split by columns), square and odd,
    // and long enough in k for two cache blocks.
    check_all_variants<T>(200, 130, 90, 3, rng);
    check_all_variants<T>(130, 200, 90, 0, rng);
    check_all_variants<T>(151, 151, 151, 1, rng);
    check_all_variants<T>(100, 60, 600, 2, rng);
    check_all_variants<T>(130, 200, 90, 0, rng, true);
    check_all_variants<T>(200, 130, 600, 1, rng, true);
}

TEST_CASE("gemm: k == 0 gives zeros, or leaves C as it was when accumulating") {
    std::vector<float> c = {std::nanf(""), 2.0f, 3.0f, 4.0f};
    gemm<float>(false, false, 2, 2, 0, nullptr, 0, nullptr, 2, c.data(), 2, false);
    CHECK(c == std::vector<float>{0.0f, 0.0f, 0.0f, 0.0f});

    std::vector<double> d = {1.0, 2.0, 3.0, 4.0};
    gemm<double>(true, true, 2, 2, 0, nullptr, 2, nullptr, 0, d.data(), 2, true);
    CHECK(d == std::vector<double>{1.0, 2.0, 3.0, 4.0});
}

TEST_CASE("gemm: m == 0 or n == 0 touches nothing") {
    std::vector<float> c = {7.0f};
    const std::vector<float> a = {1.0f}, b = {1.0f};
    gemm<float>(false, false, 0, 1, 1, a.data(), 1, b.data(), 1, c.data(), 1, false);
    gemm<float>(false, false, 1, 0, 1, a.data(), 1, b.data(), 1, c.data(), 1, false);
    CHECK(c[0] == 7.0f);
}

TEST_CASE("gemm: a known 2 x 3 @ 3 x 2 product") {
    const std::vector<double> a = {1, 2, 3, 4, 5, 6};
    const std::vector<double> b = {7, 8, 9, 10, 11, 12};
    std::vector<double> c(4);
    gemm<double>(false, false, 2, 2, 3, a.data(), 3, b.data(), 2, c.data(), 2, false);
    CHECK(c == std::vector<double>{58, 64, 139, 154});
    // Through both transposes: b stored [3, 2] read as b^T, a stored [2, 3] read as a^T, and
    // b^T @ a^T = (a @ b)^T.
    gemm<double>(true, true, 2, 2, 3, b.data(), 2, a.data(), 3, c.data(), 2, false);
    CHECK(c == std::vector<double>{58, 139, 64, 154});
}
