// The catalogue of bad inputs, nn/: layers, recurrent sequences with their lengths, losses and
// optimizers (tests/bad_inputs.hpp).

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "core/ops.hpp"
#include "nn/embedding.hpp"
#include "nn/gru.hpp"
#include "nn/linear.hpp"
#include "nn/losses.hpp"
#include "nn/lstm.hpp"
#include "nn/lstm_cell.hpp"
#include "nn/optim.hpp"
#include "tests/bad_inputs.hpp"

using namespace glimpse;
using namespace glimpse::nn;
using glimpse::testing::check_bad_inputs;

TEST_CASE("bad inputs: layers") {
    const Linear linear(4, 3);
    const Embedding embedding(5, 2);
    const LSTMCell cell(4, 3);
    check_bad_inputs({
        {"Linear with negative outputs", [] { Linear(4, -1); },
         "Linear: sizes must not be negative, got in=4, out=-1"},
        {"Linear on features of another size",
         [&] {
             linear.forward(ones({2, 5}));
         },
         "linear: input [2, 5] float32 must end in 4 features, the in of weight [3, 4] float32"},
        {"Linear on a 0-d tensor", [&] { linear.forward(scalar_tensor(1)); },
         "linear: input [] float32 must end in 4 features, the in of weight [3, 4] float32"},
        {"Linear on float64",
         [&] {
             linear.forward(ones({2, 4}, DType::Float64));
         },
         "linear: dtypes differ: [2, 4] float64 and [3, 4] float32 (convert one with .to())"},
        {"Embedding index past the table",
         [&] {
             embedding.forward(tensor({1, 5}, {2}, DType::Int64));
         },
         "embedding: index 5 at position 1 of indices [2] is out of range for 5 embeddings (weight "
         "[5, 2] float32)"},
        {"Embedding negative index", [&] { embedding.forward(tensor({-1}, {1}, DType::Int64)); },
         "embedding: index -1 at position 0 of indices [1] is out of range for 5 embeddings "
         "(weight [5, 2] float32)"},
        {"Embedding float indices", [&] { embedding.forward(ones({2})); },
         "embedding: indices must be int64, got [2] float32"},
        {"Embedding padding index out of range", [] { Embedding(5, 2, 5); },
         "Embedding: padding_idx 5 is out of range for 5 embeddings"},
        {"LSTMCell input of another size",
         [&] {
             cell.forward(ones({2, 5}));
         },
         "LSTMCell: input must be [batch, 4] (2-D, input_size 4), got [2, 5] float32"},
        {"LSTMCell state of another batch",
         [&] {
             cell.forward(ones({2, 4}), {zeros({3, 3}), zeros({3, 3})});
         },
         "LSTMCell: h must be [2, 3] (batch, hidden_size), got [3, 3] float32"},
        {"LSTMCell 3-d input",
         [&] {
             cell.forward(ones({1, 2, 4}));
         },
         "LSTMCell: input must be [batch, 4] (2-D, input_size 4), got [1, 2, 4] float32"},
    });
}

