#pragma once
// Checkpoints: a module's parameters, or any named tensors, saved as a safetensors file (the
// format is in nn/safetensors.hpp) under PyTorch's state-dict names, so that PyTorch loads them:
//
//     nn::save_model(model, "model.safetensors");                  // glimpse
//     model.load_state_dict(safetensors.torch.load_file("model.safetensors"))   # PyTorch
//
// Saving writes "<path>.tmp", flushes it to the disk and renames it over <path>: a crash or a
// full disk in the middle of a save leaves the previous checkpoint as it was.
// Loading reads and checks the whole file first, then the names, shapes and dtypes against the
// module, and copies values only when everything fits: a failed load changes nothing.

#include <string>
#include <vector>

#include "nn/module.hpp"
#include "nn/safetensors.hpp"

namespace glimpse::nn {

// Named tensors (e.g. decoding tables next to a model) to and from a file.
void save_file(const std::vector<NamedTensor>& tensors, const std::string& path,
               const Metadata& metadata = {});
TensorFile load_file(const std::string& path);

// Every parameter of `module`, by its dotted name (module.named_parameters()).
void save_model(const Module& module, const std::string& path, const Metadata& metadata = {});

// What a load found, by parameter name.
struct LoadReport {
    std::vector<std::string> loaded;      // copied into the module
    std::vector<std::string> missing;     // parameters of the module that the file lacks
    std::vector<std::string> unexpected;  // tensors of the file that the module lacks
    std::vector<std::string> mismatched;  // in both, but of another shape or dtype
    bool complete() const { return missing.empty() && unexpected.empty() && mismatched.empty(); }
};

// Loads the file's tensors into the module's parameters (in place: the module keeps its handles).
// strict: every name, shape and dtype must match, else an Error lists every missing, unexpected
// and mismatched name and nothing is loaded. Not strict (pretrain, then fine-tune): loads what
// matches and reports the rest.
LoadReport load_model(Module& module, const std::string& path, bool strict = true);

}  // namespace glimpse::nn
