// The catalogue of bad inputs, files: checkpoints (safetensors) damaged in every way a disk, a
// copy or another writer can damage them, the demo's checkpoint folder with a piece missing or
// from another model, and TSV corpora that are not clean text (tests/bad_inputs.hpp). Each error
// names the file, and the key or line.

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/file_io.hpp"
#include "core/ops.hpp"
#include "decode/seq2seq_checkpoint.hpp"
#include "decode/tsv.hpp"
#include "nn/checkpoint.hpp"
#include "nn/linear.hpp"
#include "tests/bad_inputs.hpp"
#include "tests/temp_dir.hpp"

using namespace glimpse;
using glimpse::testing::check_bad_inputs;
using glimpse::testing::TempDir;
namespace fs = std::filesystem;

namespace {

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// A safetensors file: the header's length (8 bytes, little-endian), the header, the data.
std::string file_with(const std::string& header, const std::string& data) {
    std::string bytes(8, '\0');
    const uint64_t length = header.size();
    std::memcpy(bytes.data(), &length, 8);
    return bytes + header + data;
}

// Two float32 tensors of 2 values each: 16 bytes of data.
std::string header_with(const std::string& a_offsets, const std::string& b_offsets,
                        const std::string& b_name = "b") {
    return R"({"a":{"dtype":"F32","shape":[2],"data_offsets":)" + a_offsets + R"(},")" + b_name +
           R"(":{"dtype":"F32","shape":[2],"data_offsets":)" + b_offsets + "}}";
}

}  // namespace

TEST_CASE("bad inputs: damaged checkpoint files") {
    const TempDir dir;
    const std::string path = dir.file("model.safetensors");
    const std::string data(16, '\0');
    // Writes `bytes` as the checkpoint, then loads it.
    const auto load = [&](const std::string& bytes) {
        return [&, bytes] {
            write_bytes(path, bytes);
            nn::load_file(path);
        };
    };
    const std::string good = file_with(header_with("[0,8]", "[8,16]"), data);
    std::string flipped = good;
    flipped[8] = '[';  // the header's opening brace
    std::string huge_length = good;
    std::memset(huge_length.data(), 0xFF, 8);
    nn::Linear linear(3, 2);
    check_bad_inputs(
        {
            {"an empty file", load(""),
             "checkpoint {dir}/model.safetensors: 0 bytes is too short for a safetensors file, "
             "which starts with an 8-byte header length"},
            {"a file cut inside the length", load(good.substr(0, 5)),
             "checkpoint {dir}/model.safetensors: 5 bytes is too short for a safetensors file, "
             "which starts with an 8-byte header length"},
            {"a file cut inside the header", load(good.substr(0, 30)),
             "checkpoint {dir}/model.safetensors: the header length 108 runs past the end of the "
             "file (30 bytes)"},
            {"a file cut inside the data", load(good.substr(0, good.size() - 3)),
             "checkpoint {dir}/model.safetensors: tensor 'b' has data_offsets [8, 16] past the end "
             "of the data (13 bytes)"},
            {"a flipped header byte", load(flipped),
             "checkpoint {dir}/model.safetensors: invalid header at byte 0: the header must start "
             "with '{'"},
            {"a header length of 2^64 - 1", load(huge_length),
             "checkpoint {dir}/model.safetensors: the header length 18446744073709551615 runs past "
             "the end of the file (132 bytes)"},
            {"overlapping offsets", load(file_with(header_with("[0,8]", "[4,12]"), data)),
             "checkpoint {dir}/model.safetensors: tensors 'a' [0, 8] and 'b' [4, 12] overlap"},
            {"offsets past the data", load(file_with(header_with("[0,8]", "[8,24]"), data)),
             "checkpoint {dir}/model.safetensors: tensor 'b' is [2] F32, 8 bytes, but its "
             "data_offsets [8, 24] hold 16"},
            {"offsets that end before they begin",
             load(file_with(header_with("[8,0]", "[8,16]"), data)),
             "checkpoint {dir}/model.safetensors: tensor 'a' has data_offsets [8, 0], which run "
             "backwards"},
            {"a duplicate key", load(file_with(header_with("[0,8]", "[8,16]", "a"), data)),
             "checkpoint {dir}/model.safetensors: invalid header at byte 57: the key 'a' appears "
             "twice"},
            {"an unknown dtype",
             load(file_with(R"({"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})",
                            std::string(4, '\0'))),
             "checkpoint {dir}/model.safetensors: tensor 'a' has dtype 'F16'; glimpse reads F32, "
             "F64, I64 and BOOL"},
            {"a shape that does not fit the bytes",
             load(file_with(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                            std::string(8, '\0'))),
             "checkpoint {dir}/model.safetensors: tensor 'a' is [3] F32, 12 bytes, but its "
             "data_offsets [0, 8] hold 8"},
            {"a negative extent",
             load(file_with(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})",
                            std::string(8, '\0'))),
             "checkpoint {dir}/model.safetensors: invalid header at byte 29: expected a "
             "non-negative integer"},
            {"a missing file", [&] { nn::load_file(dir.file("none.safetensors")); },
             "checkpoint {dir}/none.safetensors: cannot open: No such file or directory"},
            {"a directory in place of the file",
             [&] {
                 fs::create_directories(dir.file("folder.safetensors"));
                 nn::load_file(dir.file("folder.safetensors"));
             },
             "checkpoint {dir}/folder.safetensors: cannot read: it is a directory, not a file"},
            {"a save into a folder that does not exist",
             [&] { nn::save_model(linear, dir.file("no/such/dir/model.safetensors")); },
             "checkpoint {dir}/no/such/dir/model.safetensors: cannot create "
             "{dir}/no/such/dir/model.safetensors.tmp: No such file or directory"},
            {"a save over a directory",
             [&] {
                 fs::create_directories(dir.file("taken"));
                 nn::save_model(linear, dir.file("taken"));
             },
             "checkpoint {dir}/taken: cannot rename {dir}/taken.tmp over it: Is a directory"},
            {"a model loaded from another model's file",
             [&] {
                 nn::save_model(nn::Linear(4, 2), dir.file("other.safetensors"));
                 nn::load_model(linear, dir.file("other.safetensors"));
             },
             "checkpoint {dir}/other.safetensors: does not fit the Linear (nothing was loaded); 1 "
             "mismatched: weight (file [2, 4] float32, module [2, 3] float32)"},
        },
        dir.path());
}

