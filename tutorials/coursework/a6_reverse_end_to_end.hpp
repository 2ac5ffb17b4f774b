#pragma once
// Assignment a6: end to end. Your MGU cell (a2) and your cosine attention (a4) in a
// sequence-to-sequence model of your own, trained to reverse strings ("abcd" -> "dcba") until it
// reverses strings it never saw.
//
// The model (its parts are made for you, in ReverseModel's constructor below):
//   embedding  nn::Embedding [V, E], padding_idx <pad>; source and target share it
//   encoder    MGUCell(E, H), run over the source one position at a time
//   decoder    MGUCell(E, H)
//   attention  CosineAttention(H, H) over the encoder's states
//   combine    nn::Linear(2H, H, no bias)   the Luong output layer, h~ = tanh(W_c [c; h])
//   generator  nn::Linear(H, V)             logits = generator(h~)
//
// encode(source [B, S] int64, mask [B, S] bool):
//   h_0 = zeros [B, H]; at each position s: h_s = encoder(emb(source[:, s]), h_{s-1}), but a row
//   whose sentence has ended keeps its state (where(mask[:, s], new, old)), so a padded sentence
//   encodes exactly as it does alone. Returns the states [B, S, H] stacked and prepared for
//   attention (attention->prepare(states, states, mask)) and the decoder's first state: each
//   row's state after its last real token (the final h of the loop, thanks to the masking).
// decode_step(tokens [B] int64, h [B, H], encoded), Luong's order (query after the cell step):
//   h' = decoder(emb(tokens), h);  (c, weights) = attention->forward(h', encoded.source)
//   logits = generator(tanh(combine([c; h'])))   -> logits [B, V], h' [B, H], weights [B, S]
//
// The checker (checks/a6_reverse_end_to_end.cpp) trains your model with teacher forcing (mean
// cross-entropy of the target tokens, Adam) and decodes with decode::greedy_search through a
// StepModel that calls your decode_step.
//
// What the checker tests (make check A=6): the shapes of encode and decode_step; a padded
// sentence's encoding and logits equal its own, alone; the attention of each step a
// distribution over the real source positions; and, after training for a fixed number of
// steps, greedy exact match >= 90% on 200 held-out strings of 3 to 6 letters over "abcdefgh".
// It needs a2 and a4: until they pass, this one reports them not implemented.

#include <memory>

#include "glimpse.hpp"
#include "tutorials/coursework/a2_mgu_cell.hpp"
#include "tutorials/coursework/a4_cosine_attention.hpp"

namespace coursework {

struct Encoded {
    glimpse::attention::PreparedSource source;  // the encoder's states [B, S, H], prepared
    glimpse::Tensor h;                          // [B, H]: the decoder's first state
};

struct DecoderStep {
    glimpse::Tensor logits;   // [B, V]
    glimpse::Tensor h;        // [B, H]: the decoder's new state
    glimpse::Tensor weights;  // [B, S]: where it looked
};

class ReverseModel : public glimpse::nn::Module {
  public:
    // The parts, made for you.
    ReverseModel(int64_t vocab_size, int64_t embedding_size, int64_t hidden_size)
        : Module("ReverseModel"), hidden_size(hidden_size) {
        embedding = register_module(
            "embedding", std::make_shared<glimpse::nn::Embedding>(vocab_size, embedding_size,
                                                                  glimpse::decode::Vocab::pad));
        encoder =
            register_module("encoder", std::make_shared<MGUCell>(embedding_size, hidden_size));
        decoder =
            register_module("decoder", std::make_shared<MGUCell>(embedding_size, hidden_size));
        attention = register_module("attention",
                                    std::make_shared<CosineAttention>(hidden_size, hidden_size));
        combine = register_module(
            "combine", std::make_shared<glimpse::nn::Linear>(2 * hidden_size, hidden_size, false));
        generator = register_module("generator",
                                    std::make_shared<glimpse::nn::Linear>(hidden_size, vocab_size));
    }

    Encoded encode(const glimpse::Tensor& source, const glimpse::Tensor& mask) const;
    DecoderStep decode_step(const glimpse::Tensor& tokens, const glimpse::Tensor& h,
                            const Encoded& encoded) const;

    const int64_t hidden_size;
    std::shared_ptr<glimpse::nn::Embedding> embedding;
    std::shared_ptr<MGUCell> encoder;
    std::shared_ptr<MGUCell> decoder;
    std::shared_ptr<CosineAttention> attention;
    std::shared_ptr<glimpse::nn::Linear> combine;
    std::shared_ptr<glimpse::nn::Linear> generator;
};

}  // namespace coursework
