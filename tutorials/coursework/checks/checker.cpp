#include "tutorials/coursework/checks/checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <string_view>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/print.hpp"
#include "core/shape.hpp"

namespace coursework::check {

namespace {

using glimpse::Shape;

// A TODO that still throws "aN: not implemented: ..." is not a wrong answer, only a missing one.
bool is_not_implemented(std::string_view message) {
    return message.find("not implemented") != std::string_view::npos;
}

// Tensors this small are printed whole in a failure: a student sees the pattern of the mistake.
constexpr int64_t kPrintWhole = 16;

std::string json_escaped(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += fmt::format("\\u{:04x}", c);
                } else {
                    out += c;
                }
        }
    }
    return out;
}

enum class Status { Pass, Fail, NotImplemented };

std::string_view status_word(Status status) {
    switch (status) {
        case Status::Pass:
            return "pass";
        case Status::Fail:
            return "fail";
        case Status::NotImplemented:
            return "not implemented";
    }
    return "";
}

struct Outcome {
    Status status;
    std::string message;  // what was wrong, or which TODO was reached
};

Outcome run_test(const Test& test) {
    try {
        test.run();
        return {Status::Pass, ""};
    } catch (const Failure& failure) {
        return {Status::Fail, failure.what()};
    } catch (const std::exception& e) {
        if (is_not_implemented(e.what())) return {Status::NotImplemented, e.what()};
        return {Status::Fail, fmt::format("your code threw: {}", e.what())};
    }
}

// Indents every line after the first of a multi-line message under the test's name.
std::string indented(const std::string& message) {
    std::string out = "        ";
    for (const char c : message) {
        out += c;
        if (c == '\n') out += "        ";
    }
    return out;
}

}  // namespace

void expect(bool ok, const std::string& message) {
    if (!ok) throw Failure(message);
}

void expect_close(const std::string& what, const Tensor& actual, const Tensor& expected,
                  double atol, double rtol) {
    expect(actual.defined(), fmt::format("{}: your result is an undefined tensor", what));
    expect(actual.shape() == expected.shape(),
           fmt::format("{}: shape {}, expected {}", what, glimpse::shape_str(actual.shape()),
                       glimpse::shape_str(expected.shape())));
    const std::vector<double> a = actual.to_vector();
    const std::vector<double> e = expected.to_vector();
    double worst = -1;  // tolerances used by the worst element
    std::size_t worst_at = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const double difference = std::abs(a[k] - e[k]);
        const double used = difference == 0 ? 0 : difference / (atol + rtol * std::abs(e[k]));
        if (std::isnan(used) || used > worst) {
            worst = std::isnan(used) ? INFINITY : used;
            worst_at = k;
        }
    }
    if (worst <= 1) return;
    std::string message = fmt::format(
        "{}: largest difference {:.3g} at {}: expected {:.6g}, got {:.6g}", what,
        std::abs(a[worst_at] - e[worst_at]),
        glimpse::shape_str(glimpse::unravel(static_cast<int64_t>(worst_at), expected.shape())),
        e[worst_at], a[worst_at]);
    if (expected.numel() <= kPrintWhole) {
        message += fmt::format("\nexpected {}\ngot      {}", expected.detach(), actual.detach());
    }
    throw Failure(message);
}

void expect_gradcheck(const std::string& what,
                      const std::function<Tensor(const std::vector<Tensor>&)>& f,
                      const std::vector<Tensor>& inputs, const std::vector<std::string>& names,
                      const glimpse::GradcheckOptions& options) {
    if (glimpse::gradcheck(f, inputs, options).passed) return;
    // Which gradients are wrong: each input checked alone, the others held constant.
    std::string message = fmt::format(
        "{}: wrong gradients (analytic is your backward, numeric "
        "is central differences):",
        what);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].requires_grad()) continue;
        std::vector<Tensor> alone;
        for (std::size_t j = 0; j < inputs.size(); ++j) {
            alone.push_back(j == i ? inputs[j] : inputs[j].detach());
        }
        const glimpse::GradcheckResult r = glimpse::gradcheck(f, alone, options);
        if (r.passed) continue;
        message += fmt::format("\n  {} at {}: analytic {:.6g} vs numeric {:.6g}",
                               i < names.size() ? names[i] : fmt::format("input {}", i),
                               glimpse::shape_str(r.index), r.analytic, r.numeric);
    }
    throw Failure(message);
}

void expect_error(const std::string& what, const std::function<void()>& f,
                  const std::string& mention) {
    try {
        f();
    } catch (const glimpse::Error& e) {
        if (is_not_implemented(e.what())) throw;
        expect(std::string_view(e.what()).find(mention) != std::string_view::npos,
               fmt::format("{}: the error should name '{}'; it says: {}", what, mention, e.what()));
        return;
    }
    throw Failure(fmt::format("{}: no glimpse::Error was thrown", what));
}

Tensor grad_or_zeros(const Tensor& leaf) {
    return leaf.grad().defined() ? leaf.grad() : glimpse::zeros_like(leaf);
}

int run(const Assignment& assignment, const std::string& jsonl_path) {
    fmt::print("== {} {}\n", assignment.id, assignment.title);
    std::FILE* jsonl = jsonl_path.empty() ? nullptr : std::fopen(jsonl_path.c_str(), "a");
    int passed = 0;
    int not_implemented = 0;
    for (const Test& test : assignment.tests) {
        const Outcome outcome = run_test(test);
        switch (outcome.status) {
            case Status::Pass:
                ++passed;
                fmt::print("  PASS  {}\n", test.name);
                break;
            case Status::Fail:
                fmt::print("  FAIL  {}\n{}\n", test.name, indented(outcome.message));
                break;
            case Status::NotImplemented:
                ++not_implemented;
                fmt::print("  not implemented  {} ({})\n", test.name, outcome.message);
                break;
        }
        if (jsonl) {
            fmt::print(jsonl,
                       "{{\"assignment\": \"{}\", \"test\": \"{}\", \"status\": \"{}\", "
                       "\"message\": \"{}\"}}\n",
                       assignment.id, json_escaped(test.name), status_word(outcome.status),
                       json_escaped(outcome.message));
        }
    }
    const auto total = static_cast<int>(assignment.tests.size());
    const bool none = not_implemented == total;
    fmt::print("{} {}/{}{}\n\n", assignment.id, passed, total, none ? " (not implemented)" : "");
    if (jsonl) {
        fmt::print(jsonl,
                   "{{\"assignment\": \"{}\", \"passed\": {}, \"total\": {}, "
                   "\"not_implemented\": {}}}\n",
                   assignment.id, passed, total, not_implemented);
        std::fclose(jsonl);
    }
    return passed;
}

}  // namespace coursework::check
