#pragma once
// A vocabulary: the table between tokens and the integer ids that embeddings index.
//
// Ids 0..3 are always the special tokens <pad> <sos> <eos> <unk>; the rest come from data, most
// frequent first (ties by token), so the same texts always give the same ids. Text is split into
// characters (UTF-8 code points, so "é" is one token) or into whitespace-separated words.
//
// A vocabulary is saved beside the model as a small text file: a header, then one token a line
// in id order, with \\, \n, \t and \r escaped so that any character can be a token.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse::decode {

enum class Tokenization { Character, Word };

std::string_view tokenization_name(Tokenization tokenization);  // "character", "word"

class Vocab {
  public:
    static constexpr int64_t pad = 0, sos = 1, eos = 2, unk = 3;
    static constexpr int64_t num_special = 4;

    // Only the four special tokens.
    explicit Vocab(Tokenization tokenization = Tokenization::Character);

    // Every token that occurs at least min_frequency times in the texts.
    static Vocab build(const std::vector<std::string>& texts, Tokenization tokenization,
                       int64_t min_frequency = 1);

    Tokenization tokenization() const { return tokenization_; }
    std::vector<std::string> tokenize(std::string_view text) const;
    // Token ids, without <sos> or <eos>; a token not in the vocabulary becomes unk.
    std::vector<int64_t> encode(std::string_view text) const;
    // Text of the ids up to the first eos, skipping pad and sos; words are joined by one space.
    std::string decode(const std::vector<int64_t>& ids) const;
    std::string decode(const Tensor& ids) const;  // ids: [T] int64, one sentence

    int64_t size() const { return static_cast<int64_t>(tokens_.size()); }
    const std::string& token(int64_t id) const;
    int64_t id(std::string_view token) const;  // unk when absent
    bool contains(std::string_view token) const;

    void save(const std::string& path) const;
    std::string file_text() const;  // what save writes
    static Vocab load(const std::string& path);
    // The same from a file's text in memory; `who` begins every error message (load uses
    // "vocab <path>").
    static Vocab parse(std::string_view text, const std::string& who);

    bool operator==(const Vocab& other) const {
        return tokenization_ == other.tokenization_ && tokens_ == other.tokens_;
    }

  private:
    void add(std::string token);

    Tokenization tokenization_;
    std::vector<std::string> tokens_;               // id -> token
    std::unordered_map<std::string, int64_t> ids_;  // token -> id
};

}  // namespace glimpse::decode
