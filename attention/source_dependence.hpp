#pragma once
// A check for any scorer, yours included: do its weights look at the encoder states at all?
//
// A bug that makes attention ignore the source (scores from the query alone, a broadcast over
// the wrong dim, keys never read) still gives weights that sum to 1, and training still runs:
// the model just learns nothing from attention. This check runs one step twice, on the keys and
// on the same keys moved one position along S (a roll: the same set of vectors, each now at
// another position), and reports how much the weights moved on real (unmasked) positions.
// Content-based scorers move; a scorer that ignores the keys cannot.

#include <cstdint>
#include <string>

#include "attention/attention.hpp"

namespace glimpse::attention {

struct SourceDependence {
    bool depends = false;         // largest_change > tolerance
    double largest_change = 0.0;  // max |w(rolled keys) - w(keys)| over unmasked positions
    std::string summary() const;  // "weights depend on the keys (largest change 0.31)"
};

// query [B, Hq], keys [B, S, Hk] with S >= 2 and not all equal, values [B, S, Hv], mask [B, S]
// bool or undefined. Runs under no-grad.
SourceDependence check_source_dependence(const Attention& attention, const Tensor& query,
                                         const Tensor& keys, const Tensor& values,
                                         const Tensor& mask = Tensor(), int64_t step = 0,
                                         double tolerance = 1e-6);

}  // namespace glimpse::attention
