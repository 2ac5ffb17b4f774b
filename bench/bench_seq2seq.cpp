// Benchmark of DESIGN.md's benchmark model: batch 64, source length 25, target length 11 (10
// decoder steps, teacher forcing), vocabularies 40 and 14, embedding 32, a one-layer biLSTM
// encoder of H per direction, an LSTMCell decoder of H with Bahdanau attention (W_k enc once per
// batch, decoder state starting at zero), logits = Linear([h_t; c_t]), mean cross-entropy, Adam
// (lr 1e-3). For H = 64 ... 512: milliseconds per training step (forward, backward, Adam), per
// greedy decode and per beam-5 decode of the batch (10 tokens at most), beside PyTorch's
// figures for the same model in the same run (bench/pytorch_reference.py, section seq2seq).
//   build/bench/bench_seq2seq               (from the repository root)
//   build/bench/bench_seq2seq --no-pytorch  glimpse's figures alone (for profiling)
// speedup = PyTorch's time / glimpse's: above 1, glimpse is faster.

#include <cstring>
#include <optional>
#include <string>

#include "bench/bench_util.hpp"
#include "glimpse.hpp"

namespace {

using namespace glimpse;

constexpr int64_t kBatch = 64, kSourceLength = 25, kTargetLength = 11;
constexpr int64_t kSourceVocab = 40, kTargetVocab = 14, kEmbedding = 32;

decode::Seq2SeqConfig benchmark_model(int64_t hidden) {
    return {.source_vocab = kSourceVocab,
            .target_vocab = kTargetVocab,
            .embedding_size = kEmbedding,
            .hidden_size = hidden,
            .cell = nn::CellKind::LSTM,
            .bidirectional = true,
            .bridge = decode::Bridge::Zero,
            .attention = decode::AttentionKind::Bahdanau,
            .scorer = "bahdanau",
            .bahdanau_output = {.state = true, .context = true, .embedding = false}};
}

// Random tokens (ids 4 and up: no special token), every sentence of full length.
decode::Batch random_batch() {
    decode::Batch batch;
    batch.source = randint(4, kSourceVocab, {kBatch, kSourceLength});
    batch.source_lengths = full({kBatch}, kSourceLength, DType::Int64);
    const Tensor target = randint(4, kTargetVocab, {kBatch, kTargetLength});
    fill_(target.select(1, 0), static_cast<double>(decode::Vocab::sos));
    batch.target_input = target.narrow(1, 0, kTargetLength - 1);
    batch.target_output = target.narrow(1, 1, kTargetLength - 1);
    return batch;
}

struct Figures {
    double train_ms, greedy_ms, beam5_ms;
};

Figures glimpse_figures(int64_t hidden) {
    manual_seed(0);
    decode::Seq2Seq model(benchmark_model(hidden));
    nn::Adam adam(model.parameters(), {.lr = 1e-3});
    const decode::Batch batch = random_batch();
    Figures figures{};
    figures.train_ms = bench::median_ms(
        [&] {
            adam.zero_grad();
            model.loss(batch).backward();
            adam.step();
        },
        9);
    model.eval();
    decode::BeamSearchOptions beam;
    beam.beam_size = 5;
    beam.max_length = kTargetLength - 1;
    decode::DecodeOptions greedy;
    greedy.max_length = kTargetLength - 1;
    figures.greedy_ms = bench::median_ms(
        [&] {
            auto decoding = model.start_decoding(batch.source, batch.source_lengths);
            decode::greedy_search(*decoding, greedy);
        },
        9);
    figures.beam5_ms = bench::median_ms(
        [&] {
            auto decoding = model.start_decoding(batch.source, batch.source_lengths);
            decode::beam_search(*decoding, beam);
        },
        9);
    return figures;
}

}  // namespace

int main(int argc, char** argv) {
    const bool with_pytorch = !(argc > 1 && std::strcmp(argv[1], "--no-pytorch") == 0);
    const auto pytorch =
        with_pytorch ? bench::pytorch_reference("seq2seq") : std::vector<bench::Record>{};
    for (const int64_t hidden : {64, 128, 256, 512}) {
        const Figures figures = glimpse_figures(hidden);
        const auto* reference = bench::find_record(pytorch, {{"hidden", double(hidden)}});
        const auto torch = [&](const char* key) {
            return reference ? reference->number(key) : std::nullopt;
        };
        bench::JsonLine()
            .add("bench", "seq2seq")
            .add("hidden", static_cast<double>(hidden))
            .add("train_ms", figures.train_ms)
            .add("pytorch_train_ms", torch("pytorch_train_ms"))
            .add("train_speedup", bench::ratio(torch("pytorch_train_ms"), figures.train_ms))
            .add("greedy_ms", figures.greedy_ms)
            .add("pytorch_greedy_ms", torch("pytorch_greedy_ms"))
            .add("greedy_speedup", bench::ratio(torch("pytorch_greedy_ms"), figures.greedy_ms))
            .add("beam5_ms", figures.beam5_ms)
            .add("pytorch_beam5_ms", torch("pytorch_beam5_ms"))
            .add("beam5_speedup", bench::ratio(torch("pytorch_beam5_ms"), figures.beam5_ms))
            .print();
    }
}
