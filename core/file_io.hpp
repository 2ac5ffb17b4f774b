#pragma once
// Reading and writing whole files safely: what checkpoints, vocabularies and pictures share.
//
// A write goes to <path>.tmp, is flushed to the disk, then renamed over <path>: rename replaces a
// file in one step, so <path> is always either the old file or the complete new one, and a
// crash mid-save never loses what the user saved before.

#include <string>
#include <string_view>

namespace glimpse {

// `who` begins every error message ("checkpoint model.safetensors: cannot rename ...").
void write_file_atomically(const std::string& path, std::string_view bytes, std::string_view who);
std::string read_file(const std::string& path, std::string_view who);

}  // namespace glimpse
