#pragma once
// Random numbers: one default generator per thread that manual_seed() resets, local Generators for
// code that wants its own stream (gradcheck's upstream gradients), and factories named as in
// PyTorch.
//
// The bits come from std::mt19937_64, whose output the C++ standard fixes exactly; the
// conversions to uniform and normal values are our own, because the standard library's
// distributions differ between implementations. The same seed gives the same tensors everywhere.

#include <cstdint>
#include <optional>
#include <random>

#include "core/tensor.hpp"

namespace glimpse {

class Generator {
  public:
    // PyTorch's default seed: a program that never seeds still draws the same numbers each run.
    static constexpr uint64_t kDefaultSeed = 67280421310721ULL;

    explicit Generator(uint64_t seed = kDefaultSeed);
    void manual_seed(uint64_t seed);  // restarts the stream as if freshly made with this seed
    uint64_t initial_seed() const { return seed_; }

    // 64 random bits; inline, for the loops that draw one per element or two (dropout's mask).
    uint64_t bits() { return engine_(); }
    double uniform();       // [0, 1) with 53 random bits (every double of the form k / 2^53)
    float uniform_float();  // [0, 1) with 24 random bits, so rounding never reaches 1
    double normal();        // standard normal (mean 0, variance 1)
    int64_t integer(int64_t low, int64_t high);  // [low, high), each value equally likely

  private:
    uint64_t seed_;
    std::mt19937_64 engine_;
    std::optional<double> spare_normal_;  // Box-Muller makes normals in pairs
};

// The generator that every factory and dropout() use unless given another: one per thread, each
// starting from kDefaultSeed, so that two threads training two models never share a stream.
Generator& default_generator();
void manual_seed(uint64_t seed);  // seeds this thread's default_generator()

// Factories; each takes an optional generator last. Floating ones accept float32 or float64.
Tensor rand(const Shape& shape, DType dtype = DType::Float32,
            Generator& generator = default_generator());  // uniform [0, 1)
Tensor uniform(const Shape& shape, double low, double high, DType dtype = DType::Float32,
               Generator& generator = default_generator());  // uniform [low, high)
Tensor randn(const Shape& shape, DType dtype = DType::Float32,
             Generator& generator = default_generator());  // standard normal
Tensor randint(int64_t low, int64_t high, const Shape& shape,
               Generator& generator = default_generator());  // int64 in [low, high)
// 1 with probability p, else 0; any dtype (bool for masks).
Tensor bernoulli(const Shape& shape, double p, DType dtype = DType::Float32,
                 Generator& generator = default_generator());

}  // namespace glimpse
