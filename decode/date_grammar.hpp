#pragma once
// The grammar of an ISO 8601 date as a decoding constraint (decode/token_constraint.hpp): a
// search under DateGrammar can only write YYYY-MM-DD with a year of [first_year, last_year], a
// month 01..12 and a day that exists in that month (29 February in leap years only), then
// <eos>. Every output it finishes is a real date, whatever the model would rather have written.
//
// After each prefix it allows exactly the characters that keep the output the beginning of some
// such date: after "1999-" only '0' and '1'; after "1999-1" only '0', '1' and '2'; after
// "1999-02-2" only '0' to '8'; after a whole date only <eos>.
//
//     decode::BeamSearchOptions beam;
//     beam.constraint = std::make_shared<decode::DateGrammar>(target_vocab);

#include <cstdint>
#include <string_view>
#include <vector>

#include "decode/dates.hpp"
#include "decode/token_constraint.hpp"
#include "decode/vocab.hpp"

namespace glimpse::decode {

// Whether `text` is the beginning (or the whole) of some date of [first_year, last_year]
// written YYYY-MM-DD. The empty text begins every date.
bool is_iso_date_prefix(std::string_view text, int first_year = kFirstYear,
                        int last_year = kLastYear);

class DateGrammar : public TokenConstraint {
  public:
    // target_vocab: the model's output characters, which must include the digits and '-';
    // the years: 0 <= first_year <= last_year <= 9999.
    explicit DateGrammar(const Vocab& target_vocab, int first_year = kFirstYear,
                         int last_year = kLastYear);
    std::vector<int64_t> allowed_tokens(int64_t sentence,
                                        const std::vector<int64_t>& prefix) const override;

  private:
    std::vector<int64_t> char_ids_;  // the ids of "0123456789-", in that order
    int first_year_, last_year_;
};

}  // namespace glimpse::decode
