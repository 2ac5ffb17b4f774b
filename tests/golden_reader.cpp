#include "tests/golden_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/error.hpp"

namespace glimpse::golden {

namespace {

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::istringstream in{std::string(text)};
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

// The whole of `word` as a T, or nothing (from_chars reads inf, nan and exponents, and never
// depends on the locale).
template <typename T>
std::optional<T> parse_number(std::string_view word) {
    T value{};
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc() || end != word.data() + word.size()) return std::nullopt;
    return value;
}

std::optional<DType> parse_dtype(std::string_view word) {
    if (word == "float64") return DType::Float64;
    if (word == "int64") return DType::Int64;
    if (word == "bool") return DType::Bool;
    return std::nullopt;
}

// A tensor whose header has been read and whose values are still coming.
struct PendingTensor {
    std::string name;
    DType dtype;
    Shape shape;
    std::vector<double> values;
};

// Reads a golden file line by line, so that every error can say where it is.
class Parser {
  public:
    explicit Parser(std::string path) : path_(std::move(path)) {}

    std::vector<Case> parse(std::istream& in) {
        for (std::string line; std::getline(in, line);) {
            ++line_number_;
            const std::vector<std::string> words = split_words(line);
            if (words.empty() || words[0][0] == '#') continue;
            if (pending_) {
                read_values(words);
            } else if (words[0] == "case") {
                start_case(words);
            } else if (words[0] == "param") {
                read_param(words);
            } else if (words[0] == "tensor") {
                start_tensor(line);
            } else {
                fail(fmt::format("expected case, param or tensor, got '{}'", words[0]));
            }
        }
        if (pending_) {
            fail(fmt::format("the file ends inside tensor '{}' ({} of {} values)", pending_->name,
                             pending_->values.size(), numel(pending_->shape)));
        }
        return std::move(cases_);
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(fmt::format("golden file {}:{}: {}", path_, line_number_, what));
    }

    Case& current(const char* what) {
        if (cases_.empty()) fail(fmt::format("a {} before the first case", what));
        return cases_.back();
    }

    void start_case(const std::vector<std::string>& words) {
        if (words.size() != 2) fail("expected 'case <name>'");
        cases_.push_back(Case{words[1], fmt::format("{}:{}", path_, line_number_), {}, {}});
    }

    void read_param(const std::vector<std::string>& words) {
        if (words.size() < 2) fail("expected 'param <name> <values...>'");
        Case& c = current("param");
        if (c.has_param(words[1])) fail(fmt::format("param '{}' is given twice", words[1]));
        c.params[words[1]] = std::vector<std::string>(words.begin() + 2, words.end());
    }

    // "tensor <name> <dtype> [<extent>, <extent>, ...]"
    void start_tensor(const std::string& line) {
        const std::size_t open = line.find('[');
        const std::size_t close = line.find(']');
        const std::vector<std::string> words = split_words(line.substr(0, open));
        if (open == std::string::npos || close == std::string::npos || close < open ||
            words.size() != 3 || !split_words(line.substr(close + 1)).empty()) {
            fail("expected 'tensor <name> <dtype> [<shape>]'");
        }
        Case& c = current("tensor");
        if (c.has(words[1])) fail(fmt::format("tensor '{}' is given twice", words[1]));
        const std::optional<DType> dtype = parse_dtype(words[2]);
        if (!dtype) fail(fmt::format("unknown dtype '{}' (float64, int64 or bool)", words[2]));
        Shape shape;
        std::string extents = line.substr(open + 1, close - open - 1);
        std::replace(extents.begin(), extents.end(), ',', ' ');
        for (const std::string& word : split_words(extents)) {
            const std::optional<int64_t> extent = parse_number<int64_t>(word);
            if (!extent || *extent < 0) fail(fmt::format("bad extent '{}' in the shape", word));
            shape.push_back(*extent);
        }
        pending_ = PendingTensor{words[1], *dtype, shape, {}};
        finish_tensor_if_complete();
    }

