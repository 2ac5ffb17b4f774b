#include "decode/seq2seq_checkpoint.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "nn/checkpoint.hpp"

namespace glimpse::decode {

namespace {

namespace fs = std::filesystem;

constexpr const char* kHeader = "# glimpse seq2seq checkpoint";
constexpr const char* kFormat = "1";
constexpr const char* kNotePrefix = "note.";

// One key of config.txt: how to write it from a config, and how to read it back. `read`
// returns what was expected when the value does not parse, an empty string when it does.
struct Field {
    std::string key;
    std::function<std::string(const Seq2SeqConfig&)> write;
    std::function<std::string(Seq2SeqConfig&, const std::string&)> read;
};

template <typename T>
Field number_field(std::string key, T Seq2SeqConfig::*member, const char* expected) {
    return {std::move(key),
            [member](const Seq2SeqConfig& c) { return fmt::format("{}", c.*member); },
            [member, expected](Seq2SeqConfig& c, const std::string& value) -> std::string {
                const char* end = value.data() + value.size();
                const auto [stop, error] = std::from_chars(value.data(), end, c.*member);
                return error == std::errc() && stop == end ? "" : expected;
            }};
}

// A bool or an enum, written as one of a fixed list of names. `member` is a generic lambda that
// returns a reference to the value inside a config (const or not).
template <typename T, typename Member>
Field named_field(std::string key, Member member, std::vector<std::pair<T, std::string>> names) {
    return {std::move(key),
            [member, names](const Seq2SeqConfig& c) {
                for (const auto& [v, name] : names) {
                    if (v == member(c)) return name;
                }
                throw Error("save_seq2seq: a config value has no name");
            },
            [member, names](Seq2SeqConfig& c, const std::string& value) -> std::string {
                std::string expected;
                for (const auto& [v, name] : names) {
                    if (name == value) {
                        member(c) = v;
                        return "";
                    }
                    expected += (expected.empty() ? "one of " : ", ") + name;
                }
                return expected;
            }};
}

template <typename Member>
Field bool_field(std::string key, Member member) {
    return named_field<bool>(std::move(key), member, {{false, "false"}, {true, "true"}});
}

const std::vector<Field>& fields() {
    using C = Seq2SeqConfig;
    static const std::vector<Field> table = {
        number_field("source_vocab", &C::source_vocab, "an integer"),
        number_field("target_vocab", &C::target_vocab, "an integer"),
        number_field("embedding_size", &C::embedding_size, "an integer"),
        number_field("hidden_size", &C::hidden_size, "an integer"),
        named_field<nn::CellKind>(
            "cell", [](auto& c) -> auto& { return c.cell; },
            {{nn::CellKind::LSTM, nn::cell_kind_name(nn::CellKind::LSTM)},
             {nn::CellKind::GRU, nn::cell_kind_name(nn::CellKind::GRU)},
             {nn::CellKind::RNNTanh, nn::cell_kind_name(nn::CellKind::RNNTanh)},
             {nn::CellKind::RNNReLU, nn::cell_kind_name(nn::CellKind::RNNReLU)}}),
        number_field("num_layers", &C::num_layers, "an integer"),
        bool_field(
            "bidirectional", [](auto& c) -> auto& { return c.bidirectional; }),
        named_field<Bridge>("bridge", [](auto& c) -> auto& { return c.bridge; },
                            {{Bridge::Zero, "zero"}, {Bridge::Final, "final"}}),
        named_field<AttentionKind>("attention", [](auto& c) -> auto& { return c.attention; },
                                   {{AttentionKind::None, "none"},
                                    {AttentionKind::Bahdanau, "bahdanau"},
                                    {AttentionKind::Luong, "luong"}}),
        {"scorer", [](const C& c) { return c.scorer; },
         [](C& c, const std::string& value) -> std::string {
             c.scorer = value;
             return value.empty() ? "a scorer's name" : "";
         }},
        number_field("attention_size", &C::attention_size, "an integer"),
        bool_field(
            "bahdanau_output.state", [](auto& c) -> auto& { return c.bahdanau_output.state; }),
        bool_field(
            "bahdanau_output.context", [](auto& c) -> auto& { return c.bahdanau_output.context; }),
        bool_field(
            "bahdanau_output.embedding",
            [](auto& c) -> auto& { return c.bahdanau_output.embedding; }),
        number_field("dropout", &C::dropout, "a number"),
        number_field("pad", &C::pad, "an integer"),
        named_field<DType>("dtype", [](auto& c) -> auto& { return c.dtype; },
                           {{DType::Float32, std::string(dtype_name(DType::Float32))},
                            {DType::Float64, std::string(dtype_name(DType::Float64))}}),
    };
    return table;
}

// A note's name is a word of [a-z0-9_] and its value one line: what config.txt can hold. Reading
// and writing check the same rule, so that whatever is read can be saved again.
bool is_valid_note(const std::string& name, const std::string& value) {
    if (name.empty() || value.find_first_of("\r\n") != std::string::npos) return false;
    for (const char ch : name) {
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
    }
    return true;
}

constexpr const char* kNoteRule =
    "a note's name must be a word of a-z, 0-9 and _, and its value one line";

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

fs::path model_file(const fs::path& dir) {
    return dir / "model.safetensors";
}
fs::path source_vocab_file(const fs::path& dir) {
    return dir / "source.vocab";
}
fs::path target_vocab_file(const fs::path& dir) {
    return dir / "target.vocab";
}
fs::path config_file(const fs::path& dir) {
    return dir / "config.txt";
}

void check_vocab_size(const Vocab& vocab, int64_t expected, const fs::path& file, const char* key) {
    if (vocab.size() != expected) {
        throw Error(
            fmt::format("checkpoint {}: the vocabulary has {} tokens but config.txt says "
                        "{} = {}: the files are not from one model",
                        file.string(), vocab.size(), key, expected));
    }
}

}  // namespace

std::string config_text(const Seq2SeqConfig& config, const CheckpointNotes& notes) {
    std::string text = fmt::format("{}\nformat = {}\n", kHeader, kFormat);
    for (const Field& field : fields())
        text += fmt::format("{} = {}\n", field.key, field.write(config));
    for (const auto& [name, value] : notes) {
        if (!is_valid_note(name, value)) {
            throw Error(fmt::format("save_seq2seq: note '{}' = '{}': {}", name, value, kNoteRule));
        }
        text += fmt::format("{}{} = {}\n", kNotePrefix, name, value);
    }
    return text;
}

std::pair<Seq2SeqConfig, CheckpointNotes> parse_config_text(const std::string& text,
                                                            const std::string& who) {
    Seq2SeqConfig config;
    CheckpointNotes notes;
    std::set<std::string> seen;
    std::istringstream lines(text);
    std::string line;
    int64_t number = 0;
    while (std::getline(lines, line)) {
        ++number;
        if (number == 1) {
            if (trim(line) != kHeader) {
                throw Error(
                    fmt::format("{}: line 1 is '{}', expected '{}': not a glimpse seq2seq "
                                "config",
                                who, trim(line), kHeader));
            }
            continue;
        }
        if (trim(line).empty()) continue;
        const auto equals = line.find('=');
        if (equals == std::string::npos) {
            throw Error(fmt::format("{}: line {} '{}' is not 'key = value'", who, number, line));
        }
        const std::string key = trim(line.substr(0, equals));
        const std::string value = trim(line.substr(equals + 1));
        if (!seen.insert(key).second) {
            throw Error(fmt::format("{}: line {}: '{}' appears twice", who, number, key));
        }
        if (key == "format") {
            if (value != kFormat) {
                throw Error(
                    fmt::format("{}: line {}: format {} is not the format {} this glimpse "
                                "reads",
                                who, number, value, kFormat));
            }
            continue;
        }
        if (key.rfind(kNotePrefix, 0) == 0) {
            const std::string name = key.substr(std::string(kNotePrefix).size());
            if (!is_valid_note(name, value)) {
                throw Error(fmt::format("{}: line {}: note '{}' = '{}': {}", who, number, name,
                                        value, kNoteRule));
            }
            notes[name] = value;
            continue;
        }
        const Field* field = nullptr;
        for (const Field& f : fields()) field = f.key == key ? &f : field;
        if (field == nullptr) {
            throw Error(fmt::format("{}: line {}: unknown key '{}'", who, number, key));
        }
        const std::string expected = field->read(config, value);
        if (!expected.empty()) {
            throw Error(fmt::format("{}: line {}: {} = '{}', expected {}", who, number, key, value,
                                    expected));
        }
    }
    if (number == 0) throw Error(fmt::format("{}: the file is empty", who));
    std::string missing;
    for (const Field& field : fields()) {
        if (!seen.contains(field.key)) missing += (missing.empty() ? "" : ", ") + field.key;
    }
    if (!seen.contains("format")) missing = "format" + (missing.empty() ? "" : ", " + missing);
    if (!missing.empty()) throw Error(fmt::format("{}: missing keys: {}", who, missing));
    return {config, notes};
}

void save_seq2seq(const std::string& dir, const Seq2Seq& model, const Vocab& source_vocab,
                  const Vocab& target_vocab, const CheckpointNotes& notes) {
    const Seq2SeqConfig& config = model.config();
    if (source_vocab.size() != config.source_vocab || target_vocab.size() != config.target_vocab) {
        throw Error(fmt::format(
            "save_seq2seq: vocabularies of {} and {} tokens for a model of {} "
            "and {}",
            source_vocab.size(), target_vocab.size(), config.source_vocab, config.target_vocab));
    }
    const std::string config_contents = config_text(config, notes);
    const fs::path final_dir(dir);
    const fs::path fresh = final_dir.string() + ".tmp";
    const fs::path old = final_dir.string() + ".old";
    try {
        fs::remove_all(fresh);
        fs::create_directories(fresh);
        nn::save_model(model, model_file(fresh).string());
        source_vocab.save(source_vocab_file(fresh).string());
        target_vocab.save(target_vocab_file(fresh).string());
        write_file_atomically(config_file(fresh).string(), config_contents, "save_seq2seq");
        // A folder cannot be renamed over a full one: move the old one aside, then drop it.
        fs::remove_all(old);
        if (fs::exists(final_dir)) fs::rename(final_dir, old);
        fs::rename(fresh, final_dir);
        fs::remove_all(old);
    } catch (const fs::filesystem_error& e) {
        throw Error(fmt::format("save_seq2seq {}: {}", dir, e.what()));
    }
}

Seq2SeqCheckpoint load_seq2seq(const std::string& dir) {
    const fs::path path(dir);
    if (!fs::is_directory(path)) {
        throw Error(fmt::format("checkpoint {}: {}", dir,
                                fs::exists(path) ? "not a folder" : "no such folder"));
    }
    for (const fs::path& file :
         {config_file(path), model_file(path), source_vocab_file(path), target_vocab_file(path)}) {
        if (!fs::is_regular_file(file)) {
            throw Error(fmt::format("checkpoint {}: {} is {}", dir, file.filename().string(),
                                    fs::exists(file) ? "not a file" : "missing"));
        }
    }
    const std::string config_path = config_file(path).string();
    auto [config, notes] = parse_config_text(read_file(config_path, "checkpoint"), config_path);
    Vocab source_vocab = Vocab::load(source_vocab_file(path).string());
    Vocab target_vocab = Vocab::load(target_vocab_file(path).string());
    check_vocab_size(source_vocab, config.source_vocab, source_vocab_file(path), "source_vocab");
    check_vocab_size(target_vocab, config.target_vocab, target_vocab_file(path), "target_vocab");
    std::shared_ptr<Seq2Seq> model;
    try {
        model = std::make_shared<Seq2Seq>(config);
    } catch (const Error& e) {  // e.g. an unknown scorer: name the file that asked for it
        throw Error(fmt::format("{}: cannot build the model: {}", config_path, e.what()));
    }
    nn::load_model(*model, model_file(path).string(), /*strict=*/true);
    model->eval();
    return {std::move(model), std::move(source_vocab), std::move(target_vocab), std::move(notes)};
}

}  // namespace glimpse::decode