TEST_CASE("bad inputs: the demo's checkpoint folder with a piece missing or mismatched") {
    const TempDir dir;
    const decode::Vocab source = decode::Vocab::build({"abc 123"}, decode::Tokenization::Character);
    const decode::Vocab target = decode::Vocab::build({"xyz-"}, decode::Tokenization::Character);
    const decode::Seq2Seq model({.source_vocab = source.size(),
                                 .target_vocab = target.size(),
                                 .embedding_size = 4,
                                 .hidden_size = 5});
    const std::string folder = dir.file("demo");
    // Saves a whole checkpoint, damages one file of it, then loads the folder.
    const auto damaged = [&](const std::string& file, auto damage) {
        return [&, file, damage] {
            decode::save_seq2seq(folder, model, source, target);
            damage(folder + "/" + file);
            decode::load_seq2seq(folder);
        };
    };
    const auto removed = [](const std::string& path) { fs::remove(path); };
    const auto replace_text = [](std::string from, std::string to) {
        return [from, to](const std::string& path) {
            std::string text = read_file(path, "test");
            REQUIRE(text.find(from) != std::string::npos);
            write_bytes(path, text.replace(text.find(from), from.size(), to));
        };
    };
    check_bad_inputs(
        {
            {"no folder", [&] { decode::load_seq2seq(dir.file("absent")); },
             "checkpoint {dir}/absent: no such folder"},
            {"config.txt missing", damaged("config.txt", removed),
             "checkpoint {dir}/demo: config.txt is missing"},
            {"source.vocab missing", damaged("source.vocab", removed),
             "checkpoint {dir}/demo: source.vocab is missing"},
            {"model.safetensors missing", damaged("model.safetensors", removed),
             "checkpoint {dir}/demo: model.safetensors is missing"},
            {"config.txt with a line that is not key = value",
             damaged("config.txt", replace_text("hidden_size = 5", "hidden_size 5")),
             "{dir}/demo/config.txt: line 6 'hidden_size 5' is not 'key = value'"},
            {"config.txt with a size that is not a number",
             damaged("config.txt", replace_text("hidden_size = 5", "hidden_size = five")),
             "{dir}/demo/config.txt: line 6: hidden_size = 'five', expected an integer"},
            {"config.txt with a note that could not be saved again",
             damaged("config.txt",
                     replace_text("dtype = float32\n", "dtype = float32\nnote.Bad Name = x\n")),
             "{dir}/demo/config.txt: line 20: note 'Bad Name' = 'x': a note's name must be a "
             "word of a-z, 0-9 and _, and its value one line"},
            {"config.txt of a bigger model than the weights",
             damaged("config.txt", replace_text("embedding_size = 4", "embedding_size = 3")),
             "checkpoint {dir}/demo/model.safetensors: does not fit the Seq2Seq (nothing was "
             "loaded); 5 mismatched: encoder.embedding.weight (file [11, 4] float32, module [11, "
             "3] float32), encoder.rnn.weight_ih_l0 (file [20, 4] float32, module [20, 3] "
             "float32), decoder.embedding.weight (file [8, 4] float32, module [8, 3] float32), "
             "decoder.cell.weight_ih (file [20, 9] float32, module [20, 8] float32), "
             "decoder.output.weight (file [8, 14] float32, module [8, 13] float32)"},
            {"a target vocabulary of another size",
             damaged("target.vocab",
                     [](const std::string& path) {
                         decode::Vocab::build({"xy"}, decode::Tokenization::Character).save(path);
                     }),
             "checkpoint {dir}/demo/target.vocab: the vocabulary has 6 tokens but config.txt says "
             "target_vocab = 8: the files are not from one model"},
            {"a vocabulary file that is not one",
             damaged("source.vocab", [](const std::string& path) { write_bytes(path, "hello\n"); }),
             "vocab {dir}/demo/source.vocab: line 1: expected 'glimpse-vocab 1...', got 'hello'"},
            {"weights cut short",
             damaged("model.safetensors",
                     [](const std::string& path) {
                         const std::string bytes = read_file(path, "test");
                         write_bytes(path, bytes.substr(0, bytes.size() - 1));
                     }),
             "checkpoint {dir}/demo/model.safetensors: tensor 'decoder.output.bias' has "
             "data_offsets [3152, 3184] past the end of the data (3183 bytes)"},
            {"a directory in place of config.txt",
             damaged("config.txt",
                     [](const std::string& path) {
                         fs::remove(path);
                         fs::create_directories(path);
                     }),
             "checkpoint {dir}/demo: config.txt is not a file"},
        },
        dir.path());
}

