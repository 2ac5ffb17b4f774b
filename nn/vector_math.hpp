#pragma once
// sigmoid, tanh and dot for the fused recurrent kernels and attention, written so that the
// compiler vectorises them.
//
// The C library's expf and tanhf are calls the compiler cannot turn into vector instructions,
// so a loop over a row of gates computes one element at a time. Here exp is plain arithmetic
// (no calls, no branches): the loops of nn/*_fused.hpp then run 16 floats per instruction with
// AVX-512, which makes the elementwise part of an LSTM step several times faster.
//
// The loops that call them carry `#pragma omp simd`: at -O2 GCC only vectorises loops whose
// length it knows, and the pragma tells it to vectorise this one anyway.
//
// float gets these approximations (within a few units in the last place of std::exp and
// std::tanh, see tests/test_vector_math.cpp); double, used by gradient checks and golden tests,
// keeps the C library's functions, the same ones core's sigmoid and tanh use.

#include <bit>
#include <cmath>
#include <cstdint>

namespace glimpse::nn::vector_math {

// e^x, the Cephes way: x = k ln2 + r with |r| <= ln2/2, so e^x = 2^k e^r; e^r from a degree-7
// polynomial, 2^k written straight into a float's exponent bits. Only arithmetic and selects:
// std::clamp, std::fmin and std::floor would each keep GCC from vectorising the loop.
inline float exp(float x) {
    // Beyond these bounds e^x leaves float's normal range: clamping saturates it instead.
    x = x > 88.3f ? 88.3f : x;
    x = x < -87.3f ? -87.3f : x;
    // k = round(x / ln2): adding and subtracting 1.5 * 2^23 rounds a float to an integer.
    const float k = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
    // r = x - k ln2, with ln2 split in two so that k * 0.693359375 is exact (Cody and Waite).
    const float r = (x - k * 0.693359375f) + k * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float exp_r = p * r * r + r + 1.0f;
    const float two_to_k = std::bit_cast<float>((static_cast<int32_t>(k) + 127) << 23);
    return exp_r * two_to_k;
}

inline float sigmoid(float x) {
    return 1.0f / (1.0f + vector_math::exp(-x));
}

// Near 0, 1 - 2 / (e^2x + 1) would lose digits to cancellation, so there tanh is an odd
// polynomial (Cephes tanhf). Both sides are computed and one is picked: no branch to vectorise.
inline float tanh(float x) {
    const float a = std::abs(x);
    const float z = x * x;
    const float near_zero =
        ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z +
          1.33314422036e-1f) *
             z -
         3.33332819422e-1f) *
            z * x +
        x;
    const float far = std::copysign(1.0f - 2.0f / (vector_math::exp(2.0f * a) + 1.0f), x);
    return a < 0.625f ? near_zero : far;
}

inline double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

inline double tanh(double x) {
    return std::tanh(x);
}

// The sum of kWidth partial sums, halving the width at each step (8 + 8, then 4 + 4, ...): each
// step is a loop of fixed length, which the compiler turns into one vector add.
template <int64_t kWidth, typename T>
T sum_lanes(T* lanes) {
    if constexpr (kWidth == 1) {
        return lanes[0];
    } else {
        for (int64_t j = 0; j < kWidth / 2; ++j) lanes[j] += lanes[j + kWidth / 2];
        return sum_lanes<kWidth / 2>(lanes);
    }
}

// x . y over n elements. `#pragma omp simd reduction(+ : total)` vectorises a dot product too,
// but GCC then adds its 16 partial sums one after another through memory: on attention's short
// rows (64 elements, 4 vector steps) that costs more than the products. Here the partial sums
// are an array of one vector's width, added up pairwise at the end (sum_lanes).
template <typename T>
T dot(const T* x, const T* y, int64_t n) {
    constexpr int64_t kLanes = 64 / sizeof(T);  // one 512-bit vector of T
    T lanes[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        for (int64_t j = 0; j < kLanes; ++j) lanes[j] += x[i + j] * y[i + j];
    }
    T total = sum_lanes<kLanes>(lanes);
    for (; i < n; ++i) total += x[i] * y[i];
    return total;
}

}  // namespace glimpse::nn::vector_math
