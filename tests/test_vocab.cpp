// Tests of decode/vocab.cpp.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/tensor.hpp"
#include "decode/vocab.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / name).string();
}

}  // namespace

TEST_CASE("vocab: the special tokens hold ids 0..3") {
    const Vocab vocab;
    CHECK(vocab.size() == 4);
    CHECK(vocab.token(Vocab::pad) == "<pad>");
    CHECK(vocab.token(Vocab::sos) == "<sos>");
    CHECK(vocab.token(Vocab::eos) == "<eos>");
    CHECK(vocab.token(Vocab::unk) == "<unk>");
    CHECK(vocab.id("<eos>") == Vocab::eos);
}

TEST_CASE("vocab: build orders tokens by frequency, ties by token, and drops rare ones") {
    const Vocab vocab = Vocab::build({"abca", "cb", "xa"}, Tokenization::Character);
    // a: 3, b: 2, c: 2, x: 1
    CHECK(vocab.size() == 8);
    CHECK(vocab.token(4) == "a");
    CHECK(vocab.token(5) == "b");
    CHECK(vocab.token(6) == "c");
    CHECK(vocab.token(7) == "x");
    const Vocab frequent = Vocab::build({"abca", "cb", "xa"}, Tokenization::Character, 2);
    CHECK(frequent.size() == 7);
    CHECK_FALSE(frequent.contains("x"));
    CHECK(frequent.encode("xab") == std::vector<int64_t>{Vocab::unk, 4, 5});
}

TEST_CASE("vocab: build is the same whatever the order of the texts") {
    const Vocab one = Vocab::build({"the cat", "a dog", "the dog"}, Tokenization::Word);
    const Vocab two = Vocab::build({"the dog", "the cat", "a dog"}, Tokenization::Word);
    CHECK(one == two);
    CHECK(one.token(4) == "dog");  // dog and the: 2 each, tie broken by token
    CHECK(one.token(5) == "the");
}

TEST_CASE("vocab: character tokenization splits UTF-8 code points and keeps spaces") {
    const Vocab vocab(Tokenization::Character);
    CHECK(vocab.tokenize("é a") == std::vector<std::string>{"é", " ", "a"});
    CHECK(vocab.tokenize("日本") == std::vector<std::string>{"日", "本"});
    // A stray continuation byte, or a sequence cut short, is one token per byte.
    CHECK(vocab.tokenize("\x80z\xC3") == std::vector<std::string>{"\x80", "z", "\xC3"});
}

TEST_CASE("vocab: word tokenization splits on any run of whitespace") {
    const Vocab vocab(Tokenization::Word);
    CHECK(vocab.tokenize("  the\tcat \n sat ") == std::vector<std::string>{"the", "cat", "sat"});
    CHECK(vocab.tokenize(" \t ").empty());
}

TEST_CASE("vocab: encode then decode gives the text back; decode stops at eos") {
    const Vocab words = Vocab::build({"the cat sat"}, Tokenization::Word);
    const std::vector<int64_t> ids = words.encode("the  sat cat");
    CHECK(words.decode(ids) == "the sat cat");
    std::vector<int64_t> framed{Vocab::sos};
    framed.insert(framed.end(), ids.begin(), ids.end());
    framed.insert(framed.end(), {Vocab::eos, ids[0], Vocab::pad});
    CHECK(words.decode(framed) == "the sat cat");
    CHECK(words.decode(words.encode("the dog")) == "the <unk>");

    const Vocab chars = Vocab::build({"1979-05-03"}, Tokenization::Character);
    const std::vector<int64_t> date = chars.encode("1979-05-03");
    CHECK(date.size() == 10);
    CHECK(chars.decode(date) == "1979-05-03");
    std::vector<double> as_double(date.begin(), date.end());
    as_double.push_back(Vocab::eos);
    as_double.push_back(Vocab::pad);
    CHECK(chars.decode(tensor(as_double, {12}, DType::Int64)) == "1979-05-03");
}

