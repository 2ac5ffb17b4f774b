#include "attention/batched_products.hpp"

#include <fmt/format.h>

#include <vector>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/vector_math.hpp"

namespace glimpse::attention {

namespace {

// The three loops, on contiguous data: rows [B, S, H], per_row [B, S], vector [B, H]. Each is
// a struct so that run() can take it whole and pick its element type later.

// per_row[b, s] = rows[b, s, :] . vector[b, :]
struct RowDots {
    template <typename T>
    void operator()(const T* rows, const T* vector, T* per_row, int64_t B, int64_t S,
                    int64_t H) const {
        for (int64_t b = 0; b < B; ++b) {
            const T* x = vector + b * H;
            for (int64_t s = 0; s < S; ++s) {
                per_row[b * S + s] = nn::vector_math::dot(rows + (b * S + s) * H, x, H);
            }
        }
    }
};

// vector[b, :] = sum_s per_row[b, s] rows[b, s, :]
struct WeightedSums {
    template <typename T>
    void operator()(const T* per_row, const T* rows, T* vector, int64_t B, int64_t S,
                    int64_t H) const {
        for (int64_t b = 0; b < B; ++b) {
            T* out = vector + b * H;
            for (int64_t h = 0; h < H; ++h) out[h] = 0;
            for (int64_t s = 0; s < S; ++s) {
                const T w = per_row[b * S + s];
                const T* row = rows + (b * S + s) * H;
#pragma omp simd
                for (int64_t h = 0; h < H; ++h) out[h] += w * row[h];
            }
        }
    }
};

// rows[b, s, :] = per_row[b, s] vector[b, :], or += when `add` (into a gradient summed so far)
struct OuterProducts {
    bool add = false;
    template <typename T>
    void operator()(const T* per_row, const T* vector, T* rows, int64_t B, int64_t S,
                    int64_t H) const {
        for (int64_t b = 0; b < B; ++b) {
            const T* x = vector + b * H;
            for (int64_t s = 0; s < S; ++s) {
                const T w = per_row[b * S + s];
                T* row = rows + (b * S + s) * H;
                if (add) {
#pragma omp simd
                    for (int64_t h = 0; h < H; ++h) row[h] += w * x[h];
                } else {
#pragma omp simd
                    for (int64_t h = 0; h < H; ++h) row[h] = w * x[h];
                }
            }
        }
    }
};

// Runs `loop` on contiguous copies (or the tensors themselves, when contiguous already) of its
// two inputs, into `out` (contiguous).
template <typename Loop>
void run_into(Loop loop, const Tensor& first, const Tensor& second, const Tensor& out, int64_t B,
              int64_t S, int64_t H) {
    const Tensor a = first.detach().contiguous();
    const Tensor b = second.detach().contiguous();
    dispatch_floating(a.dtype(), [&](auto zero) {
        using T = decltype(zero);
        loop(a.data<T>(), b.data<T>(), out.data<T>(), B, S, H);
    });
}

// The same into a new tensor of shape `out_shape`.
template <typename Loop>
Tensor run(Loop loop, const Tensor& first, const Tensor& second, const Shape& out_shape, int64_t B,
           int64_t S, int64_t H) {
    const Tensor out = empty(out_shape, first.dtype());
    run_into(loop, first, second, out, B, S, H);
    return out;
}

// The gradient [B, S, H] for input `input` of a backward, outer products per_row [B, S] x
// vector [B, H]. The keys and values are read at every decoder step: when the engine holds the
// sum of the steps after this one, the products go straight into it (add_to_gradient) and the
// gradient returned is undefined.
Tensor outer_products_gradient(std::size_t input, const Tensor& per_row, const Tensor& vector,
                               int64_t B, int64_t S, int64_t H) {
    const bool added = add_to_gradient(input, [&](const Tensor& sum) {
        run_into(OuterProducts{.add = true}, per_row, vector, sum, B, S, H);
    });
    return added ? Tensor() : run(OuterProducts{}, per_row, vector, {B, S, H}, B, S, H);
}

// rows must be [B, S, H]; `other` [B, S] (by_position) or [B, H]; one floating dtype.
void check_rows(const char* op, const Tensor& rows, const Tensor& other, bool by_position) {
    check_floating(op, rows);
    check_floating(op, other);
    check_same_dtype(op, rows, other);
    const bool fits = rows.dim() == 3 && other.dim() == 2 && other.size(0) == rows.size(0) &&
                      other.size(1) == rows.size(by_position ? 1 : 2);
    if (!fits) {
        throw Error(fmt::format("{}: {} and {} must be {}", op, describe(rows), describe(other),
                                by_position ? "[B, S, H] and [B, S]" : "[B, S, H] and [B, H]"));
    }
}

}  // namespace

Tensor dot_scores(const Tensor& keys, const Tensor& query) {
    check_rows("dot_scores: keys and query", keys, query, false);
    const int64_t B = keys.size(0), S = keys.size(1), H = keys.size(2);
    const Tensor scores = run(RowDots{}, keys, query, {B, S}, B, S, H);
    return record("dot_scores", {keys, query}, scores,
                  [keys = keys.detach(), query = query.detach(), B, S, H](const Tensor& g) {
                      return std::vector{outer_products_gradient(0, g, query, B, S, H),
                                         run(WeightedSums{}, g, keys, {B, H}, B, S, H)};
                  });
}

Tensor attend(const Tensor& weights, const Tensor& values) {
    check_rows("attend: values and weights", values, weights, true);
    const int64_t B = values.size(0), S = values.size(1), H = values.size(2);
    const Tensor context = run(WeightedSums{}, weights, values, {B, H}, B, S, H);
    return record("attend", {weights, values}, context,
                  [weights = weights.detach(), values = values.detach(), B, S, H](const Tensor& g) {
                      return std::vector{run(RowDots{}, values, g, {B, S}, B, S, H),
                                         outer_products_gradient(1, weights, g, B, S, H)};
                  });
}

}  // namespace glimpse::attention
