// libFuzzer's entry point for one target of tests/fuzz_targets.hpp, chosen when compiling:
// `make fuzz` builds build/fuzz/fuzz_<name> with -DFUZZ_TARGET=fuzz_<name>.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    glimpse::testing::FUZZ_TARGET(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
