#pragma once
// Seq2Seq: an encoder and a decoder (decode/encoder.hpp, decode/decoder.hpp), trained by
// teacher forcing on the mean cross-entropy of the target tokens, and decoded through the
// StepModel interface that the search algorithms use.
//
//   decode::Seq2Seq model({.source_vocab = 40, .target_vocab = 14, .hidden_size = 64});
//   Tensor loss = model.loss(batch);   // 0-d: mean over the batch's real target tokens
//   loss.backward();
//   auto decoding = model.start_decoding(batch.source, batch.source_lengths);
//   // greedy / beam search call decoding->step(tokens) and decoding->select_rows(rows)

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "attention/attention.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"
#include "decode/batch.hpp"
#include "decode/decoder.hpp"
#include "decode/decoder_bahdanau.hpp"
#include "decode/encoder.hpp"
#include "decode/step_model.hpp"
#include "nn/fused_recurrence.hpp"
#include "nn/module.hpp"

namespace glimpse::decode {

// Which decoder: none (decode/decoder_plain.hpp), Bahdanau's (decoder_bahdanau.hpp) or
// Luong's (decoder_luong.hpp).
enum class AttentionKind { None, Bahdanau, Luong };

struct Seq2SeqConfig {
    int64_t source_vocab = 0;
    int64_t target_vocab = 0;
    int64_t embedding_size = 32;             // source and target embeddings
    int64_t hidden_size = 64;                // the encoder's per direction, and the decoder's
    nn::CellKind cell = nn::CellKind::LSTM;  // encoder and decoder alike
    int64_t num_layers = 1;                  // the encoder's; the decoder is one cell
    bool bidirectional = false;              // the encoder
    Bridge bridge = Bridge::Final;           // how the decoder's initial state is made
    AttentionKind attention = AttentionKind::Bahdanau;
    std::string scorer = "bahdanau";      // make_scorer's names; ignored without attention
    int64_t attention_size = 0;           // A of the additive scorers; 0: hidden_size
    BahdanauOutput bahdanau_output = {};  // what Bahdanau's output layer reads
    double dropout = 0.0;
    int64_t pad = 0;  // the padding token of both vocabularies (Vocab::pad)
    DType dtype = DType::Float32;
};

// A scorer of attention/ by name, for queries of query_size and keys of key_size:
//   "bahdanau"    v^T tanh(W q + U k), attention_size A    (attention/additive.hpp)
//   "concat"      v^T tanh(W [q; k]), attention_size A
//   "dot"         q . k          (query_size == key_size)  (attention/multiplicative.hpp)
//   "scaled_dot"  q . k / sqrt(Hk)
//   "general"     q^T W k
//   any name given to register_scorer
std::shared_ptr<attention::Attention> make_scorer(const std::string& name, int64_t query_size,
                                                  int64_t key_size, int64_t attention_size,
                                                  DType dtype = DType::Float32);

// Makes a scorer of one's own for queries of query_size and keys of key_size (attention_size is
// Seq2SeqConfig's, for scorers that have one).
using ScorerFactory = std::function<std::shared_ptr<attention::Attention>(
    int64_t query_size, int64_t key_size, int64_t attention_size, DType dtype)>;

// Lets make_scorer, and so Seq2SeqConfig::scorer and a checkpoint's config.txt, name a scorer
// written outside the library (a student's CosineAttention, say):
//   decode::register_scorer("cosine", [](int64_t q, int64_t k, int64_t, DType dtype) {
//       return std::make_shared<CosineAttention>(q, k, dtype); });
//   decode::Seq2Seq model({..., .scorer = "cosine"});   // saved and loaded by that name
// Register before building or loading such a model. A built-in name or one already registered
// is an Error.
void register_scorer(const std::string& name, ScorerFactory factory);

class Seq2Seq : public nn::Module {
  public:
    // The scorer is make_scorer(config.scorer, ...) when config.attention is not None.
    explicit Seq2Seq(const Seq2SeqConfig& config);
    // With a scorer made by the caller (any of attention/, local and location included): queries
    // of config.hidden_size, keys of the encoder's state size (hidden_size, twice that when
    // bidirectional). config.attention must be Bahdanau or Luong.
    Seq2Seq(const Seq2SeqConfig& config, std::shared_ptr<attention::Attention> scorer);

    // The mean cross-entropy over the batch's non-pad target tokens. The decoder reads
    // batch.target_input and predicts batch.target_output. With teacher_forcing_ratio < 1
    // (scheduled sampling, Bengio et al. 2015), each row's next input is, with probability
    // 1 - ratio, the model's own greedy prediction instead of the reference token; the coins
    // come from `generator` (the global one when null).
    Tensor loss(const Batch& batch, double teacher_forcing_ratio = 1.0,
                Generator* generator = nullptr) const;

    // The decoder's logits for every position under full teacher forcing: [B, T, V].
    Tensor forward(const Batch& batch) const;

    // Decoding of a source batch (int64 [B, S], lengths int64 [B]) under no-grad: the encoder
    // runs and the source is prepared once, here; each step() then runs one decoder step. Call
    // eval() first when the model has dropout, as in PyTorch. The model must outlive the
    // StepModel.
    std::unique_ptr<StepModel> start_decoding(const Tensor& source, const Tensor& lengths) const;

    const Seq2SeqConfig& config() const { return config_; }
    const Encoder& encoder() const { return *encoder_; }
    const Decoder& decoder() const { return *decoder_; }

  private:
    // Runs the decoder over the target, returns the logits [B, T, V].
    Tensor decode_target(const Batch& batch, double teacher_forcing_ratio,
                         Generator& generator) const;

    Seq2SeqConfig config_;
    std::shared_ptr<Encoder> encoder_;
    std::shared_ptr<Decoder> decoder_;
};

}  // namespace glimpse::decode
