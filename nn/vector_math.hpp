#pragma once
// sigmoid and tanh for the fused recurrent kernels, written so that the compiler vectorises them.
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

}  // namespace glimpse::nn::vector_math
