// Tutorial 12: pretraining and fine-tuning — learn from a large task, reuse it on a small one.
//
// Labelled data for the task you care about is often scarce, while a related task has plenty.
// Transfer learning trains a model on the large task first (pretraining), saves it, loads what
// fits into a model for the small task, and trains on (fine-tuning), often with the reused part
// frozen so that a few examples cannot wreck it.
//
// Here the large task is date normalisation from ten ways of writing a date ("3rd of May 1979",
// "May 3, 1979", ... -> "1979-05-03"), with thousands of examples. The small task is the same
// normalisation from four other ways ("Thu, 03 May 1979", "03.05.1979", "3 may 79",
// "19790503"), with a few hundred. The chapter pretrains, saves a checkpoint, loads it
// non-strictly into the model for the small task, and fine-tunes it twice (encoder frozen, and
// everything trained), against the same model trained from scratch on the same small data with
// the same number of steps.

#include <fmt/ranges.h>

#include <string>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

const std::vector<DateFormat> kPretrainFormats = {DateFormat::Iso,
                                                  DateFormat::DayMonthYear,
                                                  DateFormat::MonthDayYear,
                                                  DateFormat::OrdinalOfMonth,
                                                  DateFormat::MonthOrdinal,
                                                  DateFormat::WeekdayMonthDay,
                                                  DateFormat::DayShortMonth,
                                                  DateFormat::ShortMonthDay,
                                                  DateFormat::SlashedMonthFirst,
                                                  DateFormat::UpperMonth};
const std::vector<DateFormat> kNewFormats = {DateFormat::ShortWeekday, DateFormat::DottedDayFirst,
                                             DateFormat::LowerShortYear, DateFormat::Compact};

// Examples of the dates days[begin, end), each written in a format drawn from `formats`.
std::vector<Example> date_examples(const std::vector<int64_t>& days, std::size_t begin,
                                   std::size_t end, const std::vector<DateFormat>& formats,
                                   Generator& generator) {
    std::vector<Example> out;
    for (std::size_t i = begin; i < end; ++i) {
        const Date date = date_from_index(days[i]);
        const auto format =
            static_cast<std::size_t>(generator.integer(0, static_cast<int64_t>(formats.size())));
        out.push_back({format_date(date, formats[format]), iso_date(date)});
    }
    return out;
}

Seq2SeqConfig model_config(const Vocab& source_vocab, const Vocab& target_vocab) {
    return {.source_vocab = source_vocab.size(),
            .target_vocab = target_vocab.size(),
            .embedding_size = 32,
            .hidden_size = 128,
            .attention = AttentionKind::Luong,
            .scorer = "general"};
}

int64_t trainable_count(const nn::Module& model) {
    int64_t count = 0;
    for (const auto& [name, p] : model.named_parameters()) {
        if (p.requires_grad()) count += p.numel();
    }
    return count;
}

