// Tutorial 09: seq2seq with attention — reading dates the way people write them.
//
// "3rd of May 1979", "Thursday, May 3, 1979", "23.05.79" and "5/23/1979" are dates. This
// chapter trains an encoder-decoder with Bahdanau attention to rewrite any of twenty-four formats
// as ISO 8601, "1979-05-03", one character at a time, then opens it up: greedy and beam search
// translate dates it never saw, a grammar keeps every answer a real date, and the attention
// weights, drawn as a heatmap, show the year, month and day of the output each reading their own
// part of the input.
//
// This is also glimpse's demo (`make demo`), with flags for it:
//   --checkpoint DIR         load the model saved in DIR by an earlier run, or train one and
//                            save it there
//   --retrain                train even when DIR holds a model
//   --translate TEXT         read TEXT instead of the built-in examples (several allowed)
//   --check-examples FILE    read the examples of FILE's table of demo examples (the README's,
//                            `make demo-check`) and compare each answer with the one shown there
//   --plain                  no colours in the terminal heatmap

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
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
    std::string check_examples;  // a README with a table of demo examples
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
        } else if (arg == "--check-examples" && has_value) {
            flags.check_examples = argv[++i];
        } else {
            fmt::print(stderr,
                       "09_seq2seq_attention: unknown flag or missing value: '{}'\n"
                       "usage: 09_seq2seq_attention [--quick] [--step] [--plain] [--checkpoint DIR]"
                       " [--retrain] [--translate TEXT]... [--check-examples README.md]\n",
                       arg);
            std::exit(2);
        }
    }
    return flags;
}

// The recipe: how much data, how big a model, how long to train. The full run must reach 99%
// exact match on held-out dates within a minute on two cores: on the idle 2-core development
// machine it reached 99.85% after 2 epochs (314 steps), 3.0 s. --quick is the same story in
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

// What a saved model was trained on, written beside it: a model of an older version of this
// chapter, trained on other formats, is retrained rather than used.
std::string formats_note() {
    std::vector<std::string_view> names;
    for (const DateFormat format : all_date_formats()) names.push_back(date_format_name(format));
    return fmt::format("{}", fmt::join(names, " "));
}

// Why a model loaded from `dir`, saved by an earlier run, cannot serve this run, or "" when it
// can: it may be a model of another task, of other date formats, other vocabularies or another
// size (saved by an older version of this chapter).
std::string why_unusable(const std::string& dir, const Seq2SeqCheckpoint& saved,
                         const Vocab& source_vocab, const Vocab& target_vocab,
                         const Seq2SeqConfig& config) {
    const CheckpointNotes& notes = saved.notes;
    const auto note = [&](const std::string& key) {
        const auto found = notes.find(key);
        return found == notes.end() ? std::string("none") : found->second;
    };
    if (note("task") != "date") {
        return fmt::format("{} holds a model for task '{}'", dir, note("task"));
    }
    if (note("formats") != formats_note()) {
        return fmt::format("{} holds a model trained on other date formats (noted: {})", dir,
                           note("formats"));
    }
    if (!(saved.source_vocab == source_vocab) || !(saved.target_vocab == target_vocab)) {
        return fmt::format("{} holds vocabularies other than this data's", dir);
    }
    if (config_text(saved.model->config()) != config_text(config)) {
        return fmt::format("{}/config.txt describes another model than this recipe's:\n{}", dir,
                           config_text(saved.model->config()));
    }
    return "";
}

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

// One input and what the demo answers: the date with its probability, or why there is none.
std::string answer_line(const std::string& input, const DateAnswer& answer) {
    std::string text = fmt::format("  {:<24} -> {}", input, answer.verdict());
    const std::string indent = fmt::format("\n  {:<24}    ", "");
    switch (answer.kind) {
        case DateAnswer::Kind::Date:
            text += fmt::format("  P = {:.3f}{}", answer.probability,
                                answer.low_confidence() ? "  low confidence" : "");
            if (!answer.unconstrained.empty()) {
                const auto date = parse_iso_date(answer.unconstrained);
                const char* what = !date ? ", not a date"
                                   : date->year < kFirstYear || date->year > kLastYear
                                       ? ", outside the years the model knows"
                                       : "";
                text += fmt::format("{}(without the grammar: {}, P = {:.3f}{})", indent,
                                    answer.unconstrained, answer.unconstrained_probability, what);
            }
            break;
        case DateAnswer::Kind::Ambiguous:
            text += fmt::format("{}(day first {}: P = {:.3f}; month first {}: P = {:.3f})", indent,
                                answer.readings[0], answer.reading_probabilities[0],
                                answer.readings[1], answer.reading_probabilities[1]);
            break;
        case DateAnswer::Kind::YearOutsideRange:
            text += fmt::format(" ({} is not one of the years the model learnt)", answer.year);
            break;
        case DateAnswer::Kind::NotADate:
            text += " (neither day first nor month first is a real date)";
            break;
    }
    if (!answer.unknown.empty()) {
        text += fmt::format("{}(characters it never saw, read as <unk>: '{}')", indent,
                            fmt::join(answer.unknown, "' '"));
    }
    return text;
}

