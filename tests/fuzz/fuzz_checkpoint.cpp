// libFuzzer target for the checkpoint parser (nn/safetensors.hpp): feeds it arbitrary bytes.
// Every input must either parse or throw glimpse::Error; a crash, a sanitizer report or any other
// exception is a bug. An input that parses must also round-trip: written out and parsed again,
// it gives the same bytes the second time as the first.
//
// Build and run from the repository root (what `make fuzz` does), stopping after 60 seconds:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fopenmp -I. -o
//       build/fuzz/fuzz_checkpoint tests/fuzz/fuzz_checkpoint.cpp nn/safetensors.cpp core/*.cpp
//       -lfmt
//   mkdir -p build/fuzz/corpus
//   build/fuzz/fuzz_checkpoint -max_total_time=60 -dict=tests/fuzz/safetensors.dict
//       build/fuzz/corpus tests/golden
// New inputs go to build/fuzz/corpus; tests/golden seeds it with two real checkpoints.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "nn/safetensors.hpp"

using glimpse::nn::parse_safetensors;
using glimpse::nn::serialize_safetensors;
using glimpse::nn::TensorFile;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    TensorFile file;
    try {
        file = parse_safetensors(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const glimpse::Error&) {
        return 0;  // refused, with a message: what a corrupt file should get
    }
    const std::string once = serialize_safetensors(file.tensors, file.metadata);
    const TensorFile again = parse_safetensors(once);
    if (serialize_safetensors(again.tensors, again.metadata) != once) __builtin_trap();
    return 0;
}