// One run on the small data: exact match on its test set after each epoch, and at the end.
struct Run {
    std::string name;
    int64_t trainable = 0;
    std::vector<double> exact_match;
    double final = 0;  // with the weights kept
};

}  // namespace

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 12: pretraining and fine-tuning");
    manual_seed(12);

    chapter.step("a large task and a small related one");
    // Split by the date itself, as decode::make_task does: every date of 1950..2049 is shuffled
    // once and dealt out, so no date of the small task's test set was seen in any format, in
    // pretraining or fine-tuning.
    const int64_t n_pretrain = chapter.quick ? 3000 : 12000;
    const int64_t n_small = 100;
    const int64_t n_test = chapter.quick ? 200 : 1000;
    Generator generator(12);
    std::vector<int64_t> days(static_cast<std::size_t>(days_in_range()));
    for (std::size_t i = 0; i < days.size(); ++i) days[i] = static_cast<int64_t>(i);
    for (std::size_t i = days.size() - 1; i > 0; --i) {
        std::swap(
            days[i],
            days[static_cast<std::size_t>(generator.integer(0, static_cast<int64_t>(i) + 1))]);
    }
    const std::vector<Example> pretrain =
        date_examples(days, 0, n_pretrain, kPretrainFormats, generator);
    const std::vector<Example> small =
        date_examples(days, n_pretrain, n_pretrain + n_small, kNewFormats, generator);
    const std::vector<Example> test = date_examples(
        days, n_pretrain + n_small, n_pretrain + n_small + n_test, kNewFormats, generator);
    fmt::print("pretraining: {} dates in {} formats, e.g.\n", pretrain.size(),
               kPretrainFormats.size());
    for (int i = 0; i < 3; ++i)
        fmt::print("  {:>30} -> {}\n", pretrain[i].source, pretrain[i].target);
    fmt::print("the small task: {} dates in {} other formats ({} held out for testing), e.g.\n",
               small.size(), kNewFormats.size(), test.size());
    for (int i = 0; i < 4; ++i) fmt::print("  {:>30} -> {}\n", small[i].source, small[i].target);

    // One pair of vocabularies for both tasks, built from both, so that a token id means the
    // same character in pretraining and fine-tuning: a checkpoint's embeddings are only
    // reusable if the ids they were trained on still hold.
    std::vector<std::string> sources, targets;
    for (const auto* set : {&pretrain, &small}) {
        for (const Example& e : *set) {
            sources.push_back(e.source);
            targets.push_back(e.target);
        }
    }
    const Vocab source_vocab = Vocab::build(sources, Tokenization::Character);
    const Vocab target_vocab = Vocab::build(targets, Tokenization::Character);

    chapter.step("pretraining on the large task");
    const std::string checkpoint = tutorial::output_path("12_dates_pretrained.safetensors");
    {
        Seq2Seq model(model_config(source_vocab, target_vocab));
        const std::vector<Example> monitor(pretrain.begin(), pretrain.begin() + 300);
        const TrainReport report = train(
            model, make_batches(pretrain, source_vocab, target_vocab, {.batch_size = 64}),
            [&](const Batch& b) { return model.loss(b); },
            [&] { return translation_exact_match(model, monitor, source_vocab, target_vocab); },
            {.epochs = chapter.quick ? 2 : 5,
             .lr = 3e-3,
             .lr_decay = 0.8,
             .checkpoint_path = checkpoint});
        fmt::print("exact match on pretraining dates: {:.3f} after {} epochs ({:.0f} s)\n",
                   report.best_evaluation, report.epochs.size(), report.epochs.back().seconds);
        fmt::print("on the small task's test dates, before any fine-tuning: {:.3f}\n",
                   translation_exact_match(model, test, source_vocab, target_vocab));
        fmt::print("the best weights were saved to {}\n", checkpoint);
    }

    chapter.step("loading the checkpoint non-strictly");
    // A strict load insists that every name, shape and dtype match. A non-strict load copies
    // what matches and reports the rest: how part of a model is reused in another. Here the two
    // models are built alike, so everything fits; a model with another decoder or vocabulary
    // would list those parameters as missing or mismatched and keep its fresh values for them.
    Seq2Seq frozen(model_config(source_vocab, target_vocab));
    const nn::LoadReport report = nn::load_model(frozen, checkpoint, /*strict=*/false);
    fmt::print("loaded     ({}):\n  {}\n", report.loaded.size(), fmt::join(report.loaded, "\n  "));
    fmt::print("missing    ({}): {}\n", report.missing.size(), fmt::join(report.missing, ", "));
    fmt::print("unexpected ({}): {}\n", report.unexpected.size(),
               fmt::join(report.unexpected, ", "));
    fmt::print("mismatched ({}): {}\n", report.mismatched.size(),
               fmt::join(report.mismatched, ", "));

    chapter.step("freezing the encoder");
    // Freezing a parameter stops its gradient: backward() skips it and Adam leaves it alone.
    // The encoder keeps what pretraining taught it about reading dates.
    for (auto& [name, p] : frozen.named_parameters()) {
        if (name.starts_with("encoder.")) p.requires_grad_(false);
    }
    fmt::print("trainable parameters: {} of {}\n", trainable_count(frozen),
               frozen.parameter_count());

    chapter.step("fine-tuning against training from scratch");
    // The same small batches and the same number of epochs for every run. The test dates are
    // scored after every epoch for the curve, but the epoch whose weights are kept is chosen by
    // exact match on the small training set, the only data a real small task would have.
    const std::vector<Batch> batches =
        make_batches(small, source_vocab, target_vocab, {.batch_size = 32});
    const int64_t epochs = chapter.quick ? 6 : 30;
    Seq2Seq unfrozen(model_config(source_vocab, target_vocab));
    nn::load_model(unfrozen, checkpoint);
    Seq2Seq scratch(model_config(source_vocab, target_vocab));
    std::vector<Run> runs;
    for (auto& [name, model] :
         {std::pair<const char*, Seq2Seq*>{"pretrained, encoder frozen", &frozen},
          {"pretrained, all trained", &unfrozen},
          {"from scratch", &scratch}}) {
        Run run{name, trainable_count(*model), {}, 0};
        train(
            *model, batches, [&](const Batch& b) { return model->loss(b); },
            [&] {
                run.exact_match.push_back(
                    translation_exact_match(*model, test, source_vocab, target_vocab));
                return translation_exact_match(*model, small, source_vocab, target_vocab);
            },
            {.epochs = epochs, .lr = 3e-3, .progress = false});
        run.final = translation_exact_match(*model, test, source_vocab, target_vocab);
        runs.push_back(run);
    }
    fmt::print("{} dates in the new formats, {} epochs of {} batches each\n", small.size(), epochs,
               batches.size());
    fmt::print("{:<28} {:>10}  {:>20}\n", "model", "trainable", "test exact match");
    for (const Run& run : runs) {
        fmt::print("{:<28} {:>10}  {:>20.3f}\n", run.name, run.trainable, run.final);
    }
    Chart chart{.title = "dates in new formats from few examples: test exact match",
                .x_label = "epoch"};
    for (const Run& run : runs) chart.series.push_back({run.name, run.exact_match});
    tutorial::draw(chart, "12_finetune.svg", 60, 12);

    // The frozen encoder never saw a two-digit year or a day-first date with dots; it reads the
    // new formats only with what the old ones taught it, and the decoder must make up the rest.
    // Training everything lets the encoder adapt too, from a start that already reads dates.

    chapter.step("what the three models write");
    const std::vector<Example> shown(test.begin(), test.begin() + 6);
    std::vector<std::string> shown_sources;
    for (const Example& e : shown) shown_sources.push_back(e.source);
    std::vector<std::vector<std::string>> outputs;
    for (const Seq2Seq* model : {&frozen, &unfrozen, &scratch}) {
        outputs.push_back(translate(*model, shown_sources, source_vocab, target_vocab));
    }
    fmt::print("{:>20}  {:<10}  {:<10}  {:<10}  {:<10}\n", "source", "reference", "frozen", "all",
               "scratch");
    for (std::size_t i = 0; i < shown.size(); ++i) {
        fmt::print("{:>20}  {:<10}  {:<10}  {:<10}  {:<10}\n", shown[i].source, shown[i].target,
                   outputs[0][i], outputs[1][i], outputs[2][i]);
    }
}
