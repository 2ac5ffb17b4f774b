// Checks of assignment a6: the student's MGU and cosine attention trained end to end to reverse
// strings (the model is in a6_reverse_end_to_end.hpp).

#include <fmt/format.h>

#include <cmath>

#include "tutorials/coursework/a6_reverse_end_to_end.hpp"
#include "tutorials/coursework/checks/checker.hpp"

namespace coursework::check {

using namespace glimpse;

namespace {

constexpr int64_t kEmbedding = 16, kHidden = 32;
constexpr int64_t kTrainSteps = 600;  // batches of 32
constexpr double kRequired = 0.9;     // greedy exact match on held-out strings

struct ReverseTask {
    decode::TaskData data;
    decode::Vocab vocab;  // source and target alike
};

const ReverseTask& reverse_task() {
    static const ReverseTask task = [] {
        decode::TaskOptions options;
        options.min_length = 3;
        options.max_length = 6;
        options.symbols = "abcdefgh";
        decode::TaskData data = decode::make_task(decode::Task::Reverse, 3000, 200, 9, options);
        std::vector<std::string> texts;
        for (const decode::Example& e : data.train) texts.push_back(e.source);
        decode::Vocab vocab = decode::Vocab::build(texts, decode::Tokenization::Character);
        return ReverseTask{std::move(data), std::move(vocab)};
    }();
    return task;
}

ReverseModel make_model() {
    manual_seed(2);
    return ReverseModel(reverse_task().vocab.size(), kEmbedding, kHidden);
}

decode::Batch batch_of(const std::vector<int64_t>& indices) {
    const ReverseTask& task = reverse_task();
    return decode::make_batch(task.data.test, indices, task.vocab, task.vocab);
}

// The teacher-forced logits [B, T, V] of a batch.
Tensor teacher_forced_logits(const ReverseModel& model, const decode::Batch& batch) {
    const Encoded encoded = model.encode(batch.source, batch.source_mask);
    Tensor h = encoded.h;
    std::vector<Tensor> logits;
    for (int64_t t = 0; t < batch.target_input.size(1); ++t) {
        const DecoderStep step = model.decode_step(batch.target_input.select(1, t), h, encoded);
        logits.push_back(step.logits);
        h = step.h;
    }
    return stack(logits, 1);
}

// The model as the searches of decode/ see it: one decoder step for every live row.
class ReverseDecoding : public decode::StepModel {
  public:
    ReverseDecoding(const ReverseModel& model, const decode::Batch& batch)
        : model_(model),
          encoded_(model.encode(batch.source, batch.source_mask)),
          h_(encoded_.h),
          lengths_(batch.source_lengths.to_vector()) {}

    int64_t batch_size() const override { return static_cast<int64_t>(lengths_.size()); }
    int64_t source_length(int64_t b) const override {
        return static_cast<int64_t>(lengths_.at(static_cast<std::size_t>(b)));
    }
    decode::StepOutput step(const Tensor& tokens) override {
        const DecoderStep step = model_.decode_step(tokens, h_, encoded_);
        h_ = step.h;
        return {log_softmax(step.logits, 1), step.weights};
    }
    void select_rows(const Tensor& rows) override {
        h_ = index_select(h_, 0, rows);
        encoded_.source = model_.attention->select_rows(encoded_.source, rows);
    }

