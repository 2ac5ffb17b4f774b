// Benchmark of DESIGN.md's benchmark model: batch 64, source length 25, target length 11 (10
// decoder steps, teacher forcing), vocabularies 40 and 14, embedding 32, a one-layer biLSTM
// encoder of H per direction, an LSTMCell decoder of H with Bahdanau attention (W_k enc once per
// batch, decoder state starting at zero), logits = Linear([h_t; c_t]), mean cross-entropy, Adam
// (lr 1e-3). For H = 64 ... 512: milliseconds per training step (forward, backward, Adam), per
// greedy decode and per beam-5 decode of the batch (10 tokens at most), beside PyTorch's
// figures for the same model in the same run (bench/pytorch_reference.py, section seq2seq: its
// best of 1 and 2 threads).
// The training step's rate, train_gflops (its products' FLOPs over its time), is printed beside
// the machine's limit, gemm_peak_gflops: glimpse's best square GEMM rate, measured in this run
// as bench_gemm measures it. train_cpu1_ms is the training step's CPU time with one thread on
// both sides: on a machine that other programs load, wall-clock times scatter, and this is the
// steadier figure (no ratio is printed for it: the ratios are against PyTorch at its best).
//   build/bench/bench_seq2seq               (from the repository root)
//   build/bench/bench_seq2seq --no-pytorch  glimpse's figures alone (for profiling)
// speedup = PyTorch's time / glimpse's: above 1, glimpse is faster.

#include <omp.h>

#include <cstring>
#include <optional>
#include <string>

#include "bench/bench_util.hpp"
#include "bench/gemm_rate.hpp"
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

// The FLOPs of the matrix products of one training step (2 per multiply-add). The elementwise
// work (gates, tanh, softmax, Adam) is left out, so the rate is a lower bound of the work done.
double training_step_flops(int64_t hidden) {
    const double B = kBatch, S = kSourceLength, T = kTargetLength - 1, E = kEmbedding,
                 V = kTargetVocab, H = static_cast<double>(hidden);
    const auto product = [](double m, double k, double n) { return 2 * m * k * n; };  // [m,k]@[k,n]
    // Each direction: the inputs of all steps projected at once, then the recurrent product.
    const double encoder = 2 * (product(B * S, E, 4 * H) + S * product(B, H, 4 * H));
    const double keys = product(B * S, 2 * H, H);                   // W_k enc, once
    const double decoder_step = product(B, H, H)                    // W_q h_{t-1}
                                + product(B * S, H, 1)              // v^T tanh(...)
                                + product(B, S, 2 * H)              // a . enc
                                + product(B, E + 2 * H + H, 4 * H)  // LSTMCell: [emb; c], h
                                + product(B, 3 * H, V);             // Linear([h_t; c])
    const double forward = encoder + keys + T * decoder_step;
    // Backward: each product's gradient with respect to both its operands, each costing as much
    // as the product itself.
    return 3 * forward;
}

// The machine's limit for the products: glimpse's best float32 GEMM rate, at the sizes where
// bench_gemm finds it highest.
double gemm_peak_gflops() {
    return std::max(bench::glimpse_gemm_gflops(512), bench::glimpse_gemm_gflops(1024));
}

struct Figures {
    double train_ms, train_cpu1_ms, greedy_ms, beam5_ms;
};

Figures glimpse_figures(int64_t hidden) {
    manual_seed(0);
    decode::Seq2Seq model(benchmark_model(hidden));
    nn::Adam adam(model.parameters(), {.lr = 1e-3});
    const decode::Batch batch = random_batch();
    const auto train_step = [&] {
        adam.zero_grad();
        model.loss(batch).backward();
        adam.step();
    };
    Figures figures{};
    figures.train_ms = bench::median_ms(train_step, 9);
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    figures.train_cpu1_ms = bench::median_cpu_ms(train_step, 9);
    omp_set_num_threads(threads);
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
    const double peak = gemm_peak_gflops();
    for (const int64_t hidden : {64, 128, 256, 512}) {
        const Figures figures = glimpse_figures(hidden);
        const auto* reference = bench::find_record(pytorch, {{"hidden", double(hidden)}});
        const auto speedup = [&](const char* key, double glimpse_ms) {
            return bench::ratio(bench::figure(reference, key), glimpse_ms);
        };
        const double train_gflops = training_step_flops(hidden) / (figures.train_ms * 1e6);
        bench::JsonLine()
            .add("bench", "seq2seq")
            .add("hidden", static_cast<double>(hidden))
            .add("train_ms", figures.train_ms)
            .add_pytorch(reference, "pytorch_train_ms")
            .add("train_speedup", speedup("pytorch_train_ms", figures.train_ms))
            .add("train_gflop", training_step_flops(hidden) / 1e9)
            .add("train_gflops", train_gflops)
            .add("gemm_peak_gflops", peak)
            .add("train_fraction_of_peak", train_gflops / peak)
            .add("train_cpu1_ms", figures.train_cpu1_ms)
            .add("pytorch_train_cpu1_ms", bench::figure(reference, "pytorch_train_cpu1_ms"))
            .add("greedy_ms", figures.greedy_ms)
            .add_pytorch(reference, "pytorch_greedy_ms")
            .add("greedy_speedup", speedup("pytorch_greedy_ms", figures.greedy_ms))
            .add("beam5_ms", figures.beam5_ms)
            .add_pytorch(reference, "pytorch_beam5_ms")
            .add("beam5_speedup", speedup("pytorch_beam5_ms", figures.beam5_ms))
            .print();
    }
}
