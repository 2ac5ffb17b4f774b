#pragma once
// The fuzz targets: each reads arbitrary bytes as one kind of file and must either accept them
// or throw glimpse::Error. What it accepts must round-trip: written back out and read again, it
// gives the same thing. A crash, a sanitizer report, another exception or a broken round trip
// (__builtin_trap) is a bug. libFuzzer runs them (tests/fuzz/fuzz_main.cpp, `make fuzz`); the
// test suite replays the committed corpus, tests/fuzz/corpus/<name>/, through them.

#include <string_view>
#include <vector>

namespace glimpse::testing {

void fuzz_checkpoint(std::string_view bytes);  // safetensors (nn/safetensors.hpp)
void fuzz_tsv(std::string_view bytes);         // a parallel corpus (decode/tsv.hpp)
void fuzz_vocab(std::string_view bytes);       // a vocabulary file (decode/vocab.hpp)
void fuzz_config(std::string_view bytes);      // a checkpoint's config.txt (seq2seq_checkpoint)

struct FuzzTarget {
    const char* name;  // as in `make fuzz FUZZ_TARGETS=tsv` and tests/fuzz/corpus/<name>/
    void (*run)(std::string_view bytes);
};
const std::vector<FuzzTarget>& fuzz_targets();

}  // namespace glimpse::testing
