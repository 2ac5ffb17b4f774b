#include "tests/training_run.hpp"

#include "core/random.hpp"
#include "decode/dataset.hpp"
#include "decode/seq2seq.hpp"
#include "decode/tasks.hpp"
#include "decode/vocab.hpp"
#include "nn/optim.hpp"

namespace glimpse::testing {

std::vector<float> training_losses(const TrainingRun& run) {
    using namespace decode;
    // String reversal, batches of 64 sources of up to 12 letters: the encoder's input
    // projection and its gradient are large enough for GEMM to split them between threads.
    const TaskData data = make_task(Task::Reverse, 256, 1, run.seed);
    std::vector<std::string> texts;
    for (const Example& e : data.train) texts.push_back(e.source);
    const Vocab vocab = Vocab::build(texts, Tokenization::Character);
    const std::vector<Batch> batches =
        make_batches(data.train, vocab, vocab, {.batch_size = 64, .seed = run.seed});

    manual_seed(run.seed);
    Seq2Seq model({.source_vocab = vocab.size(),
                   .target_vocab = vocab.size(),
                   .embedding_size = 32,
                   .hidden_size = run.hidden_size,
                   .bidirectional = true,
                   .dropout = 0.1});
    nn::Adam adam(model.parameters(), {.lr = 3e-3});
    std::vector<float> losses;
    for (int64_t step = 0; step < run.steps; ++step) {
        adam.zero_grad();
        // Scheduled sampling draws coins from the global generator, as dropout does.
        const Tensor loss = model.loss(batches[step % batches.size()], 0.8);
        loss.backward();
        nn::clip_grad_norm(model.parameters(), 1.0);
        adam.step();
        losses.push_back(static_cast<float>(loss.item()));
    }
    return losses;
}

}  // namespace glimpse::testing
