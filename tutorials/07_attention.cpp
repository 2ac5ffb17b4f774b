// Tutorial 07: attention — from a fixed-length bottleneck to a learned alignment.
//
// An encoder-decoder without attention hands the decoder one vector: the encoder's last state.
// However long the input, that vector has the same H numbers, so a long input must be squeezed
// into it. Attention removes the squeeze: the decoder keeps every encoder state and, at each
// step, takes a weighted average of them, with weights that it computes from what it needs now.
// This chapter builds that idea up from the bottleneck to a trained model whose weights read as
// an alignment, drawn as a heatmap.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string_view>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;
using namespace glimpse::attention;

namespace {

// The retrieval task of the last steps: a "dictionary" of `pairs` key -> value entries (distinct
// keys out of kKeys, values out of kValues), and a query key; the answer is that key's value.
constexpr int64_t kKeys = 12;
constexpr int64_t kValues = 10;

struct Batch {
    Tensor keys;      // int64 [B, N]
    Tensor values;    // int64 [B, N]
    Tensor query;     // int64 [B]: one of the row's keys
    Tensor answer;    // int64 [B]: its value
    Tensor position;  // int64 [B]: its position among the pairs
};

Batch make_batch(int64_t batch, int64_t pairs, Generator& generator) {
    std::vector<double> keys, values, query, answer, position;
    for (int64_t b = 0; b < batch; ++b) {
        std::vector<int64_t> order(kKeys);
        std::iota(order.begin(), order.end(), 0);
        for (int64_t i = 0; i < pairs; ++i) {  // a partial Fisher-Yates shuffle: distinct keys
            std::swap(order[i], order[generator.integer(i, kKeys)]);
        }
        std::vector<double> row_values;
        for (int64_t i = 0; i < pairs; ++i) {
            keys.push_back(static_cast<double>(order[i]));
            row_values.push_back(static_cast<double>(generator.integer(0, kValues)));
        }
        values.insert(values.end(), row_values.begin(), row_values.end());
        const int64_t asked = generator.integer(0, pairs);
        query.push_back(static_cast<double>(order[asked]));
        answer.push_back(row_values[asked]);
        position.push_back(static_cast<double>(asked));
    }
    return {tensor(keys, {batch, pairs}, DType::Int64),
            tensor(values, {batch, pairs}, DType::Int64), tensor(query, {batch}, DType::Int64),
            tensor(answer, {batch}, DType::Int64), tensor(position, {batch}, DType::Int64)};
}

// Embeds the pairs and the query, attends, and reads the answer out of the context.
// keys: the key tokens' embeddings; values: the value tokens' embeddings; query: the query key's
// embedding (the same table as the keys: a key "looks like itself").
class Retriever : public nn::Module {
  public:
    explicit Retriever(int64_t dim) : nn::Module("Retriever") {
        key_embedding =
            register_module("key_embedding", std::make_shared<nn::Embedding>(kKeys, dim));
        value_embedding =
            register_module("value_embedding", std::make_shared<nn::Embedding>(kValues, dim));
        attention = register_module("attention", std::make_shared<GeneralAttention>(dim, dim));
        out = register_module("out", std::make_shared<nn::Linear>(dim, kValues));
    }

    // -> logits [B, kValues] and the attention weights [B, N]
    std::pair<Tensor, Tensor> forward(const Batch& batch) const {
        const PreparedSource source = attention->prepare(key_embedding->forward(batch.keys),
                                                         value_embedding->forward(batch.values));
        const AttentionOutput read =
            attention->forward(key_embedding->forward(batch.query), source);
        return {out->forward(read.context), read.weights};
    }

