#pragma once
// A short, complete training run of a seq2seq model, as the determinism and threading tests
// (tests/test_determinism.cpp) repeat it: everything random in it comes from the seed.

#include <cstdint>
#include <vector>

namespace glimpse::testing {

struct TrainingRun {
    uint64_t seed = 1;  // weights, dropout, scheduled sampling, the data and its order
    int64_t steps = 20;
    int64_t hidden_size = 32;
};

// The loss of every step, as computed (float32 values, exactly).
std::vector<float> training_losses(const TrainingRun& run);

}  // namespace glimpse::testing
