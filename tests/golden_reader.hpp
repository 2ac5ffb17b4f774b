#pragma once
// Golden values: tensors that PyTorch computed, kept as plain text in tests/golden/*.txt (written
// by tests/golden/make_golden.py and its siblings, run with /usr/bin/python3), loaded here so that
// tests compare glimpse with them without needing PyTorch.
//
// The format, one item per line. Blank lines are skipped; a line starting with # is a comment.
//
//   case mul/broadcast_row     starts a case: "<runner>/<what>", or just "<runner>"; the runner
//                              is the test's function for it, usually the op of that name
//   param dim 1                a parameter of the op: a name, then words or numbers
//   param dims 0 2             (flags are true/false; floats may be nan, inf, -inf)
//   tensor a float64 [2, 3]    a tensor: name, dtype (float64, int64 or bool), shape ([] is 0-d)
//   0.4033 0.838 -0.7193       then its values in row-major order, on as many lines as needed
//   -0.4033 -0.5966 0.182      (the writer puts one row of the last dim per line; bool is 0/1)
//
// Floats are written the way Python's repr writes them: the shortest text that reads back as the
// same float64, so no precision is lost. Tensor names follow one convention:
//   inputs     any name: a, b, x, logits, target, mask...
//   outputs    out; out0, out1... when there are several; or names of their own (values, indices)
//   grad_<n>   for an output n, the upstream gradient that backward starts from; for an input n,
//              n's gradient after that backward.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse::golden {

struct Case {
    std::string name;   // "mul/broadcast_row"
    std::string where;  // "tests/golden/core_ops.txt:120", for messages
    std::map<std::string, Tensor> tensors;
    std::map<std::string, std::vector<std::string>> params;  // the words after the param's name

    std::string runner() const;  // the name up to its first '/'
    bool has(const std::string& tensor_name) const { return tensors.count(tensor_name) > 0; }
    bool has_param(const std::string& param) const { return params.count(param) > 0; }

    // Each throws glimpse::Error naming the case when the tensor or param is missing or mistyped.
    const Tensor& tensor(const std::string& tensor_name) const;
    double number(const std::string& param) const;
    int64_t integer(const std::string& param) const;
    std::vector<int64_t> integers(const std::string& param) const;
    bool flag(const std::string& param) const;
    const std::string& word(const std::string& param) const;
};

// Every case of a golden file, in file order. Throws glimpse::Error naming the file and line of
// whatever is malformed.
std::vector<Case> load_golden(const std::string& path);

// The path of tests/golden/<file>: from the current directory (the repository root, where the
// tests are run), else from the test binary's place in build/tests/.
std::string golden_path(const std::string& file);

}  // namespace glimpse::golden
