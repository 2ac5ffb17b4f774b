// Tutorial 09: seq2seq with attention — reading dates the way people write them.
//
// "3rd of May 1979", "Thursday, May 3, 1979", "03.05.1979" and "5/3/1979" are one date. This
// chapter trains an encoder-decoder with Bahdanau attention to rewrite any of fourteen formats
// as ISO 8601, "1979-05-03", one character at a time, then opens it up: greedy and beam search
// translate dates it never saw, and the attention weights, drawn as a heatmap, show the year,
// month and day of the output each reading their own part of the input.
//
// This is also glimpse's demo (`make demo`), with flags for it:
//   --checkpoint DIR   load the model saved in DIR by an earlier run, or train one and save it
//   --retrain          train even when DIR holds a model
//   --translate TEXT   translate TEXT instead of the built-in examples (several allowed)
//   --plain            no colours in the terminal heatmap

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

struct Flags {
    std::string checkpoint;  // empty: train, keep nothing
    bool retrain = false;
    bool plain = false;
    std::vector<std::string> translate;
};

Flags parse_flags(int argc, char** argv) {
    Flags flags;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--quick" || arg == "--step") continue;  // tutorial::Chapter reads these
        if (arg == "--retrain") {
            flags.retrain = true;
        } else if (arg == "--plain") {
            flags.plain = true;
        } else if (arg == "--checkpoint" && has_value) {
            flags.checkpoint = argv[++i];
        } else if (arg == "--translate" && has_value) {
            flags.translate.push_back(argv[++i]);
        } else {
            fmt::print(stderr,
                       "09_seq2seq_attention: unknown flag or missing value: '{}'\n"
                       "usage: 09_seq2seq_attention [--quick] [--step] [--plain] [--checkpoint DIR]"
                       " [--retrain] [--translate TEXT]...\n",
                       arg);
            std::exit(2);
        }
    }
    return flags;
}

// The recipe: how much data, how big a model, how long to train. The full run must reach 99%
// exact match on held-out dates within a minute on two cores: on the 2-core development machine,
// shared with other jobs, it reached 100% after 3 epochs, 13 s. --quick is the same story in
// seconds, too short to learn much.
struct Recipe {
    int64_t train_dates;
    int64_t test_dates;
    int64_t hidden_size;
    int64_t batch_size;
    double lr;
    double lr_decay;  // per epoch
    int64_t epochs;
    int64_t patience;  // epochs without a better held-out score before stopping
    double time_limit_seconds;
};

constexpr Recipe kFull{.train_dates = 10000,
                       .test_dates = 2000,
                       .hidden_size = 64,
                       .batch_size = 64,
                       .lr = 5e-3,
                       .lr_decay = 0.8,
                       .epochs = 5,
                       .patience = 1,
                       .time_limit_seconds = 45};
constexpr Recipe kQuick{.train_dates = 2000,
                        .test_dates = 200,
                        .hidden_size = 32,
                        .batch_size = 64,
                        .lr = 5e-3,
                        .lr_decay = 0.8,
                        .epochs = 3,
                        .patience = 2,
                        .time_limit_seconds = 3};

// Every output is "YYYY-MM-DD" and <eos>: 11 tokens. One spare lets a confused model show it.
const DecodeOptions kDecode{.max_length = 12};

// Parts of "YYYY-MM-DD" by output position: which tokens are the year, the month, the day.
struct Part {
    const char* name;
    int64_t first, last;  // output positions, inclusive
};
constexpr Part kParts[] = {{"year", 0, 3}, {"month", 5, 6}, {"day", 8, 9}};

// Where one part of the output looked: its rows of the attention averaged over the source, and
// a '^' under every source character that holds at least a tenth of that weight.
std::string marks(const Tensor& attention, const Part& part) {
    const Tensor share =
        mean(attention.narrow(0, part.first, part.last - part.first + 1), {0});  // [S]
    std::string line;
    for (const double weight : share.to_vector()) line += weight >= 0.1 ? '^' : ' ';
    return line;
}

}  // namespace