  private:
    const ReverseModel& model_;
    Encoded encoded_;
    Tensor h_;
    std::vector<double> lengths_;
};

void check_shapes() {
    const ReverseModel model = make_model();
    const decode::Batch batch = batch_of({0, 1, 2});
    const int64_t B = 3, S = batch.source.size(1), V = reverse_task().vocab.size();
    const Encoded encoded = model.encode(batch.source, batch.source_mask);
    expect(encoded.source.keys.defined() && encoded.source.keys.shape() == Shape{B, S, kHidden},
           fmt::format("encode: the prepared keys should be [{}, {}, {}] (the encoder's states)", B,
                       S, kHidden));
    expect(encoded.h.defined() && encoded.h.shape() == Shape{B, kHidden},
           fmt::format("encode: the decoder's first state should be [{}, {}]", B, kHidden));
    const DecoderStep step =
        model.decode_step(full({B}, decode::Vocab::sos, DType::Int64), encoded.h, encoded);
    expect(step.logits.defined() && step.logits.shape() == Shape{B, V},
           fmt::format("decode_step: logits should be [{}, {}]", B, V));
    expect(step.h.defined() && step.h.shape() == Shape{B, kHidden},
           fmt::format("decode_step: the new state should be [{}, {}]", B, kHidden));
    expect(step.weights.defined() && step.weights.shape() == Shape{B, S},
           fmt::format("decode_step: the attention weights should be [{}, {}]", B, S));
}

// Test sentence 0 alone and inside a batch with longer sentences (so it is padded there).
void check_padding() {
    const ReverseModel model = make_model();
    const ReverseTask& task = reverse_task();
    int64_t shortest = 0;
    for (int64_t i = 0; i < 20; ++i) {
        if (task.data.test[i].source.size() < task.data.test[shortest].source.size()) shortest = i;
    }
    int64_t longest = 0;
    for (int64_t i = 0; i < 20; ++i) {
        if (task.data.test[i].source.size() > task.data.test[longest].source.size()) longest = i;
    }
    const decode::Batch alone = batch_of({shortest});
    const decode::Batch padded = batch_of({longest, shortest});
    const Tensor state_alone = model.encode(alone.source, alone.source_mask).h;
    const Tensor state_padded = model.encode(padded.source, padded.source_mask).h.select(0, 1);
    expect_close(fmt::format("encode(\"{}\").h alone against padded after \"{}\"",
                             task.data.test[shortest].source, task.data.test[longest].source),
                 state_padded, state_alone.select(0, 0), 1e-5, 1e-4);
    const int64_t T = alone.target_input.size(1);
    const Tensor logits_alone = teacher_forced_logits(model, alone).select(0, 0);
    const Tensor logits_padded = teacher_forced_logits(model, padded).select(0, 1).narrow(0, 0, T);
    expect_close("the teacher-forced logits, alone against padded", logits_padded, logits_alone,
                 1e-5, 1e-4);
}

void check_attention_rows() {
    const ReverseModel model = make_model();
    const decode::Batch batch = batch_of({0, 1, 2, 3});
    ReverseDecoding decoding(model, batch);
    decode::DecodeOptions options;
    options.max_length = 4;
    const std::vector<decode::Hypothesis> best = decode::greedy_search(decoding, options);
    for (std::size_t b = 0; b < best.size(); ++b) {
        const Tensor sums = sum(best[b].attention, {1});
        expect_close(fmt::format("sentence {}: the attention of each step over its real source "
                                 "positions, summed",
                                 b),
                     sums, ones_like(sums), 1e-5, 1e-5);
    }
}

void check_training() {
    ReverseModel model = make_model();
    const ReverseTask& task = reverse_task();
    nn::AdamOptions adam_options;
    adam_options.lr = 0.01;
    nn::Adam adam(model.parameters(), adam_options);
    decode::BatchOptions batching;
    batching.batch_size = 32;
    const std::vector<decode::Batch> batches =
        decode::make_batches(task.data.train, task.vocab, task.vocab, batching);
    CrossEntropyOptions loss_options;
    loss_options.ignore_index = decode::Vocab::pad;
    double loss_value = 0;
    for (int64_t step = 0; step < kTrainSteps; ++step) {
        const decode::Batch& batch = batches[static_cast<std::size_t>(step) % batches.size()];
        const Tensor logits = teacher_forced_logits(model, batch);  // [B, T, V]
        const Tensor loss = cross_entropy(logits.reshape({-1, logits.size(2)}),
                                          batch.target_output.reshape({-1}), loss_options);
        adam.zero_grad();
        loss.backward();
        nn::clip_grad_norm(model.parameters(), 1.0);
        adam.step();
        loss_value = loss.item();
    }
    std::vector<std::string> outputs, references;
    for (const decode::Example& e : task.data.test) references.push_back(e.target);
    std::vector<int64_t> all(task.data.test.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
    ReverseDecoding decoding(model, batch_of(all));
    decode::DecodeOptions options;
    options.max_length = 8;
    for (const decode::Hypothesis& h : decode::greedy_search(decoding, options)) {
        std::vector<int64_t> tokens = h.tokens;
        if (h.finished) tokens.pop_back();  // <eos>
        outputs.push_back(task.vocab.decode(tokens));
    }
    const double match = decode::exact_match(outputs, references);
    fmt::print(
        "        after {} steps: training loss {:.4f}, held-out exact match {:.1f}% "
        "(e.g. {} -> {})\n",
        kTrainSteps, loss_value, 100 * match, task.data.test[0].source, outputs[0]);
    expect(match >= kRequired,
           fmt::format("held-out exact match {:.1f}% after {} steps, needs {:.0f}%", 100 * match,
                       kTrainSteps, 100 * kRequired));
}

}  // namespace

Assignment a6_reverse_end_to_end() {
    return {
        "a6",
        "your MGU and cosine attention end to end: reversing strings (a6_reverse_end_to_end.cpp)",
        {
            {"encode and decode_step give the documented shapes", check_shapes},
            {"a padded sentence encodes and decodes as it does alone", check_padding},
            {"each step's attention is a distribution over the real source positions",
             check_attention_rows},
            {fmt::format("after {} training steps, held-out greedy exact match >= {:.0f}%",
                         kTrainSteps, 100 * kRequired),
             check_training},
        },
    };
}

}  // namespace coursework::check
