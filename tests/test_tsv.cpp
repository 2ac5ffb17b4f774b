// Tests of decode/tsv.cpp: the parallel-corpus loader, on good and malformed input.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "decode/tsv.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

bool same(const std::vector<Example>& got, const std::vector<Example>& expected) {
    if (got.size() != expected.size()) return false;
    for (std::size_t i = 0; i < got.size(); ++i) {
        if (got[i].source != expected[i].source || got[i].target != expected[i].target) {
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("tsv: one pair a line; an Anki export's attribution column is ignored") {
    const std::string anki =
        "Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM)\n"
        "Hi.\tSalut !\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM)\n";
    CHECK(same(parse_tsv(anki, "t"), {{"Go.", "Va !"}, {"Hi.", "Salut !"}}));
    CHECK(same(parse_tsv("a b\tc d", "t"), {{"a b", "c d"}}));  // no final newline
}

TEST_CASE("tsv: CRLF line ends, a byte order mark, blank lines and spaces around sentences") {
    const std::string text =
        "\xEF\xBB\xBF"
        "Run!\tCours\xC2\xA0!\r\n"
        "\r\n"
        "  \n"
        " Who? \t Qui ? \r\n";
    CHECK(same(parse_tsv(text, "t"), {{"Run!", "Cours\xC2\xA0!"}, {"Who?", "Qui ?"}}));
}

TEST_CASE("tsv: malformed lines are listed by number in one error") {
    const std::string text =
        "ok\tfine\n"
        "no tab here\n"
        "\tonly target\n"
        "only source\t\n"
        "\t\n"
        "also ok\tfine\n"
        "spaces only\t   \r\n";
    CHECK_THROWS_WITH_AS(parse_tsv(text, "tsv pairs.tsv"),
                         "tsv pairs.tsv: 5 malformed lines (expected source<TAB>target):\n"
                         "  line 2: no tab between source and target\n"
                         "  line 3: empty source\n"
                         "  line 4: empty target\n"
                         "  line 5: empty source and target\n"
                         "  line 7: empty target",
                         Error);
}

TEST_CASE("tsv: a long list of malformed lines shows the first ten and counts the rest") {
    std::string text;
    for (int i = 0; i < 25; ++i) text += "no tab\n";
    CHECK_THROWS_WITH_AS(parse_tsv(text, "t"),
                         doctest::Contains("t: 25 malformed lines (expected source<TAB>target):\n"
                                           "  line 1: no tab"),
                         Error);
    CHECK_THROWS_WITH_AS(parse_tsv(text, "t"),
                         doctest::Contains("  line 10: no tab between source and target\n"
                                           "  ... and 15 more"),
                         Error);
    CHECK_THROWS_WITH_AS(parse_tsv("x\n", "t"),
                         "t: 1 malformed line (expected source<TAB>target):\n"
                         "  line 1: no tab between source and target",
                         Error);
}

TEST_CASE("tsv: an empty file is an error; so is a missing one, naming it") {
    CHECK_THROWS_WITH_AS(parse_tsv("", "t"), "t: no sentence pairs", Error);
    CHECK_THROWS_WITH_AS(parse_tsv("\xEF\xBB\xBF\r\n\n", "t"), "t: no sentence pairs", Error);
    CHECK_THROWS_WITH_AS(load_tsv("no/such/pairs.tsv"),
                         doctest::Contains("tsv no/such/pairs.tsv: cannot open"), Error);
}

TEST_CASE("tsv: load_tsv reads a file and names it in errors") {
    const std::string path =
        (std::filesystem::temp_directory_path() / "glimpse_test_pairs.tsv").string();
    write_file_atomically(path, "I see.\tJe vois.\nbad\n", "test");
    CHECK_THROWS_WITH_AS(load_tsv(path),
                         ("tsv " + path +
                          ": 1 malformed line (expected source<TAB>target):\n"
                          "  line 2: no tab between source and target")
                             .c_str(),
                         Error);
    write_file_atomically(path, "I see.\tJe vois.\n", "test");
    CHECK(same(load_tsv(path), {{"I see.", "Je vois."}}));
    std::filesystem::remove(path);
}
