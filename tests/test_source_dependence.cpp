// Tests of attention/source_dependence.hpp: the check passes for every content-based scorer and
// fails for an "attention" whose scores come from the query and the positions alone, and for
// Luong's location-based scorer, whose weights ignore the encoder states by design.

#include "attention/source_dependence.hpp"

#include <doctest/doctest.h>

#include "attention/location.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "tests/attention_testing.hpp"

using namespace glimpse;
using namespace glimpse::attention;

namespace {

// A plausible-looking bug: scores that vary with the query and the position, never the keys.
class QueryOnlyAttention : public Attention {
  public:
    explicit QueryOnlyAttention(int64_t size) : Attention("QueryOnlyAttention", size, size) {}
    Tensor score(const Tensor& query, const PreparedSource& source, int64_t) const override {
        const int64_t length = source.keys.size(1);
        const Tensor positions = arange(0.0, static_cast<double>(length), 1.0, query.dtype());
        return sum(query, {1}, true) * positions.unsqueeze(0);  // [B, 1] * [1, S] -> [B, S]
    }
};

}  // namespace

TEST_CASE("source dependence: every content-based scorer's weights move with the keys") {
    Generator generator(31);
    for (const testing::ScorerKind& kind : testing::scorer_kinds()) {
        if (kind.name == "location") continue;  // below: it fails by design
        INFO(kind.name);
        const int64_t hq = kind.square ? 4 : 3;
        const auto attention = kind.make(hq, 4, DType::Float64);
        const testing::Source src = testing::random_source(3, 5, 4, 2, {5, 3, 4}, generator);
        const Tensor query = uniform({3, hq}, -1, 1, DType::Float64, generator);
        const SourceDependence result =
            check_source_dependence(*attention, query, src.keys, src.values, src.mask, 1);
        CHECK_MESSAGE(result.depends, result.summary());
        CHECK(result.largest_change > 1e-3);
    }
}

TEST_CASE("source dependence: an attention that ignores the encoder states fails the check") {
    Generator generator(32);
    const testing::Source src = testing::random_source(3, 5, 4, 2, {5, 3, 4}, generator);
    const Tensor query = uniform({3, 4}, -1, 1, DType::Float64, generator);
    const QueryOnlyAttention fake(4);
    // Its weights are a real distribution that changes with the query...
    const Tensor w1 = fake.forward(query, fake.prepare(src.keys, src.values, src.mask)).weights;
    const Tensor w2 =
        fake.forward(query * 2.0, fake.prepare(src.keys, src.values, src.mask)).weights;
    CHECK(w1.to_vector() != w2.to_vector());
    // ...yet the check sees that the keys make no difference.
    const SourceDependence result =
        check_source_dependence(fake, query, src.keys, src.values, src.mask);
    CHECK_FALSE(result.depends);
    CHECK(result.largest_change == 0.0);
    CHECK(result.summary() == "weights do NOT depend on the keys (largest change 0)");

    LocationAttention location(4, 5, DType::Float64);
    CHECK_FALSE(check_source_dependence(location, query, src.keys, src.values, src.mask).depends);
}

TEST_CASE("source dependence: errors") {
    const QueryOnlyAttention fake(4);
    CHECK_THROWS_WITH_AS(
        check_source_dependence(fake, zeros({2, 4}), zeros({2, 1, 4}), zeros({2, 1, 4})),
        doctest::Contains("check_source_dependence: keys [2, 1, 4] float32 must be [B, S, Hk] "
                          "with S >= 2"),
        Error);
}
