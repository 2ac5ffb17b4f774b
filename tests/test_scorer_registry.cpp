// register_scorer: a scorer written outside the library, named in a Seq2SeqConfig, is built by
// Seq2Seq and saved and loaded with its checkpoint; taken and unknown names are errors.

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "attention/attention.hpp"
#include "attention/batched_products.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "decode/dataset.hpp"
#include "decode/seq2seq_checkpoint.hpp"
#include "nn/linear.hpp"
#include "tests/temp_dir.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

// A scorer as a user would write one outside the library: score_s = k_s . (P q).
class QueryProjectedDot : public attention::Attention {
  public:
    QueryProjectedDot(int64_t query_size, int64_t key_size, DType dtype)
        : Attention("QueryProjectedDot", query_size, key_size) {
        query_proj = register_module(
            "query_proj", std::make_shared<nn::Linear>(query_size, key_size, false, dtype));
    }
    Tensor score(const Tensor& query, const attention::PreparedSource& source,
                 int64_t) const override {
        check_query(query, source);
        return attention::dot_scores(source.keys, query_proj->forward(query));
    }
    std::shared_ptr<nn::Linear> query_proj;
};

const std::string kName = "test_query_projected_dot";

// Registers the test's scorers once per run of the test binary.
void register_test_scorers() {
    static const bool registered = [] {
        register_scorer(kName, [](int64_t q, int64_t k, int64_t, DType dtype) {
            return std::make_shared<QueryProjectedDot>(q, k, dtype);
        });
        register_scorer("test_makes_nothing", [](int64_t, int64_t, int64_t, DType) {
            return std::shared_ptr<attention::Attention>();
        });
        return true;
    }();
    (void)registered;
}

}  // namespace

TEST_CASE("register_scorer: a registered scorer is built from the config and saved by name") {
    register_test_scorers();
    manual_seed(3);
    const std::vector<Example> examples = {{"abc", "cba"}, {"ba", "ab"}, {"cab", "bac"}};
    const Vocab vocab = Vocab::build({"abc", "ba", "cab"}, Tokenization::Character);
    const Seq2Seq model({.source_vocab = vocab.size(),
                         .target_vocab = vocab.size(),
                         .embedding_size = 4,
                         .hidden_size = 5,
                         .bidirectional = true,
                         .attention = AttentionKind::Luong,
                         .scorer = kName});
    bool found = false;
    for (const auto& [name, value] : model.named_parameters()) {
        found = found ||
                (name == "decoder.attention.query_proj.weight" && value.shape() == Shape{10, 5});
    }
    CHECK(found);

    const Batch batch = make_batch(examples, {0, 1, 2}, vocab, vocab);
    testing::TempDir dir;
    save_seq2seq(dir.file("model"), model, vocab, vocab);
    const Seq2SeqCheckpoint loaded = load_seq2seq(dir.file("model"));
    CHECK(loaded.model->config().scorer == kName);
    CHECK(loaded.model->loss(batch).item() == model.loss(batch).item());
}

TEST_CASE("register_scorer: taken, empty and unknown names are errors that name them") {
    register_test_scorers();
    const ScorerFactory factory = [](int64_t q, int64_t k, int64_t, DType dtype) {
        return std::make_shared<QueryProjectedDot>(q, k, dtype);
    };
    CHECK_THROWS_WITH_AS(register_scorer("general", factory),
                         "register_scorer: the name 'general' is taken by a built-in scorer",
                         Error);
    CHECK_THROWS_WITH_AS(register_scorer(kName, factory),
                         doctest::Contains("the name 'test_query_projected_dot' is taken"), Error);
    CHECK_THROWS_WITH_AS(register_scorer("", factory), doctest::Contains("needs a name"), Error);
    CHECK_THROWS_WITH_AS(register_scorer("test_no_factory", ScorerFactory()),
                         doctest::Contains("and a factory"), Error);
    CHECK_THROWS_WITH_AS(
        make_scorer("test_never_registered", 4, 4, 4),
        doctest::Contains("unknown scorer 'test_never_registered' (bahdanau, concat, dot, "
                          "scaled_dot, general, test_makes_nothing, test_query_projected_dot; "
                          "register_scorer adds one)"),
        Error);
    CHECK_THROWS_WITH_AS(make_scorer("test_makes_nothing", 4, 4, 4),
                         "make_scorer: the factory of 'test_makes_nothing' made no scorer", Error);
}
