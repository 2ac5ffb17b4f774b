#pragma once
// A trained seq2seq model on disk, with everything needed to translate again without the data
// it was trained on: one folder of four files,
//   model.safetensors  the weights under PyTorch's names (nn/checkpoint.hpp)
//   source.vocab       the source vocabulary (decode/vocab.hpp)
//   target.vocab       the target vocabulary
//   config.txt         the Seq2SeqConfig that rebuilds the same modules, "key = value" a line,
//                      and free-form notes ("note.exact_match = 0.995")
//
//     decode::save_seq2seq("build/demo", model, source_vocab, target_vocab);
//     decode::Seq2SeqCheckpoint saved = decode::load_seq2seq("build/demo");
//     auto decoding = saved.model->start_decoding(...);
//
// Saving writes the four files into a fresh folder <dir>.tmp, then swaps it in for <dir>: <dir>
// holds one whole checkpoint, never a mix of an old model and a new vocabulary (a crash between
// the swap's two renames leaves no <dir> at all, never a broken one).
// Loading checks everything before returning: the config's keys and values, that the vocabularies
// have the sizes the config says, and the weights' names, shapes and dtypes (a strict load). Any
// problem is an Error that names the file and what is wrong.
// Only models built from their config can be saved: a scorer passed to Seq2Seq's constructor
// is not recorded (load_seq2seq would rebuild the config's own). To save a model with a scorer
// of one's own, give it a name with register_scorer (decode/seq2seq.hpp) and put that name in
// the config.

#include <map>
#include <memory>
#include <string>

#include "decode/seq2seq.hpp"
#include "decode/vocab.hpp"

namespace glimpse::decode {

using CheckpointNotes = std::map<std::string, std::string>;

struct Seq2SeqCheckpoint {
    std::shared_ptr<Seq2Seq> model;  // in eval mode
    Vocab source_vocab;
    Vocab target_vocab;
    CheckpointNotes notes;  // what save_seq2seq was given
};

void save_seq2seq(const std::string& dir, const Seq2Seq& model, const Vocab& source_vocab,
                  const Vocab& target_vocab, const CheckpointNotes& notes = {});
Seq2SeqCheckpoint load_seq2seq(const std::string& dir);

// config.txt's contents, and back. Note names are words of [a-z0-9_]; values are one line.
// `who` begins every error message (the file's path).
std::string config_text(const Seq2SeqConfig& config, const CheckpointNotes& notes = {});
std::pair<Seq2SeqConfig, CheckpointNotes> parse_config_text(const std::string& text,
                                                            const std::string& who);

}  // namespace glimpse::decode
