#include "decode/token_constraint.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace glimpse::decode {

ForcedOutput::ForcedOutput(std::vector<std::vector<int64_t>> outputs, int64_t eos)
    : outputs_(std::move(outputs)), eos_(eos) {}

std::vector<int64_t> ForcedOutput::allowed_tokens(int64_t sentence,
                                                  const std::vector<int64_t>& prefix) const {
    if (sentence < 0 || sentence >= static_cast<int64_t>(outputs_.size())) {
        throw Error(fmt::format("ForcedOutput: sentence {} of the batch, but {} outputs were given",
                                sentence, outputs_.size()));
    }
    const std::vector<int64_t>& output = outputs_[static_cast<std::size_t>(sentence)];
    const std::size_t t = prefix.size();
    if (t < output.size()) return {output[t]};
    if (t == output.size()) return {eos_};
    return {};
}

}  // namespace glimpse::decode
