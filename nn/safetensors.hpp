#pragma once
// The safetensors format (https://github.com/huggingface/safetensors), in memory: named tensors
// to bytes and back. PyTorch users read the files with safetensors.torch.load_file; files go to
// and from disk through nn/checkpoint.hpp. The layout of a file:
//
//   8 bytes   N: the length of the header, an unsigned 64-bit little-endian integer
//   N bytes   the header, a JSON object (UTF-8), padded with spaces to a multiple of 8 bytes:
//               {"__metadata__": {"key": "value", ...},                      (optional)
//                "weight": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]}, ...}
//   the rest  the data: each tensor's elements, row-major, little-endian, at its data_offsets
//             [begin, end), counted from the start of the data. Tensors fill it without gaps.
//
// Parsing trusts nothing in the bytes: every length and offset is checked before anything is
// copied, so a truncated or corrupt file is an Error that says what is wrong, never a crash.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nn/module.hpp"

namespace glimpse::nn {

using Metadata = std::map<std::string, std::string>;  // the header's "__metadata__"

struct TensorFile {
    std::vector<NamedTensor> tensors;  // in the order of their data
    Metadata metadata;
};

// The bytes of a file holding `tensors` (in this order) and `metadata`. Names must be unique and
// not "__metadata__"; dtypes are written as F32, F64, I64 and BOOL.
std::string serialize_safetensors(const std::vector<NamedTensor>& tensors,
                                  const Metadata& metadata = {});

// The tensors and metadata of a file's bytes, each tensor a fresh contiguous copy. `source` (a
// path) starts every error message. Throws glimpse::Error on anything malformed.
TensorFile parse_safetensors(std::string_view bytes, const std::string& source = "safetensors");

}  // namespace glimpse::nn
