#pragma once
// The checkers' shared harness: an assignment is a list of named tests; each test runs the
// student's code and reports PASS, FAIL with what was wrong in the student's terms, or NOT
// IMPLEMENTED when it reached a TODO that still throws "aN: not implemented: ...".
//
// A test body calls the expect_* helpers below; each throws a Failure whose message says what
// differs (which tensor, which element, expected vs actual; for a gradient, which input or
// parameter, which element, analytic vs numeric). Any other exception the student's code throws
// fails that test alone, with its message; the next test still runs.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/gradcheck.hpp"
#include "core/tensor.hpp"

namespace coursework::check {

using glimpse::Tensor;

// What a failed expectation throws: the message is what the student reads.
class Failure : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Test {
    std::string name;  // what is checked, as the student reads it in the report
    std::function<void()> run;
};

struct Assignment {
    std::string id;     // "a1"
    std::string title;  // "softplus: an elementwise op with its backward"
    std::vector<Test> tests;
};

// One function per assignment, each in checks/aN_*.cpp.
Assignment a1_softplus();
Assignment a2_mgu_cell();
Assignment a3_mgu_fused();
Assignment a4_cosine_attention();
Assignment a5_top_p_sampling();
Assignment a6_reverse_end_to_end();

// Fails with `message` unless `ok`.
void expect(bool ok, const std::string& message);

// Fails unless `actual` has expected's shape and every element is within
// atol + rtol * |expected| of it. The message names `what`, the largest difference, where it is,
// and both values there; small tensors are printed whole.
void expect_close(const std::string& what, const Tensor& actual, const Tensor& expected,
                  double atol = 1e-6, double rtol = 1e-5);

// gradcheck (core/gradcheck.hpp) of f at `inputs`, whose names (one per input: "x", "weight_hh")
// the failure uses: "gradient of weight_hh at [2, 0]: analytic 0.25 vs numeric 0.5".
void expect_gradcheck(const std::string& what,
                      const std::function<Tensor(const std::vector<Tensor>&)>& f,
                      const std::vector<Tensor>& inputs, const std::vector<std::string>& names,
                      const glimpse::GradcheckOptions& options = {});

// Fails unless `f` throws a glimpse::Error whose message contains `mention`. A TODO's
// "not implemented" error is passed on as such, never taken for the expected error.
void expect_error(const std::string& what, const std::function<void()>& f,
                  const std::string& mention);

// The gradient of a leaf after backward(), or zeros of its shape when none reached it.
Tensor grad_or_zeros(const Tensor& leaf);

// Runs every test of the assignment, printing one line per test and the score, and appends one
// JSON line per test and one for the assignment to `jsonl_path` (when not empty). Returns the
// number of tests passed.
int run(const Assignment& assignment, const std::string& jsonl_path);

}  // namespace coursework::check
