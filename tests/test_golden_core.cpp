// The second proof that core's maths is right: every op of core/ops.hpp against PyTorch's values
// and gradients, from tests/golden/core_ops.txt (written by tests/golden/make_golden.py).

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "core/ops.hpp"
#include "tests/golden_check.hpp"

using namespace glimpse;
using namespace glimpse::golden;

namespace {

Outputs one(const Tensor& out) {
    return {{"out", out}};
}

Outputs numbered(const std::vector<Tensor>& outs) {
    Outputs named;
    for (std::size_t i = 0; i < outs.size(); ++i) {
        named.emplace_back("out" + std::to_string(i), outs[i]);
    }
    return named;
}

Runner unary(Tensor (*op)(const Tensor&)) {
    return [op](const Case&, Inputs& in) { return one(op(in["x"])); };
}

Runner binary(Tensor (*op)(const Tensor&, const Tensor&)) {
    return [op](const Case&, Inputs& in) { return one(op(in["a"], in["b"])); };
}

// sum or mean: over everything, or over the case's dims.
Runner reduction(Tensor (*all)(const Tensor&),
                 Tensor (*over)(const Tensor&, const std::vector<int64_t>&, bool)) {
    return [all, over](const Case& golden, Inputs& in) {
        if (!golden.has_param("dims")) return one(all(in["x"]));
        return one(over(in["x"], golden.integers("dims"), golden.flag("keepdim")));
    };
}

// One runner per op that needs params: each reads them from the case by name.
Outputs run_pow(const Case& golden, Inputs& in) {
    return one(pow(in["x"], golden.number("exponent")));
}
Outputs run_clamp(const Case& golden, Inputs& in) {
    return one(clamp(in["x"], golden.number("min"), golden.number("max")));
}
Outputs run_max(const Case& golden, Inputs& in) {
    auto [values, indices] = max(in["x"], golden.integer("dim"), golden.flag("keepdim"));
    return {{"values", values}, {"indices", indices}};
}
Outputs run_argmax(const Case& golden, Inputs& in) {
    return one(argmax(in["x"], golden.integer("dim"), golden.flag("keepdim")));
}
Outputs run_softmax(const Case& golden, Inputs& in) {
    return one(softmax(in["x"], golden.integer("dim")));
}
Outputs run_log_softmax(const Case& golden, Inputs& in) {
    return one(log_softmax(in["x"], golden.integer("dim")));
}
// The attention pattern: mask the scores, then softmax.
Outputs run_masked_softmax(const Case& golden, Inputs& in) {
    const Tensor scores = masked_fill(in["x"], in["mask"], golden.number("value"));
    return one(softmax(scores, golden.integer("dim")));
}
Outputs run_cross_entropy(const Case& golden, Inputs& in) {
    const std::string& reduction = golden.word("reduction");
    CrossEntropyOptions options;
    options.reduction = reduction == "sum"    ? Reduction::Sum
                        : reduction == "none" ? Reduction::None
                                              : Reduction::Mean;
    options.ignore_index = golden.integer("ignore_index");
    options.label_smoothing = golden.number("label_smoothing");
    return one(cross_entropy(in["logits"], in["target"], options));
}
Outputs run_matmul_bt(const Case&, Inputs& in) {
    return one(matmul(in["a"], in["b"].transpose(-2, -1)));
}
Outputs run_transpose(const Case& golden, Inputs& in) {
    return one(transpose(in["x"], golden.integer("dim0"), golden.integer("dim1")));
}
Outputs run_permute(const Case& golden, Inputs& in) {
    return one(permute(in["x"], golden.integers("dims")));
}
Outputs run_narrow(const Case& golden, Inputs& in) {
    const int64_t dim = golden.integer("dim");
    return one(narrow(in["x"], dim, golden.integer("start"), golden.integer("length")));
}
Outputs run_slice(const Case& golden, Inputs& in) {
    const int64_t dim = golden.integer("dim");
    return one(slice(in["x"], dim, golden.integer("start"), golden.integer("end")));
}
Outputs run_select(const Case& golden, Inputs& in) {
    return one(select(in["x"], golden.integer("dim"), golden.integer("index")));
}
Outputs run_unsqueeze(const Case& golden, Inputs& in) {
    return one(unsqueeze(in["x"], golden.integer("dim")));
}
Outputs run_squeeze(const Case& golden, Inputs& in) {
    return one(squeeze(in["x"], golden.integer("dim")));
}
Outputs run_view(const Case& golden, Inputs& in) {
    // view needs a contiguous input, which the non-contiguous runs do not give it
    return one(view(contiguous(in["x"]), golden.integers("shape")));
}
Outputs run_reshape(const Case& golden, Inputs& in) {
    return one(reshape(in["x"], golden.integers("shape")));
}
Outputs run_expand(const Case& golden, Inputs& in) {
    return one(expand(in["x"], golden.integers("shape")));
}
Outputs run_cat(const Case& golden, Inputs& in) {
    return one(cat(in.numbered("x"), golden.integer("dim")));
}
Outputs run_stack(const Case& golden, Inputs& in) {
    return one(stack(in.numbered("x"), golden.integer("dim")));
}
Outputs run_split(const Case& golden, Inputs& in) {
    return numbered(split(in["x"], golden.integer("split_size"), golden.integer("dim")));
}
Outputs run_chunk(const Case& golden, Inputs& in) {
    return numbered(chunk(in["x"], golden.integer("chunks"), golden.integer("dim")));
}
Outputs run_index_select(const Case& golden, Inputs& in) {
    return one(index_select(in["x"], golden.integer("dim"), in["index"]));
}
Outputs run_where(const Case&, Inputs& in) {
    return one(where(in["condition"], in["a"], in["b"]));
}
Outputs run_masked_fill(const Case& golden, Inputs& in) {
    return one(masked_fill(in["x"], in["mask"], golden.number("value")));
}
Outputs run_dropout(const Case& golden, Inputs& in) {
    return one(dropout(in["x"], golden.number("p"), golden.flag("training")));
}

// The runner of each case, by the case name's prefix: "mul/broadcast_row" runs "mul".
const std::map<std::string, Runner>& runners() {
    static const std::map<std::string, Runner> table = {
        // elementwise
        {"add", binary(add)},
        {"sub", binary(sub)},
        {"mul", binary(mul)},
        {"div", binary(div)},
        {"neg", unary(neg)},
        {"exp", unary(exp)},
        {"log", unary(log)},
        {"sqrt", unary(sqrt)},
        {"tanh", unary(tanh)},
        {"sigmoid", unary(sigmoid)},
        {"relu", unary(relu)},
        {"pow", run_pow},
        {"clamp", run_clamp},
        // reductions
        {"sum", reduction(sum, sum)},
        {"mean", reduction(mean, mean)},
        {"max", run_max},
        {"argmax", run_argmax},
        // softmax family and losses
        {"softmax", run_softmax},
        {"log_softmax", run_log_softmax},
        {"masked_softmax", run_masked_softmax},
        {"cross_entropy", run_cross_entropy},
        // matrix multiply
        {"matmul", binary(matmul)},
        {"matmul_bt", run_matmul_bt},
        // views
        {"transpose", run_transpose},
        {"permute", run_permute},
        {"narrow", run_narrow},
        {"slice", run_slice},
        {"select", run_select},
        {"unsqueeze", run_unsqueeze},
        {"squeeze", run_squeeze},
        {"view", run_view},
        {"reshape", run_reshape},
        {"expand", run_expand},
        // joining, splitting and indexing
        {"cat", run_cat},
        {"stack", run_stack},
        {"split", run_split},
        {"chunk", run_chunk},
        {"index_select", run_index_select},
        // comparisons and selection
        {"eq", binary(eq)},
        {"ne", binary(ne)},
        {"lt", binary(lt)},
        {"le", binary(le)},
        {"gt", binary(gt)},
        {"ge", binary(ge)},
        {"where", run_where},
        {"masked_fill", run_masked_fill},
        {"dropout", run_dropout},
    };
    return table;
}

const std::vector<Case>& core_cases() {
    static const std::vector<Case> cases = load_golden(golden_path("core_ops.txt"));
    return cases;
}

void check_named_case(const Case& golden, const RunOptions& options) {
    const auto found = runners().find(golden.runner());
    if (found == runners().end()) {
        FAIL_CHECK("golden case " << golden.name << " (" << golden.where
                                  << ") has no runner in test_golden_core.cpp");
        return;
    }
    check_case(golden, found->second, options);
}

}  // namespace

