// Random numbers (see random.hpp): the generator's conversions from random bits to values, and the
// factories, which fill a fresh tensor in row-major order so that a seed fixes every element.

#include "core/random.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <type_traits>

#include "core/error.hpp"

namespace glimpse {

Generator::Generator(uint64_t seed) : seed_(seed), engine_(seed) {}

void Generator::manual_seed(uint64_t seed) {
    seed_ = seed;
    engine_.seed(seed);
    spare_normal_.reset();
}

double Generator::uniform() {
    return static_cast<double>(bits() >> 11) * 0x1.0p-53;
}

float Generator::uniform_float() {
    return static_cast<float>(bits() >> 40) * 0x1.0p-24f;
}

double Generator::normal() {
    if (spare_normal_) {
        const double z = *spare_normal_;
        spare_normal_.reset();
        return z;
    }
    // Box-Muller: two uniforms give two independent normals. 1 - u is in (0, 1]: log never sees 0.
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    const double angle = 2.0 * std::numbers::pi * uniform();
    spare_normal_ = radius * std::sin(angle);
    return radius * std::cos(angle);
}

int64_t Generator::integer(int64_t low, int64_t high) {
    if (low >= high) {
        throw Error(fmt::format("Generator::integer: low {} must be less than high {}", low, high));
    }
    const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
    // bits % range would favour small values; drawing again above the last whole multiple of
    // range keeps every value equally likely.
    constexpr uint64_t most = std::numeric_limits<uint64_t>::max();
    const uint64_t limit = most - most % range;
    uint64_t value = bits();
    while (value >= limit) value = bits();
    return static_cast<int64_t>(static_cast<uint64_t>(low) + value % range);
}

Generator& default_generator() {
    // One per thread: models built and trained in two threads at once draw from two streams,
    // each as it would alone, instead of racing on one.
    thread_local Generator generator;
    return generator;
}

void manual_seed(uint64_t seed) {
    default_generator().manual_seed(seed);
}

namespace {

// A fresh tensor of a floating dtype whose elements, in row-major order, are draw(T{}).
template <typename Draw>
Tensor fill_floating(const char* op, const Shape& shape, DType dtype, Draw draw) {
    if (!is_floating(dtype)) {
        throw Error(fmt::format("{}: dtype must be float32 or float64, got {} (shape {})", op,
                                dtype_name(dtype), shape_str(shape)));
    }
    Tensor out = empty(shape, dtype);
    dispatch_floating(dtype, [&](auto zero) {
        using T = decltype(zero);
        T* values = out.data<T>();
        for (int64_t i = 0; i < out.numel(); ++i) values[i] = draw(zero);
    });
    return out;
}

// Uniform [0, 1) in T's own precision: a double rounded to float could land on 1.
template <typename T>
T uniform_as(Generator& generator) {
    if constexpr (std::is_same_v<T, float>) {
        return generator.uniform_float();
    } else {
        return generator.uniform();
    }
}

}  // namespace

Tensor rand(const Shape& shape, DType dtype, Generator& generator) {
    return fill_floating("rand", shape, dtype,
                         [&generator](auto zero) { return uniform_as<decltype(zero)>(generator); });
}

Tensor uniform(const Shape& shape, double low, double high, DType dtype, Generator& generator) {
    if (!(std::isfinite(low) && std::isfinite(high) && low <= high)) {
        throw Error(
            fmt::format("uniform: expected finite low <= high, got low {} and high {}", low, high));
    }
    return fill_floating("uniform", shape, dtype, [&](auto zero) {
        using T = decltype(zero);
        const T top = static_cast<T>(high);
        const T value = static_cast<T>(low) + static_cast<T>(high - low) * uniform_as<T>(generator);
        // Rounding can land on high itself, which the half-open interval excludes.
        return value < top || low == high ? value : std::nextafter(top, static_cast<T>(low));
    });
}

Tensor randn(const Shape& shape, DType dtype, Generator& generator) {
    return fill_floating("randn", shape, dtype, [&generator](auto zero) {
        return static_cast<decltype(zero)>(generator.normal());
    });
}

Tensor randint(int64_t low, int64_t high, const Shape& shape, Generator& generator) {
    if (low >= high) {
        throw Error(fmt::format("randint: low {} must be less than high {} (shape {})", low, high,
                                shape_str(shape)));
    }
    Tensor out = empty(shape, DType::Int64);
    int64_t* values = out.data<int64_t>();
    for (int64_t i = 0; i < out.numel(); ++i) values[i] = generator.integer(low, high);
    return out;
}

Tensor bernoulli(const Shape& shape, double p, DType dtype, Generator& generator) {
    if (!(p >= 0.0 && p <= 1.0)) {
        throw Error(
            fmt::format("bernoulli: p must be in [0, 1], got {} (shape {})", p, shape_str(shape)));
    }
    Tensor out = empty(shape, dtype);
    dispatch_all(dtype, [&](auto zero) {
        using T = decltype(zero);
        T* values = out.data<T>();
        // Always a 53-bit uniform, so a seed gives the same mask in every dtype.
        for (int64_t i = 0; i < out.numel(); ++i) values[i] = generator.uniform() < p ? 1 : 0;
    });
    return out;
}

}  // namespace glimpse
