// Checkpoints on disk: round trips of models and plain tensor maps, files exchanged with PyTorch
// in both directions, strict and non-strict loads, and saves that never destroy the previous
// checkpoint.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "nn/checkpoint.hpp"
#include "nn/embedding.hpp"
#include "nn/gru.hpp"
#include "nn/linear.hpp"
#include "nn/lstm.hpp"
#include "tests/golden_nn.hpp"
#include "tests/temp_dir.hpp"

using namespace glimpse;
namespace fs = std::filesystem;
using glimpse::testing::TempDir;

namespace {

std::string read_bytes(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// A small model with a submodule of each kind, for dotted names.
struct Tagger : nn::Module {
    explicit Tagger(int64_t hidden = 4) : nn::Module("Tagger") {
        embed = register_module("embed", std::make_shared<nn::Embedding>(10, hidden, 0));
        proj = register_module("proj", std::make_shared<nn::Linear>(hidden, 3));
    }
    std::shared_ptr<nn::Embedding> embed;
    std::shared_ptr<nn::Linear> proj;
};

std::vector<std::vector<double>> values_of(const nn::Module& module) {
    std::vector<std::vector<double>> values;
    for (const Tensor& p : module.parameters()) values.push_back(p.to_vector());
    return values;
}

std::string load_error(nn::Module& module, const std::string& path) {
    try {
        nn::load_model(module, path);
    } catch (const Error& error) {
        return error.what();
    }
    return "no error";
}

// A temporary directory with a Tagger saved in it: the path and the bytes written.
struct SavedTagger {
    SavedTagger() {
        nn::save_model(model, path);
        bytes = read_bytes(path);
    }
    TempDir dir;
    const std::string path = dir.file("model.safetensors");
    Tagger model;
    std::string bytes;
};

// The Linear(4, 3) that make_golden_nn.py also builds: weight (i - 5) / 8, bias (0.5, -0.25, 1).
void set_known_values(nn::Linear& layer) {
    copy_(layer.weight, (arange(0.0, 12.0) - 5.0).view({3, 4}) / 8.0);
    copy_(layer.bias, tensor({0.5, -0.25, 1}, {3}));
}

golden::Outputs run_linear_checkpoint(const golden::Case&, golden::Inputs& in) {
    nn::Linear layer(4, 3);
    nn::load_model(layer, golden::golden_path("torch_linear.safetensors"));
    return {{"weight", layer.weight}, {"bias", layer.bias}, {"out", layer.forward(in["x"])}};
}

// The layers of make_golden_nn.py's recurrent checkpoint cases: 2 layers of 3 units over 4
// features, bidirectional, batch_first, float32.
const nn::RecurrentOptions kCheckpointLayer{.num_layers = 2, .bidirectional = true};

// An LSTM loaded from the case's file (saved by PyTorch or by glimpse), on a padded batch.
golden::Outputs run_lstm_checkpoint(const golden::Case& golden, golden::Inputs& in) {
    nn::LSTM layer(4, 3, kCheckpointLayer);
    nn::load_model(layer, golden::golden_path(golden.word("file")));
    const nn::LSTMOutput out = layer.forward(in["x"], {}, nn::Lengths(in["lengths"]));
    return {{"output", out.output}, {"h_n", out.h_n}, {"c_n", out.c_n}};
}

golden::Outputs run_gru_checkpoint(const golden::Case& golden, golden::Inputs& in) {
    nn::GRU layer(4, 3, kCheckpointLayer);
    nn::load_model(layer, golden::golden_path(golden.word("file")));
    const nn::RNNOutput out = layer.forward(in["x"], {}, nn::Lengths(in["lengths"]));
    return {{"output", out.output}, {"h_n", out.h_n}};
}

// Checks that glimpse saves `model` as exactly the bytes of tests/golden/<name>, the file that
// make_golden_nn.py loads into PyTorch; when not, writes the fresh bytes to a temporary file and
// says how to check and commit them.
// The model, saved now, holds what the committed tests/golden/<name> holds: the same names,
// shapes, dtypes and metadata, and the same values up to float rounding. Not the same bytes: the
// seeded initialisation rounds differently when the compiler fuses a * b + c into one FMA, as
// the -march=native build does and the sanitizer build does not.
void check_writes_committed(const nn::Module& model, const std::string& name) {
    TempDir dir;
    nn::save_model(model, dir.file(name), {{"format", "pt"}});
    const nn::TensorFile written = nn::load_file(dir.file(name));
    const fs::path golden_dir = fs::path(golden::golden_path("nn_layers.txt")).parent_path();
    const std::string committed_path = (golden_dir / name).string();
    const nn::TensorFile committed = nn::load_file(committed_path);
    INFO("if glimpse's initialisation changed on purpose, copy ", dir.file(name), " over ",
         committed_path, " and run `/usr/bin/python3 tests/golden/make_golden_nn.py`");
    CHECK(written.metadata == committed.metadata);
    REQUIRE(written.tensors.size() == committed.tensors.size());
    for (std::size_t i = 0; i < written.tensors.size(); ++i) {
        const auto& [name_now, now] = written.tensors[i];
        const auto& [name_then, then] = committed.tensors[i];
        INFO(name_now);
        CHECK(name_now == name_then);
        CHECK(now.shape() == then.shape());
        CHECK(now.dtype() == then.dtype());
        const std::vector<double> a = now.to_vector(), b = then.to_vector();
        REQUIRE(a.size() == b.size());
        for (std::size_t j = 0; j < a.size(); ++j)
            CHECK(a[j] == doctest::Approx(b[j]).epsilon(1e-6));
    }
}

}  // namespace

TEST_CASE("checkpoint: a model saved and loaded again has the same values, under dotted names") {
    TempDir dir;
    manual_seed(1);
    Tagger saved;
    nn::save_model(saved, dir.file("tagger.safetensors"), {{"epoch", "7"}});
    Tagger loaded;  // other random values
    const Tensor handle = loaded.proj->weight;
    const nn::LoadReport report = nn::load_model(loaded, dir.file("tagger.safetensors"));
    CHECK(values_of(loaded) == values_of(saved));
    CHECK(loaded.proj->weight.impl() == handle.impl());  // loaded in place
    CHECK(report.loaded == std::vector<std::string>{"embed.weight", "proj.weight", "proj.bias"});
    CHECK(report.complete());
    const nn::TensorFile file = nn::load_file(dir.file("tagger.safetensors"));
    CHECK(file.metadata.at("epoch") == "7");
    CHECK(file.tensors.at(1).first == "proj.weight");
    CHECK_FALSE(fs::exists(dir.file("tagger.safetensors.tmp")));
}

TEST_CASE("checkpoint: plain named tensors of every dtype (decoding tables, say)") {
    TempDir dir;
    const std::vector<nn::NamedTensor> tensors = {
        {"ids", tensor({3, 1, 4}, {3}, DType::Int64)},
        {"mask", tensor({1, 0}, {2}, DType::Bool)},
        {"scores", tensor({0.25, -1}, {2}, DType::Float64)}};
    nn::save_file(tensors, dir.file("tables.safetensors"), {{"vocab", "a b c"}});
    const nn::TensorFile file = nn::load_file(dir.file("tables.safetensors"));
    REQUIRE(file.tensors.size() == 3);
    CHECK(file.tensors[0].second.to_vector() == std::vector<double>{3, 1, 4});
    CHECK(file.tensors[1].second.dtype() == DType::Bool);
    CHECK(file.tensors[2].second.to_vector() == std::vector<double>{0.25, -1});
    CHECK(file.metadata.at("vocab") == "a b c");
}

TEST_CASE("checkpoint: glimpse loads a Linear saved by PyTorch (golden)") {
    golden::check_nn_cases({{"linear_checkpoint", run_linear_checkpoint}},
                           {DType::Float32, false, golden::kFloat32Tolerance});
}

TEST_CASE(
    "checkpoint: glimpse writes tests/golden/glimpse_linear.safetensors, which PyTorch "
    "reads") {
    // make_golden_nn.py checks that PyTorch loads the committed file; this test that glimpse
    // still writes exactly those bytes.
    nn::Linear layer(4, 3);
    set_known_values(layer);
    check_writes_committed(layer, "glimpse_linear.safetensors");
    nn::Linear reread(4, 3);
    nn::load_model(reread, golden::golden_path("glimpse_linear.safetensors"));
    CHECK(values_of(reread) == values_of(layer));
}

TEST_CASE(
    "checkpoint: glimpse loads an LSTM and a GRU saved by PyTorch, PyTorch those saved "
    "by glimpse, and both give PyTorch's outputs (golden)") {
    golden::check_nn_cases(
        {{"lstm_checkpoint", run_lstm_checkpoint}, {"gru_checkpoint", run_gru_checkpoint}},
        {DType::Float32, false, golden::kFloat32Tolerance});
}

TEST_CASE(
    "checkpoint: glimpse writes tests/golden/glimpse_lstm.safetensors and "
    "glimpse_gru.safetensors (seeded), which the golden cases load") {
    manual_seed(0);
    check_writes_committed(nn::LSTM(4, 3, kCheckpointLayer), "glimpse_lstm.safetensors");
    manual_seed(1);
    check_writes_committed(nn::GRU(4, 3, kCheckpointLayer), "glimpse_gru.safetensors");
}

TEST_CASE(
    "checkpoint: a strict load names every missing, unexpected and mismatched tensor and "
    "loads nothing") {
    TempDir dir;
    const std::string path = dir.file("other.safetensors");
    nn::save_file({{"embed.weight", zeros({10, 4})},
                   {"proj.weight", zeros({3, 5})},
                   {"proj.scale", zeros({3})},
                   {"extra", zeros({1})}},
                  path);
    Tagger model;
    const auto before = values_of(model);
    CHECK(load_error(model, path) ==
          fmt::format("checkpoint {}: does not fit the Tagger (nothing was loaded); 1 missing: "
                      "proj.bias; 2 unexpected: proj.scale, extra; 1 mismatched: proj.weight "
                      "(file [3, 5] float32, module [3, 4] float32)",
                      path));
    CHECK(values_of(model) == before);  // embed.weight fitted, but was not loaded either

    nn::save_file({{"embed.weight", zeros({10, 4}, DType::Float64)}}, path);
    CHECK(load_error(model, path)
              .find("embed.weight (file [10, 4] float64, module [10, 4] "
                    "float32)") != std::string::npos);
}

TEST_CASE("checkpoint: a non-strict load takes what fits and reports the rest (fine-tuning)") {
    TempDir dir;
    const std::string path = dir.file("pretrained.safetensors");
    Tagger pretrained(4);
    nn::save_model(pretrained, path);
    Tagger wider(6);  // the embedding and the projection's weight no longer fit
    nn::save_file({{"embed.weight", pretrained.embed->weight},
                   {"proj.bias", pretrained.proj->bias},
                   {"head.weight", zeros({2})}},
                  path);
    const nn::LoadReport report = nn::load_model(wider, path, false);
    CHECK(report.loaded == std::vector<std::string>{"proj.bias"});
    CHECK(report.missing == std::vector<std::string>{"proj.weight"});
    CHECK(report.unexpected == std::vector<std::string>{"head.weight"});
    CHECK(report.mismatched == std::vector<std::string>{"embed.weight"});
    CHECK_FALSE(report.complete());
    CHECK(wider.proj->bias.to_vector() == pretrained.proj->bias.to_vector());
}

TEST_CASE("checkpoint: a truncated or missing file is an Error and the model is unchanged") {
    const SavedTagger saved;
    const std::string& path = saved.path;
    Tagger model;
    const auto before = values_of(model);
    for (std::size_t length :
         {std::size_t{0}, std::size_t{5}, std::size_t{40}, saved.bytes.size() - 1}) {
        CAPTURE(length);
        std::ofstream(path, std::ios::binary | std::ios::trunc) << saved.bytes.substr(0, length);
        CHECK(load_error(model, path).rfind("checkpoint " + path + ": ", 0) == 0);
        CHECK(values_of(model) == before);
    }
    const std::string none = saved.dir.file("none.safetensors");
    CHECK(load_error(model, none) ==
          "checkpoint " + none + ": cannot open: No such file or directory");
}

TEST_CASE("checkpoint: a failed save leaves the previous checkpoint as it was") {
    SavedTagger saved;
    const std::string& path = saved.path;
    Tagger& model = saved.model;
    copy_(model.proj->bias, ones({3}));

    // The temporary file cannot be created (a directory is in its way).
    fs::create_directory(path + ".tmp");
    CHECK_THROWS_WITH_AS(
        nn::save_model(model, path),
        ("checkpoint " + path + ": cannot create " + path + ".tmp: Is a directory").c_str(), Error);
    CHECK(read_bytes(path) == saved.bytes);
    fs::remove(path + ".tmp");

    // The rename fails (the target is a directory): the temporary file is removed again.
    const std::string blocked = saved.dir.file("blocked");
    fs::create_directories(blocked + "/inside");
    CHECK_THROWS_WITH_AS(nn::save_model(model, blocked), doctest::Contains("cannot rename"), Error);
    CHECK_FALSE(fs::exists(blocked + ".tmp"));

    CHECK_THROWS_WITH_AS(nn::save_model(model, saved.dir.file("missing/model.safetensors")),
                         doctest::Contains("No such file or directory"), Error);

    // An unwritable directory (root may write anywhere, so only for other users).
    if (::geteuid() != 0) {
        ::chmod(saved.dir.file("").c_str(), 0555);
        CHECK_THROWS_WITH_AS(nn::save_model(model, path), doctest::Contains("Permission denied"),
                             Error);
        ::chmod(saved.dir.file("").c_str(), 0755);
        CHECK(read_bytes(path) == saved.bytes);
    }

    nn::save_model(model, path);  // and a save that works replaces it
    CHECK(read_bytes(path) != saved.bytes);
}