TEST_CASE("golden core: every op matches PyTorch's float64 values and gradients") {
    REQUIRE(core_cases().size() > 0);
    for (const Case& golden : core_cases()) {
        check_named_case(golden, {});
    }
}

TEST_CASE("golden core: the same with every input a non-contiguous view") {
    for (const Case& golden : core_cases()) {
        check_named_case(golden, {DType::Float64, true, kFloat64Tolerance});
    }
}

TEST_CASE("golden core: float32 runs stay within float32 tolerance of PyTorch's float64") {
    const std::vector<std::string> names = {"mul/broadcast_both",
                                            "div/broadcast_row",
                                            "tanh",
                                            "sigmoid",
                                            "sum/dims02",
                                            "mean/dim1_keepdim",
                                            "max/dim1_keepdim",
                                            "masked_fill/broadcast",
                                            "softmax/last",
                                            "log_softmax/dim1",
                                            "masked_softmax/padding",
                                            "cross_entropy/smoothing_ignore",
                                            "matmul/batched",
                                            "matmul/large"};
    for (const std::string& name : names) {
        const auto found = std::find_if(core_cases().begin(), core_cases().end(),
                                        [&](const Case& c) { return c.name == name; });
        REQUIRE_MESSAGE(found != core_cases().end(), "no golden case " << name);
        check_named_case(*found, {DType::Float32, false, kFloat32Tolerance});
    }
}

TEST_CASE("golden core: every runner has a case") {
    for (const auto& [runner, run] : runners()) {
        CAPTURE(runner);
        CHECK(std::any_of(core_cases().begin(), core_cases().end(),
                          [&](const Case& c) { return c.runner() == runner; }));
    }
}