TEST_CASE("bad inputs: TSV corpora that are not clean text") {
    const auto parse = [](std::string text) {
        return [text] { decode::parse_tsv(text, "t.tsv"); };
    };
    const auto one_bad_line = [](const std::string& problem) {
        return "t.tsv: 1 malformed line (expected source<TAB>target):\n  " + problem;
    };
    check_bad_inputs({
        {"a missing tab", parse("a\tb\nno tab\n"),
         one_bad_line("line 2: no tab between source and target")},
        {"binary garbage", parse(std::string("a\tb\n\x01\x02\x00\x7f\tz\n", 11)),
         one_bad_line("line 2: control character 0x01 at byte 1 (binary data?)")},
        {"invalid UTF-8 (Latin-1)", parse("caf\xE9\tcoffee\n"),
         one_bad_line("line 1: invalid UTF-8 at byte 4 (0xE9; save the file as UTF-8)")},
        {"a truncated UTF-8 sequence", parse("ok\tfine\nx\xC3\ty\n"),
         one_bad_line("line 2: invalid UTF-8 at byte 2 (0xC3; save the file as UTF-8)")},
        {"an overlong UTF-8 form", parse("\xC0\xAF\ty\n"),
         one_bad_line("line 1: invalid UTF-8 at byte 1 (0xC0; save the file as UTF-8)")},
        {"a UTF-16 surrogate in UTF-8", parse("\xED\xA0\x80\ty\n"),
         one_bad_line("line 1: invalid UTF-8 at byte 1 (0xED; save the file as UTF-8)")},
        {"only blank lines", parse("\r\n\n  \n"), "t.tsv: no sentence pairs"},
        {"a missing file", [] { decode::load_tsv("/nonexistent/pairs.tsv"); },
         "tsv /nonexistent/pairs.tsv: cannot open: No such file or directory"},
    });
}

TEST_CASE("odd but valid files: CRLF, byte order marks, blank lines and a 1 MB line") {
    const std::vector<decode::Example> lf = decode::parse_tsv("a b\tx\nc\ty z\n", "t");
    const std::vector<decode::Example> crlf_bom = decode::parse_tsv(
        "\xEF\xBB\xBF"
        "a b\tx\r\n\r\n\nc\ty z\r\n",
        "t");
    REQUIRE(crlf_bom.size() == lf.size());
    for (std::size_t i = 0; i < lf.size(); ++i) {
        CHECK(crlf_bom[i].source == lf[i].source);
        CHECK(crlf_bom[i].target == lf[i].target);
    }
    // Files joined with cat carry their byte order marks into the middle: trimmed as spaces are.
    const auto joined = decode::parse_tsv(
        "a b\tx\n\xEF\xBB\xBF"
        "c\ty z \xEF\xBB\xBF\n",
        "t");
    REQUIRE(joined.size() == 2);
    CHECK(joined[1].source == "c");
    CHECK(joined[1].target == "y z");
    // A 1 MB line is one long pair, read whole (UTF-8 of two bytes a character included).
    std::string long_source;
    for (int i = 0; i < 350000; ++i) long_source += "\xC3\xA9";
    long_source += std::string(1 << 20, 'a').substr(0, (1 << 20) - long_source.size());
    const auto pairs = decode::parse_tsv(long_source + "\tshort\nb\tc\n", "t");
    REQUIRE(pairs.size() == 2);
    CHECK(pairs[0].source.size() == std::size_t{1} << 20);
    CHECK(pairs[0].source == long_source);
    CHECK(pairs[1].target == "c");
}