    void read_values(const std::vector<std::string>& words) {
        PendingTensor& t = *pending_;
        const std::size_t expected = numel(t.shape);
        if (words[0] == "case" || words[0] == "param" || words[0] == "tensor") {
            fail(fmt::format("tensor '{}' {} has {} of its {} values", t.name, shape_str(t.shape),
                             t.values.size(), expected));
        }
        for (const std::string& word : words) {
            if (t.values.size() == expected) {
                fail(fmt::format("tensor '{}' {} has more than {} values", t.name,
                                 shape_str(t.shape), expected));
            }
            t.values.push_back(parse_value(word, t));
        }
        finish_tensor_if_complete();
    }

    double parse_value(const std::string& word, const PendingTensor& t) const {
        std::optional<double> value;
        if (t.dtype == DType::Float64) {
            value = parse_number<double>(word);
        } else if (t.dtype == DType::Bool) {
            if (word == "0" || word == "1") value = word == "1" ? 1.0 : 0.0;
        } else if (const std::optional<int64_t> integer = parse_number<int64_t>(word)) {
            // Values travel as double: exact up to 2^53, far beyond any index or target.
            if (std::abs(*integer) <= (int64_t{1} << 53)) value = static_cast<double>(*integer);
        }
        if (!value) {
            fail(fmt::format("'{}' is not a value of dtype {} (in tensor '{}')", word,
                             dtype_name(t.dtype), t.name));
        }
        return *value;
    }

    void finish_tensor_if_complete() {
        PendingTensor& t = *pending_;
        if (static_cast<int64_t>(t.values.size()) < numel(t.shape)) return;
        cases_.back().tensors[t.name] = glimpse::tensor(t.values, t.shape, t.dtype);
        pending_.reset();
    }

    std::string path_;
    int line_number_ = 0;
    std::vector<Case> cases_;
    std::optional<PendingTensor> pending_;
};

}  // namespace

std::string Case::runner() const {
    return name.substr(0, name.find('/'));
}

const Tensor& Case::tensor(const std::string& tensor_name) const {
    const auto found = tensors.find(tensor_name);
    if (found == tensors.end()) {
        throw Error(
            fmt::format("golden case {} ({}) has no tensor '{}'", name, where, tensor_name));
    }
    return found->second;
}

const std::string& Case::word(const std::string& param) const {
    const auto found = params.find(param);
    if (found == params.end() || found->second.size() != 1) {
        throw Error(fmt::format("golden case {} ({}): param '{}' is missing or not one word", name,
                                where, param));
    }
    return found->second[0];
}

double Case::number(const std::string& param) const {
    const std::optional<double> value = parse_number<double>(word(param));
    if (!value) {
        throw Error(
            fmt::format("golden case {} ({}): param '{}' is not a number", name, where, param));
    }
    return *value;
}

std::vector<int64_t> Case::integers(const std::string& param) const {
    const auto found = params.find(param);
    if (found == params.end()) {
        throw Error(fmt::format("golden case {} ({}) has no param '{}'", name, where, param));
    }
    std::vector<int64_t> values;
    for (const std::string& text : found->second) {
        const std::optional<int64_t> value = parse_number<int64_t>(text);
        if (!value) {
            throw Error(fmt::format("golden case {} ({}): param '{}' holds '{}', not an integer",
                                    name, where, param, text));
        }
        values.push_back(*value);
    }
    return values;
}

int64_t Case::integer(const std::string& param) const {
    word(param);  // exactly one
    return integers(param)[0];
}

bool Case::flag(const std::string& param) const {
    const std::string& text = word(param);
    if (text != "true" && text != "false") {
        throw Error(fmt::format("golden case {} ({}): param '{}' is '{}', not true or false", name,
                                where, param, text));
    }
    return text == "true";
}

std::vector<Case> load_golden(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("golden file {}: cannot open it", path));
    return Parser(path).parse(in);
}

std::string golden_path(const std::string& file) {
    namespace fs = std::filesystem;
    const fs::path from_root = fs::path("tests/golden") / file;
    if (fs::exists(from_root)) return from_root.string();
    std::error_code error;
    const fs::path binary = fs::read_symlink("/proc/self/exe", error);  // build/tests/glimpse_tests
    const fs::path from_binary = binary.parent_path() / "../../tests/golden" / file;
    if (!error && fs::exists(from_binary)) return from_binary.lexically_normal().string();
    throw Error(fmt::format("cannot find golden file {}: run the tests from the repository root",
                            from_root.string()));
}

}  // namespace glimpse::golden