// The demo examples of a README: the rows "| `input` | `answer` |" of the table between the
// lines "<!-- demo examples -->" and "<!-- /demo examples -->".
std::vector<std::pair<std::string, std::string>> readme_examples(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw Error(fmt::format("--check-examples: cannot read {}", path));
    const auto cell = [](std::string text) {
        const auto first = text.find_first_not_of(" `");
        const auto last = text.find_last_not_of(" `");
        return first == std::string::npos ? "" : text.substr(first, last - first + 1);
    };
    std::vector<std::pair<std::string, std::string>> examples;
    bool inside = false;
    for (std::string line; std::getline(file, line);) {
        if (line == "<!-- demo examples -->") inside = true;
        if (line == "<!-- /demo examples -->") inside = false;
        if (!inside || !line.starts_with("| `")) continue;
        const auto second_bar = line.find('|', 1);
        const auto third_bar = line.find('|', second_bar + 1);
        if (third_bar == std::string::npos) {
            throw Error(
                fmt::format("--check-examples: {}: a row without two cells: '{}'", path, line));
        }
        examples.emplace_back(cell(line.substr(1, second_bar - 1)),
                              cell(line.substr(second_bar + 1, third_bar - second_bar - 1)));
    }
    if (examples.empty()) {
        throw Error(fmt::format(
            "--check-examples: {} has no demo examples between '<!-- demo examples -->' and "
            "'<!-- /demo examples -->'",
            path));
    }
    return examples;
}