int main(int argc, char** argv) {
    const Flags flags = parse_flags(argc, argv);
    tutorial::Chapter chapter(argc, argv,
                              "Tutorial 09: seq2seq with attention — normalising dates");
    const Recipe& recipe = chapter.quick ? kQuick : kFull;
    manual_seed(9);

    chapter.step("the task: one date, fourteen ways to write it");
    // Each example is a date written in one of fourteen formats; the target is its ISO form.
    // Train and test are split by the date itself: a date in the test set is not in the training
    // set in any format, so a right answer there is reading, not remembering.
    const Date may_third{1979, 5, 3};
    for (const DateFormat format : all_date_formats()) {
        fmt::print("  {:<20} {:<24} -> {}\n", date_format_name(format),
                   format_date(may_third, format), iso_date(may_third));
    }
    const TaskData data = make_task(Task::Date, recipe.train_dates, recipe.test_dates, 9);
    fmt::print("{} training dates, {} held-out dates, each in a random format; for example:\n",
               data.train.size(), data.test.size());
    for (std::size_t i = 0; i < 4; ++i) {
        fmt::print("  {:<30} -> {}\n", data.train[i].source, data.train[i].target);
    }

    // A model saved by an earlier run (make demo) skips training. Anything wrong with it (a
    // missing or corrupt file, vocabularies that do not fit the weights) only means training anew.
    std::optional<Seq2SeqCheckpoint> saved;
    if (!flags.checkpoint.empty() && chapter.quick) {
        fmt::print("(--quick trains a small model: --checkpoint {} is neither read nor written)\n",
                   flags.checkpoint);
    } else if (!flags.checkpoint.empty() && !flags.retrain &&
               std::filesystem::exists(flags.checkpoint)) {
        try {
            saved = load_seq2seq(flags.checkpoint);
            if (saved->notes["task"] != "date") {
                throw Error(fmt::format("checkpoint {}: a model for task '{}', not 'date'",
                                        flags.checkpoint, saved->notes["task"]));
            }
        } catch (const Error& e) {
            fmt::print("The saved model cannot be used: {}\nTraining a new one instead.\n",
                       e.what());
            saved.reset();
        }
    } else if (!flags.checkpoint.empty() && !flags.retrain) {
        fmt::print("No model saved in {} yet: this run trains one and saves it there.\n",
                   flags.checkpoint);
    }

    chapter.step("vocabularies: characters to ids");
    // The model reads and writes characters. Each side has its own vocabulary, built from the
    // training data, most frequent first after the four special tokens <pad> <sos> <eos> <unk>.
    std::vector<std::string> sources, targets;
    for (const Example& example : data.train) {
        sources.push_back(example.source);
        targets.push_back(example.target);
    }
    const Vocab source_vocab =
        saved ? saved->source_vocab : Vocab::build(sources, Tokenization::Character);
    const Vocab target_vocab =
        saved ? saved->target_vocab : Vocab::build(targets, Tokenization::Character);
    if (saved) fmt::print("(read from {} with the model)\n", flags.checkpoint);
    for (const auto* vocab : {&source_vocab, &target_vocab}) {
        std::string tokens;
        for (int64_t id = 0; id < vocab->size(); ++id) tokens += "'" + vocab->token(id) + "' ";
        fmt::print("{} vocabulary, {} tokens: {}\n", vocab == &source_vocab ? "source" : "target",
                   vocab->size(), tokens);
    }
    const std::string sample = format_date(may_third, DateFormat::OrdinalOfMonth);
    fmt::print("'{}' -> ids {}\n", sample, fmt::join(source_vocab.encode(sample), " "));

    chapter.step("the model: a bidirectional encoder, a decoder with Bahdanau attention");
    // The encoder, a bidirectional LSTM, gives every source character a state that has read the
    // whole date from both sides. At each output step the decoder scores every one of those
    // states against its previous state s_{t-1} (additive attention), averages them by the
    // softmax of the scores into a context c_t, feeds [emb(y_{t-1}); c_t] to its LSTM cell, and
    // reads the next character's scores off [s_t; c_t; emb(y_{t-1})].
    const Seq2SeqConfig config{.source_vocab = source_vocab.size(),
                               .target_vocab = target_vocab.size(),
                               .embedding_size = 32,
                               .hidden_size = recipe.hidden_size,
                               .bidirectional = true,
                               .attention = AttentionKind::Bahdanau,
                               .scorer = "bahdanau"};
    manual_seed(9);  // the same initial weights, whatever ran before (a failed load draws too)
    const std::shared_ptr<Seq2Seq> model = saved ? saved->model : std::make_shared<Seq2Seq>(config);
    fmt::print("{}", model->summary());

    if (saved) {
        chapter.step("training: done before, loaded from " + flags.checkpoint);
        fmt::print(
            "This model was trained by an earlier run to {} exact match in {} s.\n"
            "(--retrain trains it again.)\n",
            saved->notes["exact_match"], saved->notes["train_seconds"]);
    } else {
        chapter.step("training: teacher forcing, cross-entropy, Adam");
        // Each step feeds the reference target to the decoder (teacher forcing) and minimises
        // the cross-entropy of its next characters. After each epoch the held-out dates are
        // translated with greedy search: the score is the share that comes out exactly right.
        // The best epoch's weights are kept.
        const std::vector<Batch> batches = make_batches(
            data.train, source_vocab, target_vocab, {.batch_size = recipe.batch_size, .seed = 9});
        fmt::print(
            "{} batches of {} per epoch; at most {} epochs, stopping after {} without progress "
            "or after the epoch that passes {} s\n",
            batches.size(), recipe.batch_size, recipe.epochs, recipe.patience,
            recipe.time_limit_seconds);
        const TrainReport report = train(
            *model, batches, [&](const Batch& batch) { return model->loss(batch); },
            [&] {
                return translation_exact_match(*model, data.test, source_vocab, target_vocab,
                                               greedy(kDecode), 256);
            },
            {.epochs = recipe.epochs,
             .lr = recipe.lr,
             .lr_decay = recipe.lr_decay,
             .patience = recipe.patience,
             .time_limit_seconds = recipe.time_limit_seconds});
        fmt::print("epoch  train loss  held-out exact match  seconds\n");
        for (const EpochReport& epoch : report.epochs) {
            fmt::print("{:5}  {:10.4f}  {:19.2f}%  {:7.1f}{}\n", epoch.epoch, epoch.train_loss,
                       100 * epoch.evaluation, epoch.seconds, epoch.improved ? "  *" : "");
        }
        const double seconds = report.epochs.back().seconds;
        fmt::print("Trained for {:.1f} s (evaluations included); kept epoch {}.\n", seconds,
                   report.best_epoch);
        const auto first_at_99 =
            std::find_if(report.epochs.begin(), report.epochs.end(),
                         [](const EpochReport& epoch) { return epoch.evaluation >= 0.99; });
        if (first_at_99 != report.epochs.end()) {
            fmt::print(
                "Held-out exact match first reached 99% at epoch {}, {:.1f} s into training.\n",
                first_at_99->epoch, first_at_99->seconds);
        }
        if (!flags.checkpoint.empty() && !chapter.quick) {
            try {
                save_seq2seq(flags.checkpoint, *model, source_vocab, target_vocab,
                             {{"task", "date"},
                              {"exact_match", fmt::format("{:.2f}%", 100 * report.best_evaluation)},
                              {"train_seconds", fmt::format("{:.1f}", seconds)}});
                fmt::print("Saved model, vocabularies and config to {}/\n", flags.checkpoint);
            } catch (const Error& e) {
                fmt::print("Could not save the model ({}): it serves this run only.\n", e.what());
            }
        }
    }
    model->eval();

    chapter.step("evaluation: exact match on held-out dates, greedy search");
    const double held_out = translation_exact_match(*model, data.test, source_vocab, target_vocab,
                                                    greedy(kDecode), 256);
    fmt::print("greedy exact match on {} held-out dates: {:.2f}%\n", data.test.size(),
               100 * held_out);

    chapter.step("translating dates with greedy search");
    // Greedy search takes the most probable character at every step. By default the examples are
    // held-out dates, each in another format; --translate gives your own.
    std::vector<std::string> inputs = flags.translate;
    std::vector<std::string> expected;
    if (inputs.empty()) {
        const std::vector<DateFormat> formats = {
            DateFormat::OrdinalOfMonth,    DateFormat::WeekdayMonthDay, DateFormat::DottedDayFirst,
            DateFormat::SlashedMonthFirst, DateFormat::LowerShortYear,  DateFormat::ShortWeekday};
        for (std::size_t i = 0; i < formats.size(); ++i) {
            const Date date = *parse_iso_date(data.test[i].target);
            inputs.push_back(format_date(date, formats[i]));
            expected.push_back(data.test[i].target);
        }
    }
    for (const std::string& input : inputs) {
        const std::vector<std::string> unknown = unknown_tokens(source_vocab, input);
        if (!unknown.empty()) {
            fmt::print("note: '{}' has characters the model never saw: '{}' (read as <unk>)\n",
                       input, fmt::join(unknown, "' '"));
        }
    }
    std::vector<std::string> readable;  // the inputs that are not empty
    std::copy_if(inputs.begin(), inputs.end(), std::back_inserter(readable),
                 [](const std::string& s) { return !s.empty(); });
    if (readable.size() < inputs.size()) fmt::print("note: empty inputs are skipped\n");
    if (readable.empty()) return 0;
    const std::vector<Hypothesis> greedy =
        greedy_translate(*model, readable, source_vocab, kDecode);
    for (std::size_t i = 0; i < readable.size(); ++i) {
        const std::string output = target_vocab.decode(greedy[i].tokens);
        std::string verdict;
        if (!expected.empty())
            verdict = output == expected[i] ? "  right" : "  WRONG: " + expected[i];
        fmt::print("  {:<32} -> {}  (log P = {:.4f}){}\n", readable[i], output, greedy[i].log_prob,
                   verdict);
    }

    chapter.step("beam search: the n best translations with their scores");
    // Beam search keeps the 5 most probable partial outputs at every step instead of one, and
    // returns the best 3 finished ones. The score is log P divided by GNMT's length penalty
    // ((5 + |Y|) / 6)^0.6: a right date has 11 tokens, and a longer, wrong one is divided by a
    // little more, which can lift it above a shorter one with a higher log P.
    BeamSearchOptions beam{kDecode, {.length_penalty = LengthPenalty::GNMT, .alpha = 0.6}};
    beam.beam_size = 5;
    beam.n_best = 3;
    const std::vector<NBestList> lists = beam_translate(*model, readable, source_vocab, beam);
    for (std::size_t i = 0; i < readable.size(); ++i) {
        fmt::print("  {}\n", readable[i]);
        for (std::size_t k = 0; k < lists[i].size(); ++k) {
            const Hypothesis& h = lists[i][k];
            fmt::print("    {}. {:<12} log P = {:9.4f}  score = {:9.4f}\n", k + 1,
                       target_vocab.decode(h.tokens), h.log_prob, h.score);
        }
    }

    chapter.step("where the model looks: attention as an alignment");
    // Row t of the heatmap is the attention while writing output character t: a distribution
    // over the source characters. The year's digits read the source's year, the month's digits
    // read the month (a name or digits), the day's read the day: the model has learnt, with no
    // one telling it, where each part of a date is written.
    const attention::TerminalColour colour =
        flags.plain ? attention::TerminalColour::Plain : attention::TerminalColour::Auto;
    const std::size_t shown =
        std::min<std::size_t>(readable.size(), flags.translate.empty() ? 2 : 3);
    for (std::size_t i = 0; i < shown; ++i) {
        const Hypothesis& h = greedy[i];
        const std::vector<std::string> source = source_vocab.tokenize(readable[i]);
        std::vector<std::string> rows;
        for (const int64_t id : h.tokens) rows.push_back(target_vocab.token(id));
        fmt::print("'{}' -> '{}'\n{}", readable[i], target_vocab.decode(h.tokens),
                   attention::heatmap_text(h.attention, rows, source, colour));
        if (target_vocab.decode(h.tokens).size() == 10) {  // "YYYY-MM-DD"
            const std::string output = target_vocab.decode(h.tokens);
            for (const Part& part : kParts) {
                const std::string written =
                    output.substr(static_cast<std::size_t>(part.first),
                                  static_cast<std::size_t>(part.last - part.first + 1));
                fmt::print("  {:<5} {:<4} read  {}\n  {:17}{}\n", part.name, written, readable[i],
                           "", marks(h.attention, part));
            }
        }
        const std::string path = tutorial::output_path(fmt::format("09_attention_{}.svg", i + 1));
        attention::save_heatmap_svg(path, h.attention, rows, source,
                                    fmt::format("Attention: '{}' -> ISO 8601", readable[i]));
        fmt::print("  (as SVG: {})\n\n", path);
    }
    return 0;
}
