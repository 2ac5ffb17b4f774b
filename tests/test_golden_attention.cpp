// The second proof that the scorers are right: PyTorch's context, weights and gradients for one
// attention step of each scorer, composed from torch ops by tests/golden/make_golden_attention.py
// (tests/golden/attention.txt). Each runner builds the scorer and puts the case's weights in
// place of its parameters, so that their gradients are the ones compared.

#include <doctest/doctest.h>

#include <map>
#include <memory>

#include "attention/additive.hpp"
#include "attention/local.hpp"
#include "attention/location.hpp"
#include "attention/luong_output.hpp"
#include "attention/multiplicative.hpp"
#include "tests/golden_check.hpp"

using namespace glimpse;
using namespace glimpse::attention;
using namespace glimpse::golden;

namespace {

// The case's tensor `name` becomes the module's parameter (the tensor forward reads).
void use(Tensor& parameter, Inputs& in, const std::string& name) {
    parameter = in[name];
}

DType dtype_of(Inputs& in) {
    return in["query"].dtype();
}

Outputs run_step(const Attention& attention, const Case& golden, Inputs& in, int64_t step = 0) {
    const Tensor mask = golden.has("mask") ? in["mask"] : Tensor();
    const AttentionOutput out =
        attention.forward(in["query"], attention.prepare(in["keys"], in["values"], mask), step);
    return {{"context", out.context}, {"weights", out.weights}};
}

Outputs bahdanau(const Case& golden, Inputs& in) {
    BahdanauAttention attention(3, 4, 5, dtype_of(in));
    use(attention.query_proj->weight, in, "query_proj.weight");
    use(attention.key_proj->weight, in, "key_proj.weight");
    use(attention.key_proj->bias, in, "key_proj.bias");
    use(attention.v->weight, in, "v.weight");
    return run_step(attention, golden, in);
}

Outputs dot(const Case& golden, Inputs& in) {
    return run_step(DotAttention(4), golden, in);
}

Outputs scaled_dot(const Case& golden, Inputs& in) {
    return run_step(ScaledDotAttention(4), golden, in);
}

Outputs general(const Case& golden, Inputs& in) {
    GeneralAttention attention(3, 4, dtype_of(in));
    use(attention.key_proj->weight, in, "key_proj.weight");
    return run_step(attention, golden, in);
}

Outputs concat(const Case& golden, Inputs& in) {
    ConcatAttention attention(3, 4, 5, dtype_of(in));
    use(attention.proj->weight, in, "proj.weight");
    use(attention.v->weight, in, "v.weight");
    return run_step(attention, golden, in);
}

Outputs location(const Case& golden, Inputs& in) {
    LocationAttention attention(3, 7, dtype_of(in));
    use(attention.location_proj->weight, in, "location_proj.weight");
    return run_step(attention, golden, in);
}

Runner local(LocalMode mode) {
    return [mode](const Case& golden, Inputs& in) {
        const auto inner = std::make_shared<GeneralAttention>(3, 4, dtype_of(in));
        use(inner->key_proj->weight, in, "inner.key_proj.weight");
        const bool predictive = mode == LocalMode::Predictive;
        LocalAttention attention(inner, mode, golden.integer("window"), predictive ? 5 : 0,
                                 dtype_of(in));
        if (predictive) {
            use(attention.position_proj->weight, in, "position_proj.weight");
            use(attention.position_v->weight, in, "position_v.weight");
        }
        return run_step(attention, golden, in,
                        golden.has_param("step_index") ? golden.integer("step_index") : 0);
    };
}

Outputs luong_output(const Case&, Inputs& in) {
    LuongOutput output(2, 3, 4, in["context"].dtype());
    use(output.linear_out->weight, in, "linear_out.weight");
    return {{"out", output.forward(in["context"], in["hidden"])}};
}

const std::map<std::string, Runner>& runners() {
    static const std::map<std::string, Runner> table = {
        {"bahdanau", bahdanau},
        {"dot", dot},
        {"scaled_dot", scaled_dot},
        {"general", general},
        {"concat", concat},
        {"location", location},
        {"local_m", local(LocalMode::Monotonic)},
        {"local_p", local(LocalMode::Predictive)},
        {"luong_output", luong_output},
    };
    return table;
}

void check_all(const RunOptions& options) {
    static const std::vector<Case> cases = load_golden(golden_path("attention.txt"));
    std::map<std::string, int> counts;
    for (const Case& golden : cases) {
        const auto found = runners().find(golden.runner());
        REQUIRE_MESSAGE(found != runners().end(),
                        "golden case " << golden.name << " has no runner");
        ++counts[golden.runner()];
        check_case(golden, found->second, options);
    }
    for (const auto& [runner, run] : runners()) {
        CHECK_MESSAGE(counts[runner] > 0, "no golden case in attention.txt runs " << runner);
    }
}

}  // namespace

TEST_CASE("golden attention: every scorer matches PyTorch in float64") {
    check_all({});
}

TEST_CASE("golden attention: the same with every input a non-contiguous view") {
    check_all({DType::Float64, true, kFloat64Tolerance});
}

TEST_CASE("golden attention: float32 runs stay within float32 tolerance of PyTorch") {
    check_all({DType::Float32, false, kFloat32Tolerance});
}
