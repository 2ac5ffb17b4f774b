#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "tests/golden_reader.hpp"

using namespace glimpse;
using namespace glimpse::golden;

namespace {

// A golden file with the given text, removed again at the end of the test.
struct TempGolden {
    explicit TempGolden(const std::string& text)
        : path((std::filesystem::temp_directory_path() /
                ("glimpse_golden_" + std::to_string(getpid()) + ".txt"))
                   .string()) {
        std::ofstream(path) << text;
    }
    ~TempGolden() { std::filesystem::remove(path); }
    std::string path;
};

}  // namespace

TEST_CASE("golden reader: reads cases, params and tensors of every dtype") {
    TempGolden file(
        "# a comment\n"
        "\n"
        "case max/ties\n"
        "param dims 0 -1\n"
        "param keepdim true\n"
        "param reduction mean\n"
        "param value -inf\n"
        "tensor x float64 [2, 2]\n"
        "0.5 nan\n"
        "-inf 1e-05\n"
        "tensor index int64 [3]\n"
        "2 0 -100\n"
        "tensor mask bool [3]\n"
        "1 0 1\n"
        "tensor loss float64 []\n"
        "0.1\n"
        "tensor none float64 [0, 3]\n"
        "case dropout\n");
    const std::vector<Case> cases = load_golden(file.path);
    REQUIRE(cases.size() == 2);
    const Case& c = cases[0];
    CHECK(c.name == "max/ties");
    CHECK(c.runner() == "max");
    CHECK(cases[1].runner() == "dropout");
    CHECK(c.where == file.path + ":3");
    CHECK(c.integers("dims") == std::vector<int64_t>{0, -1});
    CHECK(c.flag("keepdim"));
    CHECK(c.word("reduction") == "mean");
    CHECK(c.number("value") == -INFINITY);

    const std::vector<double> x = c.tensor("x").to_vector();
    CHECK(c.tensor("x").dtype() == DType::Float64);
    CHECK(x[0] == 0.5);
    CHECK(std::isnan(x[1]));
    CHECK(x[2] == -INFINITY);
    CHECK(x[3] == 1e-05);
    CHECK(c.tensor("index").dtype() == DType::Int64);
    CHECK(c.tensor("index").to_vector() == std::vector<double>{2, 0, -100});
    CHECK(c.tensor("mask").dtype() == DType::Bool);
    CHECK(c.tensor("mask").to_vector() == std::vector<double>{1, 0, 1});
    CHECK(c.tensor("loss").shape() == Shape{});
    CHECK(c.tensor("loss").item() == 0.1);
    CHECK(c.tensor("none").shape() == Shape{0, 3});
}

TEST_CASE("golden reader: a malformed file is an error naming the file and line") {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"tensor x float64 [1]\n1\n", ":1: a tensor before the first case"},
        {"case a\nparam\n", ":2: expected 'param <name> <values...>'"},
        {"case a\nparam p 1\nparam p 2\n", ":3: param 'p' is given twice"},
        {"case a\ntensor x float16 [1]\n1\n", ":2: unknown dtype 'float16'"},
        {"case a\ntensor x float64 [2, -1]\n", ":2: bad extent '-1'"},
        {"case a\ntensor x float64 2, 3\n", ":2: expected 'tensor <name> <dtype> [<shape>]'"},
        {"case a\ntensor x float64 [2]\n1\ntensor y float64 [1]\n",
         ":4: tensor 'x' [2] has 1 of its 2 values"},
        {"case a\ntensor x float64 [2]\n1 2 3\n", ":3: tensor 'x' [2] has more than 2 values"},
        {"case a\ntensor x float64 [2]\n1 0.5x\n", ":3: '0.5x' is not a value of dtype float64"},
        {"case a\ntensor i int64 [1]\n1.5\n", ":3: '1.5' is not a value of dtype int64"},
        {"case a\ntensor m bool [1]\n2\n", ":3: '2' is not a value of dtype bool"},
        {"case a\ntensor x float64 [1]\n1\ntensor x float64 [1]\n2\n",
         ":4: tensor 'x' is given twice"},
        {"case a\ntensor x float64 [3]\n1\n",
         ":3: the file ends inside tensor 'x' (1 of 3 values)"},
        {"case a\nvalues 1 2\n", ":2: expected case, param or tensor, got 'values'"},
    };
    for (const auto& [text, message] : bad) {
        TempGolden file(text);
        CAPTURE(text);
        CHECK_THROWS_WITH_AS(load_golden(file.path),
                             doctest::Contains(("golden file " + file.path + message).c_str()),
                             Error);
    }
    CHECK_THROWS_WITH_AS(load_golden("no/such/file.txt"),
                         "golden file no/such/file.txt: cannot open it", Error);
}

TEST_CASE("golden reader: a missing or mistyped tensor or param names the case") {
    TempGolden file("case sum/dims\nparam dims 0 x\nparam keepdim yes\n");
    const Case c = load_golden(file.path).at(0);
    CHECK_THROWS_WITH_AS(c.tensor("out"), doctest::Contains("sum/dims"), Error);
    CHECK_THROWS_WITH_AS(c.integers("dims"), doctest::Contains("holds 'x', not an integer"), Error);
    CHECK_THROWS_WITH_AS(c.integer("dims"), doctest::Contains("missing or not one word"), Error);
    CHECK_THROWS_WITH_AS(c.flag("keepdim"), doctest::Contains("'yes', not true or false"), Error);
    CHECK_THROWS_WITH_AS(c.number("keepdim"), doctest::Contains("not a number"), Error);
    CHECK_THROWS_WITH_AS(c.number("dim"), doctest::Contains("missing"), Error);
}
