// Assignment a5: nucleus (top-p) sampling. The rule and what is checked are in
// a5_top_p_sampling.hpp. Run the checks with `make check A=5`.

#include "tutorials/coursework/a5_top_p_sampling.hpp"

namespace coursework {

using namespace glimpse;

std::vector<decode::Hypothesis> sample_top_p(decode::StepModel& model, const TopPOptions& options,
                                             Generator& generator) {
    // TODO(a5): check top_p; one row per sentence; step, draw from each row's nucleus, let
    // finished rows leave with select_rows, until no row is left.
    (void)model, (void)options, (void)generator;
    throw Error("a5: not implemented: sample_top_p");
}

}  // namespace coursework
