// Every input of the committed fuzz corpus (tests/fuzz/corpus/<target>/: the seeds, and what
// `make fuzz` found that reached new code) replayed through its fuzz target
// (tests/fuzz_targets.hpp), so that what the fuzzers proved stays proved without clang.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/file_io.hpp"
#include "tests/fuzz_targets.hpp"

namespace fs = std::filesystem;

TEST_CASE("fuzz corpus: every input is accepted and round-trips, or refused with an Error") {
    for (const glimpse::testing::FuzzTarget& target : glimpse::testing::fuzz_targets()) {
        const fs::path folder = fs::path("tests/fuzz/corpus") / target.name;
        REQUIRE_MESSAGE(fs::is_directory(folder), folder.string(), " is missing");
        int inputs = 0;
        for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
            INFO(entry.path().string());
            const std::string bytes = glimpse::read_file(entry.path().string(), "fuzz corpus");
            CHECK_NOTHROW(target.run(bytes));
            ++inputs;
        }
        INFO(target.name);
        CHECK(inputs > 0);
    }
}
