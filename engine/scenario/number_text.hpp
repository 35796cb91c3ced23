// Strict parsing of numbers written as text (command-line options, a sweep's values): plain decimal text only (no
// "nan", "inf", hex, leading "+" or blanks, trailing characters), and a range, so a typo is an error naming the
// option instead of a surprise.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace pg {

// A decimal such as "60", "0.5" or "1e3" within [min, max].
std::optional<double> parse_decimal_text(std::string_view text, double min, double max);
// A whole number of at most 20 digits within [min, max].
std::optional<uint64_t> parse_whole_text(std::string_view text, uint64_t min, uint64_t max);

}  // namespace pg
