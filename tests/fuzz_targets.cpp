#include "tests/fuzz_targets.hpp"

#include <string>

#include "core/error.hpp"
#include "decode/seq2seq_checkpoint.hpp"
#include "decode/tsv.hpp"
#include "decode/vocab.hpp"
#include "nn/safetensors.hpp"

namespace glimpse::testing {

namespace {

// Runs `read` on the bytes; a refusal (glimpse::Error) ends the input, anything it accepts goes
// on to `round_trip`, which must hold.
template <typename Read, typename RoundTrip>
void accept_or_refuse(Read read, RoundTrip round_trip) {
    decltype(read()) accepted;
    try {
        accepted = read();
    } catch (const Error&) {
        return;
    }
    if (!round_trip(accepted)) __builtin_trap();
}

std::string tsv_text(const std::vector<decode::Example>& examples) {
    std::string text;
    for (const decode::Example& e : examples) text += e.source + "\t" + e.target + "\n";
    return text;
}

}  // namespace

void fuzz_checkpoint(std::string_view bytes) {
    accept_or_refuse([&] { return nn::parse_safetensors(bytes); },
                     [](const nn::TensorFile& file) {
                         const std::string once =
                             nn::serialize_safetensors(file.tensors, file.metadata);
                         const nn::TensorFile again = nn::parse_safetensors(once);
                         return nn::serialize_safetensors(again.tensors, again.metadata) == once;
                     });
}

void fuzz_tsv(std::string_view bytes) {
    accept_or_refuse([&] { return decode::parse_tsv(bytes, "fuzz.tsv"); },
                     [](const std::vector<decode::Example>& examples) {
                         const std::string text = tsv_text(examples);
                         return tsv_text(decode::parse_tsv(text, "again.tsv")) == text;
                     });
}

void fuzz_vocab(std::string_view bytes) {
    accept_or_refuse([&] { return decode::Vocab::parse(bytes, "fuzz.vocab"); },
                     [](const decode::Vocab& vocab) {
                         for (int64_t id = 0; id < vocab.size(); ++id) {
                             if (vocab.id(vocab.token(id)) != id) return false;
                         }
                         return decode::Vocab::parse(vocab.file_text(), "again.vocab") == vocab;
                     });
}

void fuzz_config(std::string_view bytes) {
    accept_or_refuse([&] { return decode::parse_config_text(std::string(bytes), "config.txt"); },
                     [](const std::pair<decode::Seq2SeqConfig, decode::CheckpointNotes>& read) {
                         const std::string once = decode::config_text(read.first, read.second);
                         const auto again = decode::parse_config_text(once, "again.txt");
                         return decode::config_text(again.first, again.second) == once;
                     });
}

const std::vector<FuzzTarget>& fuzz_targets() {
    static const std::vector<FuzzTarget> targets = {{"checkpoint", fuzz_checkpoint},
                                                    {"tsv", fuzz_tsv},
                                                    {"vocab", fuzz_vocab},
                                                    {"config", fuzz_config}};
    return targets;
}

}  // namespace glimpse::testing