TEST_CASE("vocab: bad ids and arguments are errors naming the function") {
    const Vocab vocab = Vocab::build({"ab"}, Tokenization::Character);
    CHECK_THROWS_WITH_AS(vocab.decode(std::vector<int64_t>{4, 9}),
                         "Vocab::decode: id 9 is out of range for a vocabulary of 6", Error);
    CHECK_THROWS_WITH_AS(vocab.decode(std::vector<int64_t>{-1}),
                         doctest::Contains("id -1 is out of range"), Error);
    CHECK_THROWS_WITH_AS(vocab.token(6), "Vocab::token: id 6 is out of range for a vocabulary of 6",
                         Error);
    CHECK_THROWS_WITH_AS(vocab.decode(zeros({2, 3}, DType::Int64)),
                         "Vocab::decode: ids must be one sentence [T], got [2, 3] int64", Error);
    CHECK_THROWS_WITH_AS(vocab.decode(zeros({3})), doctest::Contains("ids must be int64"), Error);
    CHECK_THROWS_WITH_AS(Vocab::build({"a"}, Tokenization::Word, 0),
                         "Vocab::build: min_frequency must be at least 1, got 0", Error);
}

TEST_CASE("vocab: save and load give the same vocabulary, even for newline and tab tokens") {
    const std::string path = temp_path("glimpse_test_vocab.txt");
    const Vocab chars = Vocab::build({"a\\b\nc\td\r e"}, Tokenization::Character);
    chars.save(path);
    CHECK(Vocab::load(path) == chars);
    CHECK(Vocab::load(path).decode(chars.encode("e\n\\")) == "e\n\\");
    const Vocab words = Vocab::build({"the cat sat on the mat"}, Tokenization::Word);
    words.save(path);
    const Vocab loaded = Vocab::load(path);
    CHECK(loaded == words);
    CHECK(loaded.tokenization() == Tokenization::Word);
    std::filesystem::remove(path);
}

TEST_CASE("vocab: a corrupt or truncated file is an error naming the file and the line") {
    const std::string path = temp_path("glimpse_test_vocab_bad.txt");
    const std::string who = "vocab " + path;
    const auto load_text = [&](const std::string& text) {
        write_file_atomically(path, text, "test");
        return Vocab::load(path);
    };
    const std::string header = "glimpse-vocab 1\ntokenization word\ntokens 6\n";
    const std::string specials = "<pad>\n<sos>\n<eos>\n<unk>\n";
    CHECK(load_text(header + specials + "cat\ndog\n").size() == 6);
    CHECK_THROWS_WITH_AS(load_text(header + specials + "cat\n"),
                         (who + ": line 9: the file ends after 5 of the 6 tokens its header "
                                "promises (truncated?)")
                             .c_str(),
                         Error);
    CHECK_THROWS_WITH_AS(
        load_text(header + specials + "cat\ndog\nemu\n"),
        (who + ": line 10: more lines than the 6 tokens the header promises").c_str(), Error);
    CHECK_THROWS_WITH_AS(load_text(header + specials + "cat\ncat\n"),
                         (who + ": line 9: duplicate token 'cat'").c_str(), Error);
    CHECK_THROWS_WITH_AS(load_text(header + specials + "cat\n\n"),
                         (who + ": line 9: empty token").c_str(), Error);
    CHECK_THROWS_WITH_AS(load_text(header + specials + "cat\ndog\\\n"),
                         (who + ": line 9: a lone backslash ends the line").c_str(), Error);
    CHECK_THROWS_WITH_AS(load_text(header + specials + "cat\nd\\og\n"),
                         (who + ": line 9: unknown escape \\o").c_str(), Error);
    CHECK_THROWS_WITH_AS(load_text(header + "<pad>\n<eos>\n<sos>\n<unk>\ncat\ndog\n"),
                         (who + ": line 5: expected the special token <sos>, got '<eos>'").c_str(),
                         Error);
    CHECK_THROWS_WITH_AS(load_text("glimpse-vocab 1\ntokenization bytes\ntokens 4\n" + specials),
                         (who + ": line 2: unknown tokenization 'bytes' (expected character or "
                                "word)")
                             .c_str(),
                         Error);
    CHECK_THROWS_WITH_AS(load_text("glimpse-vocab 1\ntokenization word\ntokens 2x\n"),
                         (who + ": line 3: expected a token count of at least 4, got '2x'").c_str(),
                         Error);
    CHECK_THROWS_WITH_AS(load_text("glimpse-vocab 1\n"),
                         (who + ": line 2: the file ends inside its header").c_str(), Error);
    CHECK_THROWS_WITH_AS(
        load_text("safetensors\n"),
        (who + ": line 1: expected 'glimpse-vocab 1...', got 'safetensors'").c_str(), Error);
    std::filesystem::remove(path);
    CHECK_THROWS_WITH_AS(Vocab::load(path), doctest::Contains((who + ": cannot open").c_str()),
                         Error);
}