TEST_CASE("bad inputs: sequences and their lengths") {
    const LSTM lstm(4, 3);
    const GRU gru(4, 3, {.num_layers = 2});
    const Tensor batch = ones({2, 5, 4});  // [B, T, I]
    check_bad_inputs({
        {"LSTM on a 2-d input",
         [&] {
             lstm.forward(ones({5, 4}));
         },
         "LSTM: input must be 3-D [batch, time, features] with 4 features, got [5, 4] float32"},
        {"LSTM on features of another size",
         [&] {
             lstm.forward(ones({2, 5, 3}));
         },
         "LSTM: input must be 3-D [batch, time, features] with 4 features, got [2, 5, 3] float32"},
        {"LSTM on sequences of length 0",
         [&] {
             lstm.forward(ones({2, 0, 4}));
         },
         "LSTM: input [2, 0, 4] float32 [batch, time, features] has no time steps"},
        {"a length longer than the sequence",
         [&] {
             lstm.forward(batch, {}, {5, 6});
         },
         "LSTM: lengths[1] = 6 is out of range: a length must be in [1, 5], the input's time "
         "steps"},
        {"a length of zero",
         [&] {
             lstm.forward(batch, {}, {5, 0});
         },
         "LSTM: lengths[1] = 0 is out of range: a length must be in [1, 5], the input's time "
         "steps"},
        {"a negative length",
         [&] {
             lstm.forward(batch, {}, {-1, 5});
         },
         "LSTM: lengths[0] = -1 is out of range: a length must be in [1, 5], the input's time "
         "steps"},
        {"fewer lengths than sequences", [&] { lstm.forward(batch, {}, {5}); },
         "LSTM: lengths has 1 values for a batch of 2 sequences"},
        {"lengths as a float tensor", [&] { lstm.forward(batch, {}, Lengths(ones({2}))); },
         "Lengths: lengths must be an int64 tensor [batch], got [2] float32"},
        {"an initial state of another batch",
         [&] {
             lstm.forward(batch, {zeros({1, 3, 3}), zeros({1, 3, 3})});
         },
         "LSTM: h_0 must be [1, 2, 3] float32 (num_layers * num_directions, batch, hidden_size), "
         "got [1, 3, 3] float32"},
        {"an initial state for too few layers",
         [&] {
             gru.forward(batch, zeros({1, 2, 3}));
         },
         "GRU: h_0 must be [2, 2, 3] float32 (num_layers * num_directions, batch, hidden_size), "
         "got [1, 2, 3] float32"},
    });
}

TEST_CASE("bad inputs: losses and optimizers") {
    Tensor w = ones({2});
    w.requires_grad_();
    check_bad_inputs({
        {"mse_loss of shapes that differ",
         [] {
             mse_loss(ones({2, 3}), ones({3}));
         },
         "mse_loss: input [2, 3] float32 and target [3] float32 must have one shape"},
        {"nll_loss target out of range",
         [] {
             nll_loss(zeros({2, 3}), tensor({0, 7}, {2}, DType::Int64));
         },
         "nll_loss: target 7 at position 1 is out of range for 3 classes (expected 0..2 or "
         "ignore_index -100)"},
        {"SGD with a negative learning rate", [&] { SGD({w}, {.lr = -1}); },
         "SGD: lr must be >= 0, got -1"},
        {"Adam with beta1 of 1",
         [&] {
             Adam({w}, {.betas = {1.0, 0.999}});
         },
         "Adam: betas must be in [0, 1), got (1, 0.999)"},
        {"an optimizer with no parameters", [] { Adam(std::vector<Tensor>{}); },
         "Adam: got an empty parameter list"},
        {"an optimizer step between forward and backward",
         [] {
             Tensor weight = ones({2});
             weight.requires_grad_();
             SGD sgd({weight}, {.lr = 0.1});
             const Tensor loss = (weight * weight).sum();
             loss.backward({}, /*retain_graph=*/true);
             sgd.step();
             loss.backward();
         },
         "backward of 'mul': its input 0 [2] was modified in place after 'mul' used it (version 1, "
         "expected 0), so its gradient would be wrong; change a clone() instead, or call "
         "backward() before the change"},
        {"clip_grad_norm to a negative norm", [&] { clip_grad_norm({w}, -1); },
         "clip_grad_norm: max_norm must be >= 0, got -1"},
    });
}

TEST_CASE("odd but valid inputs: a batch of 0 sequences, and a loss over no targets") {
    // As in PyTorch: an empty batch gives empty outputs, and a mean over no targets is NaN.
    const LSTM lstm(4, 3);
    const LSTMOutput out = lstm.forward(ones({0, 5, 4}));
    CHECK(out.output.shape() == Shape{0, 5, 3});
    CHECK(out.h_n.shape() == Shape{1, 0, 3});
    CHECK(std::isnan(cross_entropy(ones({0, 3}), zeros({0}, DType::Int64)).item()));
    // Lengths in any order (no sorting, unlike pack_padded_sequence's default) are tested equal
    // to each sequence run alone in tests/test_recurrent_layer.cpp.
}
