#pragma once
// A user's own parallel corpus: a TSV file with one sentence pair a line, source<TAB>target, as
// Tatoeba and the Anki decks made from it (manythings.org) ship them.
//
// - Columns after the second are ignored: Anki exports add a third, the sentences' attribution.
// - Spaces and byte order marks around each sentence are trimmed; blank lines are skipped.
// - Windows line ends (CRLF) and a UTF-8 byte order mark at the start are accepted.
// - Text is UTF-8: a line with invalid UTF-8 (a file saved in another encoding) or a control
//   character other than the tab (binary data) is malformed.
// - A line with no tab, or with an empty source or target, is malformed: the error lists the
//   malformed lines by number (the first few, and how many more), so they can all be fixed at once.

#include <string>
#include <string_view>
#include <vector>

#include "decode/dataset.hpp"

namespace glimpse::decode {

std::vector<Example> load_tsv(const std::string& path);

// The same from text in memory; `who` begins every error message (load_tsv uses "tsv <path>").
std::vector<Example> parse_tsv(std::string_view text, std::string_view who);

}  // namespace glimpse::decode