// Reads every example of the README and compares the answer with the one shown there; the last
// line counts them. Exit status 1 when any differs.
int check_examples(const std::string& path, const Seq2Seq& model, const Vocab& source_vocab,
                   const Vocab& target_vocab) {
    const auto examples = readme_examples(path);
    std::vector<std::string> inputs;
    for (const auto& example : examples) inputs.push_back(example.first);
    const std::vector<DateAnswer> answers = read_dates(model, inputs, source_vocab, target_vocab);
    int failed = 0;
    fmt::print("\nThe examples of {}:\n", path);
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const bool right = answers[i].verdict() == examples[i].second;
        failed += !right;
        fmt::print("{:<5} {}{}\n", right ? "ok" : "WRONG", answer_line(inputs[i], answers[i]),
                   right ? "" : fmt::format("\n      {} shows: {}", path, examples[i].second));
    }
    fmt::print("demo-check: {} passed, {} failed\n", static_cast<int>(examples.size()) - failed,
               failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const Flags flags = parse_flags(argc, argv);
    tutorial::Chapter chapter(argc, argv,
                              "Tutorial 09: seq2seq with attention — normalising dates");
    const Recipe& recipe = chapter.quick ? kQuick : kFull;
    if (chapter.quick && !flags.check_examples.empty()) {
        fmt::print(stderr, "--check-examples needs the fully trained model: drop --quick\n");
        return 2;
    }
    manual_seed(9);

    chapter.step("the task: one date, twenty-four ways to write it");
    // Each example is a date written in one of twenty-four formats; the target is its ISO form.
    // Train and test are split by the date itself: a date in the test set is not in the training
    // set in any format, so a right answer there is reading, not remembering.
    // Numeric dates can mean two dates: 03/05/1979 is the 3rd of May read day first and the 5th
    // of March read month first. Nothing in the string says which, so training on it would teach
    // the model to guess; such strings are left out (the date is written in another format),
    // and below the demo names them and scores both readings instead of picking one.
    const Date may_third{1979, 5, 3};
    for (const DateFormat format : all_date_formats()) {
        const std::string text = format_date(may_third, format);
        std::string remark;
        if (is_ambiguous(may_third, format)) {
            const std::vector<Date> readings = *numeric_readings(text);
            remark = fmt::format("  ambiguous: also {}; never trained on",
                                 iso_date(readings[0] == may_third ? readings[1] : readings[0]));
        }
        fmt::print("  {:<26} {:<22} -> {}{}\n", date_format_name(format), text, iso_date(may_third),
                   remark);
    }
    const TaskData data = make_task(Task::Date, recipe.train_dates, recipe.test_dates, 9);
    fmt::print("{} training dates, {} held-out dates, each in a random format; for example:\n",
               data.train.size(), data.test.size());
    for (std::size_t i = 0; i < 4; ++i) {
        fmt::print("  {:<30} -> {}\n", data.train[i].source, data.train[i].target);
    }

    chapter.step("vocabularies: characters to ids");
    // The model reads and writes characters. Each side has its own vocabulary, built from the
    // training data, most frequent first after the four special tokens <pad> <sos> <eos> <unk>.
    std::vector<std::string> sources, targets;
    for (const Example& example : data.train) {
        sources.push_back(example.source);
        targets.push_back(example.target);
    }
    const Vocab source_vocab = Vocab::build(sources, Tokenization::Character);
    const Vocab target_vocab = Vocab::build(targets, Tokenization::Character);
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

    // A model saved by an earlier run (make demo) skips training. Anything wrong with it (a
    // missing or corrupt file, a model of an older version of this chapter) is named, and only
    // means training anew.
    std::optional<Seq2SeqCheckpoint> saved;
    if (!flags.checkpoint.empty() && chapter.quick) {
        fmt::print("(--quick trains a small model: --checkpoint {} is neither read nor written)\n",
                   flags.checkpoint);
    } else if (!flags.checkpoint.empty() && !flags.retrain &&
               std::filesystem::exists(flags.checkpoint)) {
        std::string problem;
        try {
            saved = load_seq2seq(flags.checkpoint);
            problem = why_unusable(flags.checkpoint, *saved, source_vocab, target_vocab, config);
        } catch (const Error& e) {
            problem = e.what();
        }
        if (!problem.empty()) {
            fmt::print("The saved model cannot be used: {}\nTraining a new one instead.\n",
                       problem);
            saved.reset();
        } else {
            fmt::print("(loaded from {})\n", flags.checkpoint);
        }
    } else if (!flags.checkpoint.empty() && !flags.retrain) {
        fmt::print("No model saved in {} yet: this run trains one and saves it there.\n",
                   flags.checkpoint);
    }
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
                "Held-out exact match first reached 99% at epoch {} ({} steps), {:.1f} s into "
                "training.\n",
                first_at_99->epoch, first_at_99->epoch * static_cast<int64_t>(batches.size()),
                first_at_99->seconds);
        }
        if (!flags.checkpoint.empty() && !chapter.quick) {
            try {
                save_seq2seq(flags.checkpoint, *model, source_vocab, target_vocab,
                             {{"task", "date"},
                              {"formats", formats_note()},
                              {"exact_match", fmt::format("{:.2f}%", 100 * report.best_evaluation)},
                              {"train_seconds", fmt::format("{:.1f}", seconds)}});
                fmt::print("Saved model, vocabularies and config to {}/\n", flags.checkpoint);
            } catch (const Error& e) {
                fmt::print("Could not save the model ({}): it serves this run only.\n", e.what());
            }
        }
    }
    model->eval();

    if (!flags.check_examples.empty()) {
        return check_examples(flags.check_examples, *model, source_vocab, target_vocab);
    }

    chapter.step("evaluation: exact match on held-out dates, greedy search");
    const double held_out = translation_exact_match(*model, data.test, source_vocab, target_vocab,
                                                    greedy(kDecode), 256);
    fmt::print("greedy exact match on {} held-out dates: {:.2f}%\n", data.test.size(),
               100 * held_out);

    chapter.step("reading dates: a grammar keeps every answer a real date");
    // Greedy search alone writes whatever characters the model finds most probable, and a
    // confused model can write 1999-13-12. Constrained decoding masks, at every step, the
    // characters that cannot continue a real date (decode::DateGrammar: a month 01..12, a day
    // that exists in that month): the answer is then always a date, and its probability P is
    // still the model's own. An answer below P = 0.5 is marked low-confidence, and when the
    // unconstrained search wrote something else, that is shown beside it.
    // Before the model is asked, the input is read as a person would: a four-digit year outside
    // 1950..2049 is beyond what the model learnt; a numeric date with two readings is ambiguous,
    // and both readings are scored under the model by forced decoding (each one fed to the
    // decoder as if it were the answer: P(reading | input)). By default the inputs are held-out
    // dates, each in another format; --translate gives your own.
    std::vector<std::string> inputs = flags.translate;
    std::vector<std::string> expected;
    if (inputs.empty()) {
        const std::vector<DateFormat> formats = {
            DateFormat::OrdinalOfMonth,      DateFormat::WeekdayMonthDay,
            DateFormat::DottedDayFirst,      DateFormat::SlashedMonthFirst,
            DateFormat::DashedDayFirstShort, DateFormat::ShortWeekday};
        for (std::size_t i = 0; i < formats.size(); ++i) {
            const Date date = *parse_iso_date(data.test[i].target);
            const DateFormat format = is_ambiguous(date, formats[i]) ? DateFormat::Iso : formats[i];
            inputs.push_back(format_date(date, format));
            expected.push_back(data.test[i].target);
        }
    }
    std::vector<std::string> readable;  // the inputs that are not empty
    std::copy_if(inputs.begin(), inputs.end(), std::back_inserter(readable),
                 [](const std::string& s) { return !s.empty(); });
    if (readable.size() < inputs.size()) fmt::print("note: empty inputs are skipped\n");
    if (readable.empty()) return 0;
    const std::vector<DateAnswer> answers =
        read_dates(*model, readable, source_vocab, target_vocab);
    for (std::size_t i = 0; i < readable.size(); ++i) {
        std::string verdict;
        if (!expected.empty()) {
            verdict = answers[i].verdict() == expected[i] ? "  right" : "  WRONG: " + expected[i];
        }
        fmt::print("{}{}\n", answer_line(readable[i], answers[i]), verdict);
    }

    // The rest reads the inputs that got a date: n-best lists and where the model looked.
    std::vector<std::string> answered;
    std::vector<const Hypothesis*> best;
    for (std::size_t i = 0; i < readable.size(); ++i) {
        if (answers[i].kind != DateAnswer::Kind::Date) continue;
        answered.push_back(readable[i]);
        best.push_back(&answers[i].hypothesis);
    }
    if (answered.empty()) return 0;

    chapter.step("beam search under the grammar: the n best dates with their scores");
    // Beam search keeps the 5 most probable partial outputs at every step instead of one, and
    // returns the best 3 finished ones; the grammar lets only real dates into the beam. The
    // score is log P divided by GNMT's length penalty ((5 + |Y|) / 6)^0.6; under the grammar
    // every output has 11 tokens, so the penalty divides all alike and keeps their order.
    BeamSearchOptions beam{kDecode, {.length_penalty = LengthPenalty::GNMT, .alpha = 0.6}};
    beam.beam_size = 5;
    beam.n_best = 3;
    beam.constraint = std::make_shared<DateGrammar>(target_vocab);
    const std::vector<NBestList> lists = beam_translate(*model, answered, source_vocab, beam);
    for (std::size_t i = 0; i < answered.size(); ++i) {
        fmt::print("  {}\n", answered[i]);
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
        std::min<std::size_t>(answered.size(), flags.translate.empty() ? 2 : 3);
    for (std::size_t i = 0; i < shown; ++i) {
        const Hypothesis& h = *best[i];
        const std::vector<std::string> source = source_vocab.tokenize(answered[i]);
        std::vector<std::string> rows;
        for (const int64_t id : h.tokens) rows.push_back(target_vocab.token(id));
        const std::string output = target_vocab.decode(h.tokens);  // "YYYY-MM-DD"
        fmt::print("'{}' -> '{}'\n{}", answered[i], output,
                   attention::heatmap_text(h.attention, rows, source, colour));
        for (const Part& part : kParts) {
            const std::string written =
                output.substr(static_cast<std::size_t>(part.first),
                              static_cast<std::size_t>(part.last - part.first + 1));
            fmt::print("  {:<5} {:<4} read  {}\n  {:17}{}\n", part.name, written, answered[i], "",
                       marks(h.attention, part));
        }
        const std::string path = tutorial::output_path(fmt::format("09_attention_{}.svg", i + 1));
        attention::save_heatmap_svg(path, h.attention, rows, source,
                                    fmt::format("Attention: '{}' -> ISO 8601", answered[i]));
        fmt::print("  (as SVG: {})\n\n", path);
    }
    return 0;
}
