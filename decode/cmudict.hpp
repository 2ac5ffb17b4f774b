#pragma once
// Real data: the CMU Pronouncing Dictionary as Festival ships it (Debian's festlex-cmu,
// cmudict-0.4.out), turned into grapheme-to-phoneme examples {word, "P H O N E S"}.
//
// Festival writes one entry a line, a word, a part of speech and its syllables with stress:
//     ("advertise" nil (((ae d) 1) ((v er) 0) ((t ay z) 1)))
// which becomes  advertise<TAB>AE D V ER T AY Z  :
// - stress is removed and the syllable structure dropped: the target is the phones alone,
//   upper-cased as in CMUdict's ARPAbet. Festival's version writes the unstressed schwa as a
//   phone of its own, AX, where CMUdict 0.7b writes AH0; with stress removed, as the published
//   results remove it, that is AH. So AX becomes AH, and the phones are 0.7b's 39;
// - only plain lowercase words (letters a-z) are kept; the few with capitals ("AWOL", "dOrsay")
//   are skipped and listed;
// - a word with several pronunciations (entries for different parts of speech) keeps each
//   different one, in file order;
// - the first line may be Festival's header "MNCL"; blank lines are skipped; any other line that
//   is not an entry is an error naming its line number and what was expected.
//
// Split: a word goes to train, validation or test by a stable hash of its spelling (64-bit
// FNV-1a, modulo 100: below 90 train, below 95 validation, else test), so every pronunciation of
// a word is on one side, and the same word is on the same side on every machine and every run.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decode/dataset.hpp"

namespace glimpse::decode {

struct Lexicon {
    std::vector<Example> pronunciations;     // {word, "AE D V ER T AY Z"}, file order
    std::vector<std::string> skipped_words;  // entries that are not plain lowercase words
};

// `who` begins every error message (load_festival_lexicon uses "lexicon <path>").
Lexicon parse_festival_lexicon(std::string_view text, std::string_view who);
Lexicon load_festival_lexicon(const std::string& path);

// "word<TAB>P H O N E S\n" a pronunciation: the converted dictionary, readable by load_tsv.
std::string pronunciations_tsv(const std::vector<Example>& pronunciations);

// 64-bit FNV-1a of the bytes of `word` (Fowler, Noll, Vo): the split's stable hash.
uint64_t word_hash(std::string_view word);

struct WordSplit {
    std::vector<Example> train;       // about 90% of the words
    std::vector<Example> validation;  // about 5%
    std::vector<Example> test;        // about 5%
};

// Each example to its word's side, keeping their order.
WordSplit split_by_word(const std::vector<Example>& examples);

// A word and all its reference pronunciations: what a prediction is scored against.
struct WordReferences {
    std::string word;
    std::vector<std::string> pronunciations;
};

// The examples' words, each once, in order of first appearance, with all their targets.
std::vector<WordReferences> group_by_word(const std::vector<Example>& examples);

}  // namespace glimpse::decode