    std::shared_ptr<nn::Embedding> key_embedding;
    std::shared_ptr<nn::Embedding> value_embedding;
    std::shared_ptr<GeneralAttention> attention;
    std::shared_ptr<nn::Linear> out;
};

// Share of rows where `scores` [B, C] is largest at `target` [B].
double accuracy(const Tensor& scores, const Tensor& target) {
    const std::vector<double> best = argmax(scores, 1).to_vector();
    const std::vector<double> wanted = target.to_vector();
    int64_t right = 0;
    for (std::size_t i = 0; i < best.size(); ++i) right += best[i] == wanted[i] ? 1 : 0;
    return static_cast<double>(right) / static_cast<double>(best.size());
}

}  // namespace

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 07: attention");
    // --plain: no colours in the terminal heatmap, even on a terminal that has them.
    const bool plain = std::any_of(
        argv + 1, argv + argc, [](const char* arg) { return std::string_view(arg) == "--plain"; });
    manual_seed(7);

    chapter.step("the bottleneck: one fixed-length vector for the whole input");
    // An LSTM encoder reads 5 tokens, then 50. Its final state h_n is the only thing a plain
    // decoder gets, and it has the same 16 numbers either way; the per-step outputs grow.
    const nn::LSTM encoder(8, 16);
    for (const int64_t length : {5, 50}) {
        const nn::LSTMOutput encoded = encoder.forward(randn({1, length, 8}));
        fmt::print("input of {:2} tokens: final state h_n {} ({} numbers), all states {}\n", length,
                   shape_str(encoded.h_n.shape()), encoded.h_n.numel(),
                   shape_str(encoded.output.shape()));
    }
    fmt::print(
        "Attention keeps all the states and lets the decoder choose among them at every step.\n");

    chapter.step("soft attention: a probability distribution over input positions");
    // A hard lookup would pick one state. Soft attention takes every state, weighted by a
    // distribution a (a_s >= 0, sum a_s = 1): the context c = sum_s a_s h_s. Being an average,
    // it is differentiable in the weights, so gradient descent can learn where to look.
    const Tensor states = tensor({1, 0, 0, 1, 1, 1}, {3, 2}, DType::Float64);  // 3 states, H = 2
    const Tensor hard = tensor({0, 1, 0}, {3}, DType::Float64);
    const Tensor soft = tensor({0.1, 0.7, 0.2}, {3}, DType::Float64);
    fmt::print("states h_s: {}\nhard (one-hot) weights {} -> context {}\n", states, hard,
               matmul(hard, states));
    fmt::print("soft weights {} (sum {}) -> context {}\n", soft, soft.sum().item(),
               matmul(soft, states));

    chapter.step("content-based attention by hand: dot products, then a softmax");
    // The weights come from the content: score each key k_s by its dot product with the query q
    // (how much they point the same way), turn the scores into a distribution with a softmax,
    // and average the values with it. Here by hand, on 3 positions of dimension 2.
    const std::vector<std::vector<double>> keys = {{1, 0}, {0, 1}, {0.6, 0.8}};
    const std::vector<std::vector<double>> values = {{10, 0}, {0, 10}, {5, 5}};
    const std::vector<double> query = {2, 0.5};
    std::vector<double> scores, weights(3);
    for (const auto& k : keys) scores.push_back(query[0] * k[0] + query[1] * k[1]);
    double total = 0;
    for (const double s : scores) total += std::exp(s);
    std::vector<double> context = {0, 0};
    for (int s = 0; s < 3; ++s) {
        weights[s] = std::exp(scores[s]) / total;
        for (int h = 0; h < 2; ++h) context[h] += weights[s] * values[s][h];
    }
    fmt::print("scores q.k_s = [{:.4f}, {:.4f}, {:.4f}]\n", scores[0], scores[1], scores[2]);
    fmt::print("weights softmax = [{:.4f}, {:.4f}, {:.4f}]\n", weights[0], weights[1], weights[2]);
    fmt::print("context = [{:.4f}, {:.4f}]\n", context[0], context[1]);
    // The same with the module: a batch of one, keys and values [1, 3, 2], query [1, 2].
    const DotAttention dot(2);
    const AttentionOutput by_module =
        dot.forward(tensor(query, {1, 2}, DType::Float64),
                    dot.prepare(tensor({1, 0, 0, 1, 0.6, 0.8}, {1, 3, 2}, DType::Float64),
                                tensor({10, 0, 0, 10, 5, 5}, {1, 3, 2}, DType::Float64)));
    double largest_difference = 0;
    const std::vector<double> module_weights = by_module.weights.to_vector();
    const std::vector<double> module_context = by_module.context.to_vector();
    for (int s = 0; s < 3; ++s) {
        largest_difference = std::max(largest_difference, std::abs(module_weights[s] - weights[s]));
    }
    for (int h = 0; h < 2; ++h) {
        largest_difference = std::max(largest_difference, std::abs(module_context[h] - context[h]));
    }
    fmt::print(
        "DotAttention: weights {}, context {}\nlargest difference from the hand "
        "computation: {:.1e}\n",
        by_module.weights, by_module.context, largest_difference);

    chapter.step("additive (Bahdanau) and multiplicative (Luong) scoring, side by side");
    // Scorers differ in how they compare a query with a key:
    //   dot      q . k                      no parameters; q and k must have one size
    //   general  q^T W k                    a learned bilinear form
    //   concat   v^T tanh(W [q; k])         Luong's additive form
    //   Bahdanau v^T tanh(W q + U k)        a small network per position
    // In each, the key-side work (W k, U k) does not depend on the query: prepare() does it once
    // per source batch, and every decoder step reuses it.
    const int64_t hidden = 6;
    const Tensor enc = randn({1, 5, hidden});
    const Tensor q = randn({1, hidden});
    const BahdanauAttention bahdanau(hidden, hidden, 8);
    const GeneralAttention general(hidden, hidden);
    for (const Attention* scorer : std::initializer_list<const Attention*>{&bahdanau, &general}) {
        const PreparedSource source = scorer->prepare(enc, enc);
        fmt::print("{:<18} {:3} parameters, prepared keys {}, weights {}\n", scorer->type_name(),
                   scorer->parameter_count(), shape_str(source.projected.shape()),
                   scorer->forward(q, source).weights);
    }
    fmt::print(
        "Which decoder state is the query: Bahdanau scores with the previous state s_(t-1), "
        "before\n"
        "the RNN step, and feeds the context into it; Luong scores with the new state h_t, after\n"
        "the step, then reads out h~_t = tanh(W_c [c_t; h_t]) (attention/luong_output.hpp).\n");

    chapter.step("masks: padding gets exactly zero weight");
    // Sentences of one batch have different lengths; the shorter ones are padded. A mask
    // (true = real word) keeps the padding out of the softmax: its weights are exactly 0, the
    // real words' sum to 1, and a row with no real word gets zeros, not NaN.
    const Tensor batch_keys = randn({3, 4, hidden});
    const Tensor mask = tensor({1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, {3, 4}, DType::Bool);
    const AttentionOutput masked =
        general.forward(randn({3, hidden}), general.prepare(batch_keys, batch_keys, mask));
    fmt::print("mask:\n{}\nweights:\n{}\n", mask, masked.weights);
    const double inf = std::numeric_limits<double>::infinity();
    fmt::print("core softmax of an all -inf row gives {}: masked_softmax gives {}\n",
               softmax(tensor({-inf, -inf}, {2}), 0),
               masked_softmax(tensor({1, 2}, {1, 2}), tensor({0, 0}, {1, 2}, DType::Bool)));

    chapter.step("learning where to look: key-value retrieval");
    // Each example is a small dictionary of `pairs` entries "k3:v7", and a query key. The model
    // embeds the keys and the query with one table, the values with another, attends from the
    // query over the keys (general scoring) and reads the answer from the context with a linear
    // layer. Nothing says which entry holds the answer: the only way to lower the loss is for
    // the attention to put its weight on the entry whose key is the query.
    const int64_t pairs = 6;
    const int64_t steps = chapter.quick ? 250 : 1000;
    Generator data(70);
    Retriever model(16);
    nn::Adam adam(model.parameters(), {.lr = 0.01});
    const Batch test = make_batch(500, pairs, data);
    const auto evaluate = [&] {
        NoGradGuard no_grad;
        const auto [logits, attention_weights] = model.forward(test);
        return std::pair{accuracy(logits, test.answer), accuracy(attention_weights, test.position)};
    };
    // One dictionary, queried with each of its keys in turn: row i asks for the i-th key, so a
    // model that has learned to look its query up lights up the diagonal.
    const Batch one = make_batch(1, pairs, data);
    const auto align_all = [&](const Batch& dictionary) {
        NoGradGuard no_grad;
        Batch every = dictionary;
        every.keys = expand(dictionary.keys, {pairs, pairs}).contiguous();
        every.values = expand(dictionary.values, {pairs, pairs}).contiguous();
        every.query = dictionary.keys.reshape({pairs});
        return model.forward(every).second;  // [pairs, pairs]
    };
    const Tensor alignment_before = align_all(one);
    const auto [answer_before, looked_before] = evaluate();
    fmt::print(
        "before training: answers right {:.0f}%, largest weight on the queried key {:.0f}%\n",
        100 * answer_before, 100 * looked_before);
    for (int64_t step = 1; step <= steps; ++step) {
        const Batch batch = make_batch(64, pairs, data);
        const Tensor loss = cross_entropy(model.forward(batch).first, batch.answer);
        adam.zero_grad();
        loss.backward();
        adam.step();
        if (step % (steps / 5) == 0) fmt::print("step {:4}: loss {:.4f}\n", step, loss.item());
    }
    const auto [answer_after, looked_after] = evaluate();
    fmt::print("after {} steps: answers right {:.0f}%, largest weight on the queried key {:.0f}%\n",
               steps, 100 * answer_after, 100 * looked_after);
    const Tensor probe_keys = randn({4, pairs, 16});
    const SourceDependence dependence =
        check_source_dependence(*model.attention, randn({4, 16}), probe_keys, probe_keys);
    fmt::print("source-dependence check of the trained scorer: {}\n", dependence.summary());

    chapter.step("the learned alignment as a heatmap");
    const Tensor alignment = align_all(one);
    const std::vector<double> key_ids = one.keys.to_vector();
    const std::vector<double> value_ids = one.values.to_vector();
    std::vector<std::string> rows, columns;
    for (int64_t i = 0; i < pairs; ++i) {
        const auto key = static_cast<int64_t>(key_ids[i]);
        rows.push_back(fmt::format("k{}?", key));
        columns.push_back(fmt::format("k{}:v{}", key, static_cast<int64_t>(value_ids[i])));
    }
    const TerminalColour colour = plain ? TerminalColour::Plain : TerminalColour::Auto;
    fmt::print("before training, the weights are spread:\n{}",
               heatmap_text(alignment_before, rows, columns, colour));
    fmt::print("after training, each query looks at its own key:\n{}",
               heatmap_text(alignment, rows, columns, colour));
    const std::string path = tutorial::output_path("07_attention_alignment.svg");
    save_heatmap_svg(path, alignment, rows, columns, "Key-value retrieval: where each query looks");
    fmt::print("written: {} (open it in a browser)\n", path);
}
